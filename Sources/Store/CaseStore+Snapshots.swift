import Foundation
import GRDB
import Workflow

extension CaseStore {
    /// A single command writes the case's snapshot when its events reach a multiple of this (a
    /// batch writes each case's at its end): writing the whole state with every command would make a
    /// long case's every commit write its whole history again. The report replays at most this many
    /// less one events on top of a snapshot.
    static let snapshotInterval = 16

    /// Whether a command that took the case from `before` to `after` events writes its snapshot.
    static func snapshotDue(before: Int, after: Int) -> Bool {
        before / snapshotInterval != after / snapshotInterval
    }

    /// Keeps `state` as the case's snapshot at `head` (its chain's last hash), in the caller's
    /// transaction, so that the snapshot and the events it folds can never be committed apart.
    func saveSnapshot(_ state: CaseState, head: String, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO case_snapshots (case_code, seq, head, format, state) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(case_code) DO UPDATE SET seq = excluded.seq, head = excluded.head, format = excluded.format, state = excluded.state
            """).execute(arguments: [state.code, state.version, head, CaseState.snapshotFormat, Data(state.snapshot())])
    }

    /// What the report reads of every case in one query: the pin and the snapshot (NULL when there
    /// is none). The chain's head and the events after the snapshot come from one range read of the
    /// case's events from the snapshot's own event on (`reportTailSQL`).
    static let reportCasesSQL = """
        SELECT c.code, c.programme_hash, s.seq, s.head, s.format, s.state
        FROM cases c
        LEFT JOIN case_snapshots s ON s.case_code = c.code
        ORDER BY c.code
        """

    static let reportTailSQL = "SELECT seq, actor, payload, hash FROM events WHERE case_code = ? AND seq >= ? ORDER BY seq"

    /// A report row's snapshot, if it is of a format this Närvaro reads: its event, the hash it names
    /// and its bytes. Whether it can stand for the case is decided against the events
    /// (`forEachReportSource`): the event it names must still have that hash.
    static func readableSnapshot(_ row: Row) -> (seq: Int, head: String, bytes: [UInt8])? {
        guard let seq = row[2] as Int?, let head = row[3] as String?, let format = row[4] as Int?,
              seq > 0, CaseState.readableSnapshotFormats.contains(format),
              let bytes = try? row.withUnsafeData(atIndex: 5, { $0.map { [UInt8]($0) } })
        else { return nil }
        return (seq, head, bytes)
    }
}
