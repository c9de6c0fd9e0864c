import Dispatch

extension FidelityAggregate {
    /// Evaluates the report's cases on several threads: each thread has an `Accumulator` (and an
    /// XPath evaluator) of its own, and they are merged when the report is finished. Cases are handed
    /// over in chunks, so memory holds one chunk at a time.
    public struct ParallelAccumulator {
        private var workers: [Accumulator]

        /// `threads` accumulators (at least one), each made by `make` with its own evaluator.
        public init(threads: Int, _ make: (XPathEvaluator) -> Accumulator) {
            workers = (0..<max(1, threads)).map { _ in make(XPathEvaluator()) }
        }

        /// Evaluates `chunk`: thread `i` takes cases `i`, `i + threads`, … so that the threads share
        /// the work evenly whatever the order.
        public mutating func add(_ chunk: [ReportCase]) {
            let threads = workers.count
            guard threads > 1, chunk.count > 1 else {
                for c in chunk { workers[0].add(c) }
                return
            }
            workers.withUnsafeMutableBufferPointer { buffer in
                // Each thread touches only its own accumulator.
                nonisolated(unsafe) let accumulators = buffer
                DispatchQueue.concurrentPerform(iterations: threads) { worker in
                    for index in stride(from: worker, to: chunk.count, by: threads) { accumulators[worker].add(chunk[index]) }
                }
            }
        }

        /// The report over every case added, or nil when there were none at all.
        public func finish() -> FidelityReport? {
            var total = workers[0]
            for other in workers.dropFirst() { total.merge(other) }
            return total.finish()
        }
    }
}
