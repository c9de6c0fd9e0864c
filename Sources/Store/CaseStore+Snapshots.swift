import Foundation
import GRDB
import Workflow

extension CaseStore {
    /// Keeps `state` as the case's snapshot at `head` (its chain's last hash), in the caller's
    /// transaction, so that the snapshot and the events it folds can never be committed apart.
    func saveSnapshot(_ state: CaseState, head: String, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO case_snapshots (case_code, seq, head, format, state) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(case_code) DO UPDATE SET seq = excluded.seq, head = excluded.head, format = excluded.format, state = excluded.state
            """).execute(arguments: [state.code, state.version, head, CaseState.snapshotFormat, Data(state.snapshot())])
    }

    /// What the report reads of every case in one query: the pin, the chain's last event, and the
    /// snapshot (NULL when there is none).
    static let reportCasesSQL = """
        SELECT c.code, c.programme_hash, e.seq, e.hash, s.seq, s.head, s.format, s.state
        FROM cases c
        LEFT JOIN events e ON e.case_code = c.code AND e.seq = (SELECT MAX(seq) FROM events WHERE case_code = c.code)
        LEFT JOIN case_snapshots s ON s.case_code = c.code
        ORDER BY c.code
        """

    /// A report row's snapshot bytes, if the snapshot is still at the chain's head (same event
    /// number and hash, this format); otherwise nil (none yet, an older format, or events after it),
    /// and the case is replayed.
    static func currentSnapshot(_ row: Row) -> [UInt8]? {
        guard let chainSeq = row[2] as Int?, let chainHead = row[3] as String?,
              let seq = row[4] as Int?, let head = row[5] as String?, let format = row[6] as Int?,
              seq == chainSeq, head == chainHead, format == CaseState.snapshotFormat
        else { return nil }
        return try? row.withUnsafeData(atIndex: 7) { $0.map { [UInt8]($0) } }
    }
}
