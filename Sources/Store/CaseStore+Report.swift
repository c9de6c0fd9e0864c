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

    /// Replays every case in one read and hands each to `body` in turn, in code order; memory holds
    /// one case's events at a time.
    public func forEachReportCase(_ body: (ReportCase) throws -> Void) throws(StoreError) {
        try runRead { db in
            let pins = try Row.fetchAll(db, sql: "SELECT code, programme_hash FROM cases").reduce(into: [String: String]()) { $0[$1["code"]] = $1["programme_hash"] }
            var current: String?
            var log: [(event: CaseEvent, actor: String?)] = []
            var head = EventHash.genesis
            func flush() throws {
                guard let code = current, let hash = pins[code], let state = CaseMachine.replay(log) else { return }
                let programme = try programmes.programme(hash: hash) {
                    try Data.fetchOne(db, sql: "SELECT source FROM programmes WHERE hash = ?", arguments: [hash]).map { [UInt8]($0) }
                }
                try body(ReportCase(state: state, programme: programme, programmeHash: hash, head: head))
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT case_code, actor, payload, hash FROM events ORDER BY case_code, seq")
            while let row = try rows.next() {
                let code: String = row["case_code"]
                if code != current {
                    try flush()
                    current = code
                    log.removeAll(keepingCapacity: true)
                }
                let payload: String = row["payload"]
                guard let event = try? EventJSONDecoder.decode(CaseEvent.self, from: payload) else {
                    throw StoreError.damaged(path: path, detail: "an event of case \(code) cannot be read; run narvaro verify")
                }
                log.append((event, row["actor"]))
                head = row["hash"]
            }
            try flush()
        }
    }
}
