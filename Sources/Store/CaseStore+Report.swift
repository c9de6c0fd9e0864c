import Foundation
import GRDB
import Workflow

extension CaseStore {
    /// The management report over every case in the store, evaluated on every core: cases are read
    /// in chunks (from their snapshots where those are current) and each chunk is shared out.
    ///
    /// Each case is made from its snapshot on the thread that evaluates it. Should any snapshot not
    /// read (`narvaro verify` names it), the report is made again with every case replayed.
    public func fidelityReport(asOf: Day, filter: FidelityAggregate.Filter = .init()) throws(StoreError) -> FidelityReport? {
        let team = try teamLog()
        let attendance = attendanceHistory
        func report(snapshots: Bool) throws(StoreError) -> (FidelityReport?, unmade: Int) {
            let parallel = FidelityAggregate.ParallelAccumulator<ReportSource>(
                threads: ProcessInfo.processInfo.activeProcessorCount, make: { $0.reportCase(cache: $1) }
            ) { evaluator in
                FidelityAggregate.Accumulator(asOf: asOf, filter: filter, attendance: attendance, team: team, evaluator: evaluator)
            }
            try forEachReportSource(snapshots: snapshots) { parallel.add($0) }
            return (parallel.finish(), parallel.unmade)
        }
        let (made, unmade) = try report(snapshots: true)
        return unmade == 0 ? made : try report(snapshots: false).0
    }

    /// Every case as it stands, with its pinned programme and the last hash of its chain: what the
    /// management report is computed from. For many cases use `forEachReportChunk`, which holds one
    /// chunk at a time.
    public func reportCases() throws(StoreError) -> [ReportCase] {
        var result: [ReportCase] = []
        try forEachReportCase { result.append($0) }
        return result
    }

    /// Every case in one read, in code order, handed to `body` in turn: from its snapshot with the
    /// events after it folded in, or replayed from its events where it has no usable snapshot.
    /// Memory holds one chunk of cases.
    public func forEachReportCase(_ body: (ReportCase) throws -> Void) throws(StoreError) {
        try forEachReportChunk { chunk in
            for c in chunk { try body(c) }
        }
    }

    /// As `forEachReportCase`, `size` cases at a time: their snapshots (and the events after them)
    /// are read on `threads` threads at once, and the cases without a usable snapshot replayed.
    public func forEachReportChunk(
        size: Int = 256, threads: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: ([ReportCase]) throws -> Void
    ) throws(StoreError) {
        try forEachReportSource(size: size, snapshots: true) { sources, db in
            let made = Self.make(sources, threads: threads)
            var chunk: [ReportCase] = []
            chunk.reserveCapacity(sources.count)
            for (source, c) in zip(sources, made) {
                if let c {
                    chunk.append(c)
                } else if let state = try Self.replay(Self.storedEvents(source.code, db)) {
                    chunk.append(ReportCase(state: state, programme: source.programme, programmeHash: source.programmeHash, head: source.head))
                }
            }
            try body(chunk)
        }
    }

    /// Every case in one read, in code order, `size` at a time, as the report reads it before its
    /// state is made: from its snapshot and the events after it where it has a usable snapshot (made
    /// by `ReportSource.reportCase`, on any thread), otherwise replayed here from its events. With
    /// `snapshots` false every case is replayed.
    public func forEachReportSource(size: Int = 256, snapshots: Bool = true, _ body: ([ReportSource]) throws -> Void) throws(StoreError) {
        try forEachReportSource(size: size, snapshots: snapshots) { sources, _ in try body(sources) }
    }

    /// As above, `body` getting the read's database too.
    func forEachReportSource(size: Int, snapshots: Bool, _ body: ([ReportSource], Database) throws -> Void) throws(StoreError) {
        try runRead { db in
            let rows = try Row.fetchCursor(db, sql: Self.reportCasesSQL)
            let tail = try db.cachedStatement(sql: Self.reportTailSQL)
            var chunk: [ReportSource] = []
            chunk.reserveCapacity(size)
            while let row = try rows.next() {
                let code: String = row[0]
                let hash: String = row[1]
                let programme = try programme(hash: hash, db)
                var source = ReportSource(code: code, programme: programme, programmeHash: hash, head: EventHash.genesis)
                if snapshots, let snapshot = Self.readableSnapshot(row) {
                    // The events from the snapshot's own on: the first must still have the hash it
                    // names (else the chain was written anew and the case is replayed); the last is the
                    // chain's head.
                    let events = try Row.fetchAll(tail, arguments: [code, snapshot.seq])
                    if let first = events.first, (first[0] as Int) == snapshot.seq, (first[3] as String) == snapshot.head {
                        source.snapshot = .init(bytes: snapshot.bytes, after: events.dropFirst().map { (payload: $0[2], actor: $0[1]) })
                        source.head = events.last?[3] ?? snapshot.head
                    }
                }
                if source.snapshot == nil {
                    let events = try Self.storedEvents(code, db)
                    guard let state = Self.replay(events) else { continue }
                    source.replayed = state
                    source.head = events.last?.hash ?? EventHash.genesis
                }
                chunk.append(source)
                if chunk.count == size {
                    try body(chunk, db)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { try body(chunk, db) }
        }
    }

    /// The cases of `sources` made on `threads` threads; nil where a snapshot does not read.
    private static func make(_ sources: [ReportSource], threads: Int) -> [ReportCase?] {
        var made = [ReportCase?](repeating: nil, count: sources.count)
        let threads = max(1, min(threads, sources.count))
        made.withUnsafeMutableBufferPointer { buffer in
            // Each thread writes only its own places.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                let cache = SnapshotCache()
                for i in stride(from: worker, to: sources.count, by: threads) { out[i] = sources[i].reportCase(cache: cache) }
            }
        }
        return made
    }
}

/// A case of the report before its state is made: its snapshot and the events after it, or its
/// state already replayed from its events.
public struct ReportSource: Sendable {
    struct Snapshot {
        var bytes: [UInt8]
        /// The events after the snapshot, to fold in on top of it.
        var after: [(payload: String, actor: String)]
    }

    public var code: String
    public var programme: Programme
    public var programmeHash: String
    public var head: String
    var snapshot: Snapshot?
    var replayed: CaseState?

    /// The case: its replayed state, or its snapshot with the events after it folded in. Nil when
    /// the snapshot or an event after it does not read (the case must then be replayed, see
    /// `CaseStore.forEachReportSource(snapshots: false)`). `cache` is the calling thread's own.
    public func reportCase(cache: SnapshotCache) -> ReportCase? {
        var state = replayed
        if state == nil, let snapshot {
            state = CaseState(snapshot: snapshot.bytes, cache: cache)
            for (payload, actor) in snapshot.after {
                guard state != nil, let event = try? EventJSONDecoder.decode(CaseEvent.self, from: payload) else { return nil }
                state = CaseMachine.evolve(state.take(), event, actor: actor)
            }
        }
        return state.map { ReportCase(state: $0, programme: programme, programmeHash: programmeHash, head: head) }
    }
}
