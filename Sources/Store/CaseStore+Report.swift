import Foundation
import GRDB
import Workflow

extension CaseStore {
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
        try runRead { db in
            let rows = try Row.fetchCursor(db, sql: Self.reportCasesSQL)
            let tail = try db.cachedStatement(sql: "SELECT seq, actor, payload, hash FROM events WHERE case_code = ? AND seq >= ? ORDER BY seq")
            var pending: [PendingReportCase] = []
            pending.reserveCapacity(size)
            func flush() throws {
                let states = Self.resolve(pending, threads: threads)
                var chunk: [ReportCase] = []
                chunk.reserveCapacity(pending.count)
                for (p, resolved) in zip(pending, states) {
                    guard let state = try resolved ?? Self.replay(Self.storedEvents(p.code, db)) else { continue }
                    chunk.append(ReportCase(state: state, programme: p.programme, programmeHash: p.programmeHash, head: p.head))
                }
                pending.removeAll(keepingCapacity: true)
                try body(chunk)
            }
            while let row = try rows.next() {
                let code: String = row[0]
                let hash: String = row[1]
                let programme = try programme(hash: hash, db)
                var snapshot: PendingReportCase.Snapshot?
                if let usable = Self.usableSnapshot(row) {
                    snapshot = .init(bytes: usable.bytes, after: [])
                    if usable.seq < (row[2] as Int? ?? 0) {
                        // The events from the snapshot's own on: the first must still have the hash it names.
                        let events = try Row.fetchAll(tail, arguments: [code, usable.seq])
                        if events.first.map({ ($0[3] as String) == usable.head && ($0[0] as Int) == usable.seq }) == true {
                            snapshot?.after = events.dropFirst().map { (payload: $0[2], actor: $0[1]) }
                        } else {
                            snapshot = nil
                        }
                    }
                }
                pending.append(PendingReportCase(
                    code: code, programme: programme, programmeHash: hash, head: row[3] ?? EventHash.genesis, snapshot: snapshot))
                if pending.count == size { try flush() }
            }
            if !pending.isEmpty { try flush() }
        }
    }

    /// A case of a report chunk before its state is made.
    private struct PendingReportCase {
        struct Snapshot {
            var bytes: [UInt8]
            /// The events after the snapshot, to fold in on top of it.
            var after: [(payload: String, actor: String)]
        }

        var code: String
        var programme: Programme
        var programmeHash: String
        var head: String
        var snapshot: Snapshot?
    }

    /// The states of a chunk's cases from their snapshots and the events after them, made on several
    /// threads; nil where there is no usable snapshot or anything does not read (that case is replayed).
    private static func resolve(_ cases: [PendingReportCase], threads: Int) -> [CaseState?] {
        var states = [CaseState?](repeating: nil, count: cases.count)
        let threads = max(1, min(threads, cases.count))
        states.withUnsafeMutableBufferPointer { buffer in
            // Each thread writes only its own places.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for i in stride(from: worker, to: cases.count, by: threads) {
                    guard let snapshot = cases[i].snapshot else { continue }
                    var state = CaseState(snapshot: snapshot.bytes)
                    for (payload, actor) in snapshot.after {
                        guard state != nil, let event = try? EventJSONDecoder.decode(CaseEvent.self, from: payload) else {
                            state = nil
                            break
                        }
                        state = CaseMachine.evolve(state.take(), event, actor: actor)
                    }
                    out[i] = state
                }
            }
        }
        return states
    }
}
