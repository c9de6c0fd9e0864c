import Foundation
import GRDB
@testable import Store
import Testing
import Workflow

/// The team's own log (team meetings, supervision): append-only, hash-chained, checked by `verify`.
@Suite("Team log")
struct TeamLogTests {
    @Test func eventsAreKeptInOrderOnceEachAndReadBack() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let first = try store.recordTeam(.meetingHeld(on: Fixture.today), stamp: Fixture.stamp("m1"))
        let second = try store.recordTeam(.supervisionHeld(person: "Bo Behandlare", on: Fixture.today + -2), stamp: Fixture.stamp("s1"))
        let again = try store.recordTeam(.meetingHeld(on: Fixture.today), stamp: Fixture.stamp("m1"))
        #expect(first.seq == 1 && second.seq == 2)
        #expect(again.wasRepeat && again.seq == 1 && again.hash == first.hash)
        #expect(try store.teamEvents() == [.meetingHeld(on: Fixture.today), .supervisionHeld(person: "Bo Behandlare", on: Fixture.today + -2)])
        let log = try store.teamLog()
        #expect(log.meetings == [Fixture.today] && log.supervision["Bo Behandlare"] == [Fixture.today + -2] && log.head == second.hash)
        let report = try store.verify()
        #expect(report.isOK && report.heads[CaseStore.teamChain] == second.hash && report.events == 2)
        // Nobody named: refused, nothing written.
        #expect(storeError { try store.recordTeam(.supervisionHeld(person: "  ", on: Fixture.today), stamp: Fixture.stamp()) } != nil)
        #expect(try store.teamEvents().count == 2)
    }

    @Test func theLogCannotBeChangedThroughSQLAndAChangeBehindTheGuardsIsFound() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        for day in 0..<3 { try store.recordTeam(.meetingHeld(on: Fixture.today + -7 * day), stamp: Fixture.stamp()) }
        try store.close()
        try withRawDatabase(dir.file("store.sqlite")) { db in
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE team_events SET payload = '{}' WHERE seq = 2") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM team_events WHERE seq = 3") }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT OR REPLACE INTO team_events SELECT * FROM team_events WHERE seq = 1")
            }
            try db.execute(sql: "DROP TRIGGER team_events_are_never_updated")
            try db.execute(sql: "UPDATE team_events SET payload = replace(payload, '2026-11', '2026-10') WHERE seq = 2")
        }
        let reopened = try CaseStore(path: dir.file("store.sqlite"))
        let report = try reopened.verify()
        #expect(!report.isOK)
        #expect(report.problems.map(\.caseCode) == [CaseStore.teamChain])
        #expect(report.problems.first?.seq == 2 && report.problems.first?.kind == .changed)
    }
}
