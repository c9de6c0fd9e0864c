import GRDB
import Workflow

/// How a chain head named in a report stands in the store now.
public enum ReportHeadStatus: Hashable, Sendable {
    /// The chain still ends with the hash the report named.
    case unchanged
    /// The chain still holds the hash the report named, and has events recorded after it.
    case extended(newEvents: Int)
    /// The chain no longer holds the hash: something up to the report's time was changed or removed.
    case changed
    /// There is no such case (or team log) in the store.
    case missing
}

extension CaseStore {
    /// For each chain a report named (case code, or `teamChain`, with its head hash then), whether the
    /// store's chain still holds that hash. A chain rebuilt with fresh hashes passes `verify` on its
    /// own; only a head written down earlier, as in a report, shows it was changed.
    public func checkReportHeads(_ heads: [(chain: String, hash: String)]) throws(StoreError) -> [ReportHeadStatus] {
        try runRead { db in
            let caseEvent = try db.cachedStatement(sql: "SELECT seq FROM events WHERE case_code = ? AND hash = ?")
            let caseLast = try db.cachedStatement(sql: "SELECT MAX(seq) FROM events WHERE case_code = ?")
            let teamEvent = try db.cachedStatement(sql: "SELECT seq FROM team_events WHERE hash = ?")
            let teamLast = try db.cachedStatement(sql: "SELECT MAX(seq) FROM team_events")
            return try heads.map { chain, hash in
                let found: Int?, last: Int?
                if chain == Self.teamChain {
                    found = try Int.fetchOne(teamEvent, arguments: [hash])
                    last = try Int.fetchOne(teamLast)
                } else {
                    found = try Int.fetchOne(caseEvent, arguments: [chain, hash])
                    last = try Int.fetchOne(caseLast, arguments: [chain])
                }
                guard let last else { return .missing }
                guard let found else { return .changed }
                return found == last ? .unchanged : .extended(newEvents: last - found)
            }
        }
    }
}
