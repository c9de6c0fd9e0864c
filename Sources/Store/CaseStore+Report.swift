import Foundation
import GRDB
import Workflow

extension CaseStore {
    /// Every case, replayed from its log, with its pinned programme and the last hash of its chain:
    /// what the management report is computed from. For many cases use `forEachReportCase`, which
    /// holds one case at a time.
    public func reportCases() throws(StoreError) -> [ReportCase] {
        var result: [ReportCase] = []
        try forEachReportCase { result.append($0) }
        return result
    }

    /// Every case in one read, in code order, handed to `body` in turn: from its snapshot when that
    /// is still at the chain's head, else replayed from its events. Memory holds one chunk of cases.
    public func forEachReportCase(_ body: (ReportCase) throws -> Void) throws(StoreError) {
        try forEachReportChunk { chunk in
            for c in chunk { try body(c) }
        }
    }

    /// As `forEachReportCase`, `size` cases at a time: their snapshots are read on `threads`
    /// threads at once, and the cases without a current snapshot replayed.
    public func forEachReportChunk(
        size: Int = 256, threads: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: ([ReportCase]) throws -> Void
    ) throws(StoreError) {
        try runRead { db in
            let rows = try Row.fetchCursor(db, sql: Self.reportCasesSQL)
            var pending: [PendingReportCase] = []
            pending.reserveCapacity(size)
            func flush() throws {
                let states = Self.readSnapshots(pending.map(\.snapshot), threads: threads)
                var chunk: [ReportCase] = []
                chunk.reserveCapacity(pending.count)
                for (p, decoded) in zip(pending, states) {
                    guard let state = try decoded ?? replay(p.code, db) else { continue }
                    chunk.append(ReportCase(state: state, programme: p.programme, programmeHash: p.programmeHash, head: p.head))
                }
                pending.removeAll(keepingCapacity: true)
                try body(chunk)
            }
            while let row = try rows.next() {
                let hash: String = row[1]
                let programme = try programmes.programme(hash: hash) {
                    try Data.fetchOne(db, sql: "SELECT source FROM programmes WHERE hash = ?", arguments: [hash]).map { [UInt8]($0) }
                }
                pending.append(PendingReportCase(
                    code: row[0], programme: programme, programmeHash: hash, head: row[3] ?? EventHash.genesis, snapshot: Self.currentSnapshot(row)))
                if pending.count == size { try flush() }
            }
            if !pending.isEmpty { try flush() }
        }
    }

    /// A case of a report chunk before its state is made.
    private struct PendingReportCase {
        var code: String
        var programme: Programme
        var programmeHash: String
        var head: String
        /// The snapshot bytes, when the snapshot is at the chain's head.
        var snapshot: [UInt8]?
    }

    /// The states the snapshots hold, read on several threads; nil where there is none or it does
    /// not read (that case is replayed).
    private static func readSnapshots(_ snapshots: [[UInt8]?], threads: Int) -> [CaseState?] {
        var states = [CaseState?](repeating: nil, count: snapshots.count)
        let threads = max(1, min(threads, snapshots.count))
        states.withUnsafeMutableBufferPointer { buffer in
            // Each thread writes only its own places.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for i in stride(from: worker, to: snapshots.count, by: threads) {
                    out[i] = snapshots[i].flatMap { CaseState(snapshot: $0) }
                }
            }
        }
        return states
    }

    private func replay(_ code: String, _ db: Database) throws -> CaseState? {
        let log = try Self.storedEvents(code, db)
        return CaseMachine.replay(log.map { (event: $0.event, actor: Optional($0.actor)) })
    }
}
