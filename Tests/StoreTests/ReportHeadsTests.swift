import Foundation
import GRDB
@testable import Store
import Testing
import Workflow

/// A report's chain heads, checked later against the store: the only way to see a chain that was
/// rewritten with fresh hashes (which `verify` alone accepts).
@Suite("Report heads")
struct ReportHeadsTests {
    @Test func unchangedExtendedChangedAndMissingChains() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let a = try Fixture.openCase(store, personnummer: "201001011234")
        let b = try Fixture.openCase(store, personnummer: "201002021234")
        let c = try Fixture.openCase(store, personnummer: "201003031234")
        for code in [a, b, c] { try Fixture.assign(store, code, count: 3) }
        try store.recordTeam(.meetingHeld(on: Fixture.today), stamp: Fixture.stamp())
        // What a report written now names.
        let named = try store.verify().heads
        let heads = [a, b, c, CaseStore.teamChain, "HSP-2026-9999"].map { (chain: $0, hash: named[$0] ?? String(repeating: "0", count: 64)) }

        // Afterwards: b and the team log go on (allowed); c is rewritten from its third event on,
        // with every hash recomputed, so that its chain is whole again.
        try Fixture.assign(store, b, count: 2, from: 10)
        try store.recordTeam(.meetingHeld(on: Fixture.today), stamp: Fixture.stamp())
        try store.close()
        try withRawDatabase(dir.file("store.sqlite")) { db in
            try db.execute(sql: "DROP TRIGGER events_are_never_updated")
            try db.execute(sql: "UPDATE events SET payload = replace(payload, 'Person 1', 'Person 7') WHERE case_code = ? AND seq = 3", arguments: [c])
            var previous = try String.fetchOne(db, sql: "SELECT hash FROM events WHERE case_code = ? AND seq = 2", arguments: [c])!
            for row in try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_code = ? AND seq >= 3 ORDER BY seq", arguments: [c]) {
                let hash = EventHash.hash(
                    previous: previous, code: c, seq: row["seq"], commandID: row["command_id"], actor: row["actor"], recordedAt: row["recorded_at"],
                    programmeVersion: row["programme_version"], type: row["type"], payload: row["payload"])
                try db.execute(sql: "UPDATE events SET prev_hash = ?, hash = ? WHERE case_code = ? AND seq = ?", arguments: [previous, hash, c, row["seq"]])
                previous = hash
            }
        }
        let reopened = try CaseStore(path: dir.file("store.sqlite"))
        #expect(try reopened.verify().isOK, "a consistently rewritten chain passes verify on its own")
        #expect(try reopened.checkReportHeads(heads) == [.unchanged, .extended(newEvents: 2), .changed, .extended(newEvents: 1), .missing])
    }
}
