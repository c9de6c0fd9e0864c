import Foundation
import GRDB
import Workflow

extension CaseStore {
    /// Every case, replayed from its log in one read, with its pinned programme and the last hash of
    /// its chain: what the management report is computed from.
    public func reportCases() throws(StoreError) -> [ReportCase] {
        try runRead { db in
            let pins = try Row.fetchAll(db, sql: "SELECT code, programme_hash FROM cases").reduce(into: [String: String]()) { $0[$1["code"]] = $1["programme_hash"] }
            var result: [ReportCase] = []
            result.reserveCapacity(pins.count)
            let decoder = JSONDecoder()
            var current: String?
            var log: [(event: CaseEvent, actor: String?)] = []
            var head = EventHash.genesis
            func flush() throws {
                guard let code = current, let hash = pins[code], let state = CaseMachine.replay(log) else { return }
                let programme = try programmes.programme(hash: hash) {
                    try Data.fetchOne(db, sql: "SELECT source FROM programmes WHERE hash = ?", arguments: [hash]).map { [UInt8]($0) }
                }
                result.append(ReportCase(state: state, programme: programme, programmeHash: hash, head: head))
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
                guard let event = try? decoder.decode(CaseEvent.self, from: Data(payload.utf8)) else {
                    throw StoreError.damaged(path: path, detail: "an event of case \(code) cannot be read; run narvaro verify")
                }
                log.append((event, row["actor"]))
                head = row["hash"]
            }
            try flush()
            return result
        }
    }
}
