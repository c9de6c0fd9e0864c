import GRDB
import Workflow

extension CaseStore {
    /// The name the team's chain goes by in hashes, `verify` and the report.
    public static let teamChain = FidelityAggregate.teamChainName

    /// Records a team event (a team meeting, someone's supervision) on the team's own append-only,
    /// hash-chained log. A repeated command id records nothing new.
    @discardableResult
    public func recordTeam(_ event: TeamEvent, stamp: Stamp) throws(StoreError) -> (seq: Int, hash: String, wasRepeat: Bool) {
        if case .supervisionHeld(let person, _) = event, person.trimmingWhitespace.isEmpty {
            throw StoreError.refused(WorkflowError(.invalidCommand, sv: "Ange vem som fick handledning.", en: "Give who had supervision."))
        }
        do {
            return try write { db in
                if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM team_events WHERE command_id = ?", arguments: [stamp.commandID]) {
                    return (row["seq"], row["hash"], true)
                }
                let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM team_events ORDER BY seq DESC LIMIT 1")
                let seq = (last?["seq"] as Int? ?? 0) + 1
                let previous: String = last?["hash"] ?? EventHash.genesis
                let payload = try CanonicalJSONEncoder.encode(event)
                let hash = EventHash.hash(
                    previous: previous, code: Self.teamChain, seq: seq, commandID: stamp.commandID, actor: stamp.actor,
                    recordedAt: stamp.recordedAt, programmeVersion: "", type: event.type, payload: payload)
                try db.execute(
                    sql: """
                        INSERT INTO team_events (seq, command_id, actor, recorded_at, type, payload, prev_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [seq, stamp.commandID, stamp.actor, stamp.recordedAt, event.type, payload, previous, hash])
                return (seq, hash, false)
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The team's events, oldest first.
    public func teamEvents() throws(StoreError) -> [TeamEvent] {
        try teamRows().map(\.event)
    }

    /// The team's log as the report reads it, with the head of its chain, from one read.
    public func teamLog() throws(StoreError) -> TeamLog {
        let rows = try teamRows()
        return TeamLog(rows.map(\.event), head: rows.last?.hash)
    }

    private func teamRows() throws(StoreError) -> [(event: TeamEvent, hash: String)] {
        try runRead { db in
            try Row.fetchAll(db, sql: "SELECT payload, hash FROM team_events ORDER BY seq").map { row in
                do {
                    return (try EventJSONDecoder.decode(TeamEvent.self, from: row["payload"]), row["hash"])
                } catch {
                    throw StoreError.damaged(path: path, detail: "a team event cannot be read; run narvaro verify")
                }
            }
        }
    }

    /// Checks the team's chain as `verify` checks a case's.
    func verifyTeamChain(_ db: Database) throws -> (problem: VerifyReport.Problem?, head: String, events: Int) {
        let rows = try Row.fetchAll(
            db, sql: "SELECT seq, command_id, actor, recorded_at, '' AS programme_version, type, payload, prev_hash, hash FROM team_events ORDER BY seq")
        let check = Self.checkChain(Self.teamChain, rows: rows) { (event: TeamEvent) in event.type }
        return (check.problem, check.head, rows.count)
    }
}
