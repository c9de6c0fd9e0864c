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
    /// is still at the chain's head, else replayed from its events. Memory holds one case at a time.
    public func forEachReportCase(_ body: (ReportCase) throws -> Void) throws(StoreError) {
        try runRead { db in
            let rows = try Row.fetchCursor(db, sql: Self.reportCasesSQL)
            while let row = try rows.next() {
                let code: String = row[0]
                let hash: String = row[1]
                let programme = try programmes.programme(hash: hash) {
                    try Data.fetchOne(db, sql: "SELECT source FROM programmes WHERE hash = ?", arguments: [hash]).map { [UInt8]($0) }
                }
                let state: CaseState
                if let fresh = Self.freshSnapshot(row) {
                    state = fresh
                } else {
                    let log = try Self.storedEvents(code, db)
                    guard let replayed = CaseMachine.replay(log.map { (event: $0.event, actor: Optional($0.actor)) }) else { continue }
                    state = replayed
                }
                try body(ReportCase(state: state, programme: programme, programmeHash: hash, head: row[3] ?? EventHash.genesis))
            }
        }
    }
}
