import Foundation

extension FidelityAggregate {
    /// Evaluates the report's cases on several threads: each thread has an `Accumulator` (and an
    /// XPath evaluator and a `SnapshotCache`) of its own, and they are merged when the report is
    /// finished. Cases are handed over in chunks: `add` queues a chunk and returns at once, so that
    /// the next chunk can be read while this one is evaluated.
    ///
    /// A chunk holds `Source`s, each made into its case by `make` on the thread that evaluates it
    /// (for the store, decoding a snapshot), so that a case is made, evaluated and let go while it is
    /// still in that core's cache. A source `make` cannot make is counted in `unmade`.
    ///
    /// The threads are its own, not a dispatch queue's: a queue may run two workers' blocks one after
    /// the other on one thread while the reader keeps the other core busy, which left a core idle for
    /// a third of a report. The chunks wait in a queue of at most two chunks' worth of cases, and the
    /// workers take a few cases at a time from its front, so that reading and evaluating overlap and
    /// no worker waits for another at the end of a chunk.
    public final class ParallelAccumulator<Source: Sendable>: @unchecked Sendable {
        // @unchecked Sendable: worker `i` touches only `workers[i]`, `caches[i]` and `unmadeBy[i]`;
        // the queue and the counts only under `condition`; `finish` reads the workers once they ended.
        private let workers: UnsafeMutableBufferPointer<Accumulator>
        private let caches: [SnapshotCache]
        private let unmadeBy: UnsafeMutableBufferPointer<Int>
        private let make: @Sendable (Source, SnapshotCache) -> ReportCase?
        private let condition = NSCondition()
        private var queue: [[Source]] = []
        /// Where the front chunk's next case is.
        private var front = 0
        private var queued = 0
        private var capacity = 512
        private var closed = false
        private var running: Int

        /// Cases a worker takes at once.
        private static var batch: Int { 8 }

        /// `threads` accumulators (at least one), each made by `accumulator` with its own evaluator.
        public init(
            threads: Int, make: @escaping @Sendable (Source, SnapshotCache) -> ReportCase?, _ accumulator: (XPathEvaluator) -> Accumulator
        ) {
            let count = max(1, threads)
            workers = .allocate(capacity: count)
            for i in 0..<count { (workers.baseAddress! + i).initialize(to: accumulator(XPathEvaluator())) }
            caches = (0..<count).map { _ in SnapshotCache() }
            unmadeBy = .allocate(capacity: count)
            unmadeBy.initialize(repeating: 0)
            running = count
            self.make = make
            for worker in 0..<count {
                // Unowned: the threads end in `stop`, which `deinit` calls at the latest.
                let thread = Thread { [unowned self] in work(worker) }
                thread.name = "narvaro.report.\(worker)"
                thread.start()
            }
        }

        deinit {
            stop()
            _ = workers.deinitialize()
            workers.deallocate()
            unmadeBy.deallocate()
        }

        private func work(_ worker: Int) {
            let cache = caches[worker]
            condition.lock()
            while true {
                if let first = queue.first {
                    let end = min(first.count, front + Self.batch)
                    let taken = first[front..<end]
                    front = end
                    if front == first.count {
                        queue.removeFirst()
                        front = 0
                    }
                    queued -= taken.count
                    condition.broadcast()
                    condition.unlock()
                    for source in taken {
                        if let c = make(source, cache) { workers[worker].add(c) } else { unmadeBy[worker] += 1 }
                    }
                    condition.lock()
                } else if closed {
                    break
                } else {
                    condition.wait()
                }
            }
            running -= 1
            condition.broadcast()
            condition.unlock()
        }

        /// Queues `chunk` for the workers, once at most one more chunk's worth of cases is waiting.
        public func add(_ chunk: [Source]) {
            guard !chunk.isEmpty else { return }
            condition.lock()
            capacity = max(capacity, 2 * chunk.count)
            while queued + chunk.count > capacity { condition.wait() }
            queue.append(chunk)
            queued += chunk.count
            condition.broadcast()
            condition.unlock()
        }

        /// Lets the workers finish what is queued and end.
        private func stop() {
            condition.lock()
            closed = true
            condition.broadcast()
            while running > 0 { condition.wait() }
            condition.unlock()
        }

        /// How many sources `make` could not make into cases (they are not in the report), once
        /// every case added is done. Ends the threads: add nothing after it.
        public var unmade: Int {
            stop()
            return unmadeBy.reduce(0, +)
        }

        /// The report over every case added, or nil when there were none at all. Ends the threads:
        /// add nothing after it.
        public func finish() -> FidelityReport? {
            stop()
            var total = workers[0]
            for other in workers.dropFirst() { total.merge(other) }
            return total.finish()
        }
    }
}

extension FidelityAggregate.ParallelAccumulator where Source == ReportCase {
    /// For cases already made.
    public convenience init(threads: Int, _ accumulator: (XPathEvaluator) -> FidelityAggregate.Accumulator) {
        self.init(threads: threads, make: { c, _ in c }, accumulator)
    }
}
