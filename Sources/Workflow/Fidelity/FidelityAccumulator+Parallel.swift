import Foundation
import Synchronization

extension FidelityAggregate {
    /// Evaluates the report's cases on several threads: each thread has an `Accumulator` (and an
    /// XPath evaluator and a `SnapshotCache`) of its own, and they are merged when the report is
    /// finished. Cases are handed over in chunks: `add` starts a chunk and returns at once, so that
    /// the next chunk can be read while this one is evaluated; it waits only for the chunk before.
    ///
    /// A chunk holds `Source`s, each made into its case by `make` on the thread that evaluates it
    /// (for the store, decoding a snapshot), so that a case is made, evaluated and let go while it is
    /// still in that core's cache. A source `make` cannot make is counted in `unmade`.
    ///
    /// The threads are its own, not a dispatch queue's: a queue may run two workers' blocks one after
    /// the other on one thread while the reader keeps the other core busy, which left a core idle for
    /// a third of a report. The workers take the chunk's cases one at a time from a shared counter,
    /// so that neither waits for the other at the end of a chunk.
    public final class ParallelAccumulator<Source: Sendable>: @unchecked Sendable {
        // @unchecked Sendable: worker `i` touches only `workers[i]`, `caches[i]` and `unmadeBy[i]`, and
        // the chunk only between `start` and `done`; `add`, `unmade` and `finish` wait for `done`.
        private let workers: UnsafeMutableBufferPointer<Accumulator>
        private let caches: [SnapshotCache]
        private let unmadeBy: UnsafeMutableBufferPointer<Int>
        private let make: @Sendable (Source, SnapshotCache) -> ReportCase?
        private let start: [DispatchSemaphore]
        private let done = DispatchSemaphore(value: 0)
        private let next = Atomic<Int>(0)
        private var chunk: [Source] = []
        private var running = false
        private var stopping = false

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
            start = (0..<count).map { _ in DispatchSemaphore(value: 0) }
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
            while true {
                start[worker].wait()
                if stopping { break }
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < chunk.count else { break }
                    if let c = make(chunk[index], cache) { workers[worker].add(c) } else { unmadeBy[worker] += 1 }
                }
                done.signal()
            }
            done.signal()
        }

        /// Waits for the chunk being evaluated, if any.
        private func wait() {
            guard running else { return }
            for _ in start { done.wait() }
            running = false
        }

        /// Starts evaluating `chunk`, once the chunk before it is done.
        public func add(_ chunk: [Source]) {
            wait()
            self.chunk = chunk
            next.store(0, ordering: .relaxed)
            running = true
            for s in start { s.signal() }
        }

        /// How many sources `make` could not make into cases (they are not in the report), once
        /// every chunk added is done.
        public var unmade: Int {
            wait()
            return unmadeBy.reduce(0, +)
        }

        /// Waits for the chunk being evaluated and ends the threads.
        private func stop() {
            wait()
            guard !stopping else { return }
            stopping = true
            for s in start { s.signal() }
            for _ in start { done.wait() }
        }

        /// The report over every case added, or nil when there were none at all. Ends the threads:
        /// add nothing after it.
        public func finish() -> FidelityReport? {
            stop()
            chunk = []
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
