import Foundation
import GRDB
@testable import Store
import Testing
import Workflow

/// RELIABILITY.md 6.C targets 22 (append-only is enforced) and 23 (tampering is detected and located).
///
/// Each test builds two cases of six events (opened, phase entered, four assignments), closes the
/// store, edits the file with SQL as someone with file access could (after dropping the guard
/// triggers), and expects `verify()` to name the first broken event of the tampered case only.
@Suite("Tamper detection")
struct TamperTests {
    struct TamperedLog {
        let dir: TempDir
        let path: String
        let untouched: String
        let tampered: String
        let heads: [String: String]
    }

    static func makeLog() throws -> TamperedLog {
        let dir = try TempDir()
        do {
            let store = try Fixture.makeStore(in: dir)
            let a = try Fixture.openCase(store, personnummer: "201001011234")
            let b = try Fixture.openCase(store, personnummer: "201002021234")
            try Fixture.assign(store, a, count: 4)
            try Fixture.assign(store, b, count: 4)
            let report = try store.verify()
            try #require(report.isOK && report.events == 12, "the untouched log must verify: \(report.problems)")
            try store.close()
            return TamperedLog(dir: dir, path: store.path, untouched: a, tampered: b, heads: report.heads)
        } catch {
            dir.remove()
            throw error
        }
    }

    static func dropGuards(_ db: Database) throws {
        try db.execute(sql: "DROP TRIGGER events_are_never_updated; DROP TRIGGER events_are_never_deleted")
    }

    static func verify(_ path: String) throws -> VerifyReport {
        let store = try CaseStore(path: path)
        defer { try? store.close() }
        return try store.verify()
    }

    @Test func changedPayloadIsLocated() throws {
        let log = try Self.makeLog()
        defer { log.dir.remove() }
        try withRawDatabase(log.path) { db in
            try Self.dropGuards(db)
            try db.execute(
                sql: "UPDATE events SET payload = replace(payload, 'Person 2', 'Person 9') WHERE case_code = ? AND seq = 4",
                arguments: [log.tampered])
            #expect(db.changesCount == 1)
        }
        let report = try Self.verify(log.path)
        #expect(!report.isOK)
        #expect(report.integrity == ["ok"])
        #expect(report.problems == [.init(caseCode: log.tampered, seq: 4, kind: .changed)])
    }

    /// Two edits: the report names the first one (seq 3), not the later one (seq 5).
    @Test func firstOfSeveralChangesIsReported() throws {
        let log = try Self.makeLog()
        defer { log.dir.remove() }
        try withRawDatabase(log.path) { db in
            try Self.dropGuards(db)
            try db.execute(sql: "UPDATE events SET actor = 'mallory' WHERE case_code = ? AND seq = 5", arguments: [log.tampered])
            try db.execute(sql: "UPDATE events SET recorded_at = '2026-11-21T10:00:00Z' WHERE case_code = ? AND seq = 3", arguments: [log.tampered])
        }
        let report = try Self.verify(log.path)
        #expect(report.problems == [.init(caseCode: log.tampered, seq: 3, kind: .changed)])
    }

    @Test func deletedEventIsMissing() throws {
        let log = try Self.makeLog()
        defer { log.dir.remove() }
        try withRawDatabase(log.path) { db in
            try Self.dropGuards(db)
            try db.execute(sql: "DELETE FROM events WHERE case_code = ? AND seq = 3", arguments: [log.tampered])
            #expect(db.changesCount == 1)
        }
        let report = try Self.verify(log.path)
        #expect(report.problems == [.init(caseCode: log.tampered, seq: 3, kind: .missing)])
    }

    /// Two events swapped by someone who knows the hash recipe and recomputes each event's own hash
    /// for its new place (keeping its link to the old predecessor): the contents check out, the links don't.
    @Test func swappedAndRehashedEventsAreReordered() throws {
        let log = try Self.makeLog()
        defer { log.dir.remove() }
        try withRawDatabase(log.path) { db in
            try Self.dropGuards(db)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_code = ? AND seq IN (3, 4) ORDER BY seq", arguments: [log.tampered])
            try #require(rows.count == 2)
            for (target, source) in [(3, rows[1]), (4, rows[0])] {
                let hash = EventHash.hash(
                    previous: source["prev_hash"], code: log.tampered, seq: target, commandID: source["command_id"], actor: source["actor"],
                    recordedAt: source["recorded_at"], programmeVersion: source["programme_version"], type: source["type"], payload: source["payload"])
                try db.execute(
                    sql: """
                        UPDATE events SET command_id = ?, actor = ?, recorded_at = ?, programme_version = ?, type = ?, payload = ?,
                        prev_hash = ?, hash = ? WHERE case_code = ? AND seq = ?
                        """,
                    arguments: [source["command_id"], source["actor"], source["recorded_at"], source["programme_version"], source["type"],
                                source["payload"], source["prev_hash"], hash, log.tampered, target])
            }
        }
        let report = try Self.verify(log.path)
        #expect(report.problems == [.init(caseCode: log.tampered, seq: 3, kind: .reordered)])
    }

    /// Two events' stored rows swapped as they are (every column but the key): the event now at
    /// seq 3 is an intact event from seq 4 that is out of place. It must be found at seq 3; the kind
    /// should say it was reordered.
    @Test func swappedEventsAreReported() throws {
        let log = try Self.makeLog()
        defer { log.dir.remove() }
        try withRawDatabase(log.path) { db in
            try Self.dropGuards(db)
            let columns = ["command_id", "actor", "recorded_at", "programme_version", "type", "payload", "prev_hash", "hash"]
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_code = ? AND seq IN (3, 4) ORDER BY seq", arguments: [log.tampered])
            try #require(rows.count == 2)
            for (target, source) in [(3, rows[1]), (4, rows[0])] {
                var values: [(any DatabaseValueConvertible)?] = columns.map { source[$0] as String }
                values += [log.tampered, target]
                try db.execute(
                    sql: "UPDATE events SET " + columns.map { "\($0) = ?" }.joined(separator: ", ") + " WHERE case_code = ? AND seq = ?",
                    arguments: StatementArguments(values))
            }
        }
        let report = try Self.verify(log.path)
        let problem = try #require(report.problems.first, "the swap was not detected")
        #expect(report.problems.count == 1)
        #expect(problem.caseCode == log.tampered && problem.seq == 3)
        #expect(problem.kind == .reordered)
    }

    /// Truncating the tail leaves a valid, shorter chain. When the case's snapshot stood at the lost
    /// event, `verify` names it there.
    @Test func truncatedTailIsNamedByTheSnapshot() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        let interval = CaseStore.snapshotInterval
        try Fixture.assign(store, code, count: interval - 2)
        try store.close()
        try withRawDatabase(store.path) { db in
            try Self.dropGuards(db)
            try db.execute(sql: "DELETE FROM events WHERE case_code = ? AND seq = ?", arguments: [code, interval])
        }
        let report = try Self.verify(store.path)
        #expect(report.problems == [.init(caseCode: code, seq: interval, kind: .snapshot)])
    }

    /// Truncating the tail past the snapshot (or with none) leaves nothing in the store to see it by:
    /// that is why reports anchor the heads. The head `verify` reports differs from the anchored one.
    @Test func truncatedTailChangesTheHead() throws {
        let log = try Self.makeLog()
        defer { log.dir.remove() }
        try withRawDatabase(log.path) { db in
            try Self.dropGuards(db)
            try db.execute(sql: "DELETE FROM events WHERE case_code = ? AND seq = 6", arguments: [log.tampered])
            try db.execute(sql: "DELETE FROM case_snapshots WHERE case_code = ?", arguments: [log.tampered])
        }
        let report = try Self.verify(log.path)
        #expect(report.problems.isEmpty)
        #expect(report.heads[log.untouched] == log.heads[log.untouched])
        #expect(report.heads[log.tampered] != log.heads[log.tampered])
    }

    /// With the triggers in place, UPDATE and DELETE on events fail with the trigger's message and
    /// change nothing.
    @Test func updateAndDeleteAreRefused() throws {
        let log = try Self.makeLog()
        defer { log.dir.remove() }
        try withRawDatabase(log.path) { db in
            for sql in [
                "UPDATE events SET payload = '{}' WHERE case_code = ? AND seq = 3",
                "DELETE FROM events WHERE case_code = ? AND seq = 6",
                "DELETE FROM events WHERE case_code = ?",
                "INSERT INTO events SELECT * FROM events WHERE case_code = ? AND seq = 3 ON CONFLICT DO UPDATE SET payload = '{}'",
            ] {
                let error = #expect(throws: DatabaseError.self, "\(sql)") { try db.execute(sql: sql, arguments: [log.tampered]) }
                #expect(error?.message?.contains("events are append-only") == true, "\(sql): \(String(describing: error))")
            }
        }
        let report = try Self.verify(log.path)
        #expect(report.isOK)
        #expect(report.heads == log.heads)
    }

    /// `INSERT OR REPLACE` (or `REPLACE INTO`) over an existing event deletes the old row through the
    /// REPLACE conflict resolution, which fires no DELETE trigger unless `recursive_triggers` is on:
    /// the append-only guard lets it overwrite an event. The chain still catches it.
    @Test func replaceCannotOverwriteAnEvent() throws {
        let log = try Self.makeLog()
        defer { log.dir.remove() }
        var replaced = false
        try withRawDatabase(log.path) { db in
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO events
                        SELECT case_code, seq, command_id, actor, recorded_at, programme_version, type,
                               replace(payload, 'Person 1', 'Person 9'), prev_hash, hash
                        FROM events WHERE case_code = ? AND seq = 3
                        """,
                    arguments: [log.tampered])
                replaced = true
            }
        }
        let report = try Self.verify(log.path)
        if replaced {
            #expect(report.problems == [.init(caseCode: log.tampered, seq: 3, kind: .changed)])
        } else {
            #expect(report.isOK)
        }
    }
}
