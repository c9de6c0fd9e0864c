import Dispatch

extension FidelityAggregate {
    /// Evaluates the report's cases on several threads: each thread has an `Accumulator` (and an
    /// XPath evaluator) of its own, and they are merged when the report is finished. Cases are handed
    /// over in chunks: `add` starts a chunk and returns at once, so that the next chunk can be read
    /// while this one is evaluated; it waits only for the chunk before. Memory holds two chunks.
    public final class ParallelAccumulator: @unchecked Sendable {
        // @unchecked Sendable: thread `i` touches only `workers[i]`, and only between `add` and the
        // next `add` or `finish`, which wait for it (`group`).
        private let workers: UnsafeMutableBufferPointer<Accumulator>
        private let group = DispatchGroup()
        private let queue = DispatchQueue(label: "narvaro.report", attributes: .concurrent)

        /// `threads` accumulators (at least one), each made by `make` with its own evaluator.
        public init(threads: Int, _ make: (XPathEvaluator) -> Accumulator) {
            let count = max(1, threads)
            workers = .allocate(capacity: count)
            for i in 0..<count { (workers.baseAddress! + i).initialize(to: make(XPathEvaluator())) }
        }

        deinit {
            group.wait()
            _ = workers.deinitialize()
            workers.deallocate()
        }

        /// Starts evaluating `chunk`, once the chunk before it is done: thread `i` takes cases `i`,
        /// `i + threads`, … so that the threads share the work evenly whatever the order.
        public func add(_ chunk: [ReportCase]) {
            group.wait()
            let threads = workers.count
            for worker in 0..<threads {
                queue.async(group: group) {
                    for index in stride(from: worker, to: chunk.count, by: threads) { self.workers[worker].add(chunk[index]) }
                }
            }
        }

        /// The report over every case added, or nil when there were none at all.
        public func finish() -> FidelityReport? {
            group.wait()
            var total = workers[0]
            for other in workers.dropFirst() { total.merge(other) }
            return total.finish()
        }
    }
}
