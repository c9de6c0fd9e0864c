import Foundation
import GRDB
@testable import Store
import Testing
import Workflow

/// Each case's snapshot: written with every command in the same transaction, read by the report
/// only while it is at the chain's head, and checked by `verify` against a fresh replay.
@Suite("Case snapshots in the store")
struct SnapshotStoreTests {
    /// The snapshot row of a case: its place, head and decoded state.
    static func snapshot(_ path: String, _ code: String) throws -> (seq: Int, head: String, state: CaseState?)? {
        try withRawDatabase(path) { db in
            try Row.fetchOne(db, sql: "SELECT seq, head, state FROM case_snapshots WHERE case_code = ?", arguments: [code]).map { row in
                let bytes: Data = row["state"]
                return (row["seq"], row["head"], CaseState(snapshot: [UInt8](bytes)))
            }
        }
    }

    /// Every case replayed from its events alone, as the report would see it without snapshots.
    static func replayed(_ store: CaseStore) throws -> [String: CaseState] {
        var result: [String: CaseState] = [:]
        for code in try store.caseCodes() {
            let log = try store.events(code).map { (event: $0.event, actor: Optional($0.actor)) }
            result[code] = CaseMachine.replay(log)
        }
        return result
    }

    /// The case's snapshot stands at event `seq`, its last, and holds what its events replay to.
    static func expectSnapshotAtHead(
        _ store: CaseStore, _ code: String, seq: Int?, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let row = try #require(try snapshot(store.path, code), sourceLocation: sourceLocation)
        let head = try store.events(code).last?.hash
        let replayed = try replayed(store)[code]
        #expect(row.seq == seq, sourceLocation: sourceLocation)
        #expect(row.head == head, sourceLocation: sourceLocation)
        #expect(row.state == replayed, sourceLocation: sourceLocation)
    }

    /// A case of `events` events (opened, phase entered, then staff assignments), one command each.
    static func caseOf(_ events: Int, in store: CaseStore, personnummer: String = Fixture.personnummer) throws -> String {
        let code = try Fixture.openCase(store, personnummer: personnummer)
        try Fixture.assign(store, code, count: events - 2)
        return code
    }

    @Test func singleCommandsWriteTheSnapshotAtEverySixteenthEvent() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let interval = CaseStore.snapshotInterval
        let code = try Self.caseOf(interval - 1, in: store)
        #expect(try Self.snapshot(store.path, code) == nil, "no snapshot before the \(interval)th event")
        try Fixture.assign(store, code, count: 1, from: 100)
        try Self.expectSnapshotAtHead(store, code, seq: interval)
        // Later commands leave it where it is until the next multiple; a refused command and a
        // repeated command id change nothing.
        let stamp = Fixture.stamp()
        _ = try store.execute(.assign(role: "behandlare", person: "Person 99", on: Fixture.today), case: code, stamp: stamp)
        _ = try store.execute(.assign(role: "behandlare", person: "Person 99", on: Fixture.today), case: code, stamp: stamp)
        #expect(storeError { try store.execute(.resume(on: Fixture.today), case: code, stamp: Fixture.stamp()) } != nil)
        #expect(try Self.snapshot(store.path, code)?.seq == interval)
        try Fixture.assign(store, code, count: interval - 1, from: 200)
        try Self.expectSnapshotAtHead(store, code, seq: 2 * interval)
        try store.close()
    }

    @Test func aBatchLeavesEachCaseAtItsHead() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir, durability: .normal)
        let codes = try store.batch { batch throws(StoreError) -> [String] in
            var codes: [String] = []
            for n in 0..<3 {
                let code = try batch.openCase(
                    programmeID: "hsp", identity: .init(name: "Testa Testsson", personnummer: "20100101123\(n)"), school: "Testskolan",
                    grade: 8, referredBy: .eht, on: Fixture.today, stamp: Fixture.stamp()).code
                for i in 0...n {
                    _ = try batch.execute(.assign(role: "behandlare", person: "Person \(i)", on: Fixture.today), case: code, stamp: Fixture.stamp(),
                                          expectedVersion: nil, evaluator: nil, attendance: nil)
                }
                codes.append(code)
            }
            return codes
        }
        for (n, code) in codes.enumerated() { try Self.expectSnapshotAtHead(store, code, seq: 2 + n + 1) }
        try store.close()
    }

    /// The report gives the same states whether it reads a snapshot at the head, one behind it (with
    /// the events after it folded in), none at all, or one whose event was written again (a rewritten
    /// chain: replayed whole).
    @Test func theReportReadsSnapshotsAndReplaysWhereTheyAreNotCurrent() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let interval = CaseStore.snapshotInterval
        let atHead = try Self.caseOf(interval, in: store, personnummer: "201001011234")
        let behind = try Self.caseOf(interval + 5, in: store, personnummer: "201002021234")
        let none = try Self.caseOf(interval - 3, in: store, personnummer: "201003031234")
        let rewritten = try Self.caseOf(interval + 2, in: store, personnummer: "201004041234")
        try store.close()
        try withRawDatabase(dir.file("store.sqlite")) { db in
            // As a chain written again with fresh hashes would leave it: the snapshot names a hash
            // its event no longer has (and holds a state the events no longer give).
            var forged = try #require(try Self.snapshot(dir.file("store.sqlite"), rewritten)?.state)
            forged.staff["behandlare"] = ["Någon Annan"]
            try db.execute(sql: "UPDATE case_snapshots SET head = ?, state = ? WHERE case_code = ?",
                           arguments: [String(repeating: "0", count: 64), Data(forged.snapshot()), rewritten])
        }
        let reopened = try CaseStore(path: dir.file("store.sqlite"))
        defer { try? reopened.close() }
        #expect(try Self.snapshot(reopened.path, behind)?.seq == interval)
        #expect(try Self.snapshot(reopened.path, none) == nil)
        let replayed = try Self.replayed(reopened)
        let cases = try reopened.reportCases()
        #expect(cases.map(\.state.code) == [atHead, behind, none, rewritten])
        for report in cases {
            let head = try reopened.events(report.state.code).last?.hash
            #expect(report.state == replayed[report.state.code])
            #expect(report.head == head)
        }
        let verified = try reopened.verify()
        #expect(verified.isOK, "a snapshot behind its chain, or of a rewritten chain, is only out of date: \(verified.problems)")
    }

    /// Snapshots an earlier Närvaro wrote in format 1 are still read by the report and checked by
    /// `verify`, and the case's next snapshot is written in the current format.
    @Test func snapshotsOfTheEarlierFormatAreStillRead() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let interval = CaseStore.snapshotInterval
        let code = try Self.caseOf(interval + 2, in: store, personnummer: "201001011234")
        try store.close()
        let state = try #require(try Self.snapshot(dir.file("store.sqlite"), code)?.state)
        try withRawDatabase(dir.file("store.sqlite")) { db in
            try db.execute(sql: "UPDATE case_snapshots SET format = 1, state = ? WHERE case_code = ?", arguments: [Data(state.snapshot(format: 1)), code])
        }
        let reopened = try CaseStore(path: dir.file("store.sqlite"))
        defer { try? reopened.close() }
        #expect(try reopened.reportCases().first?.state == Self.replayed(reopened)[code])
        #expect(try reopened.verify().isOK)
        try Fixture.assign(reopened, code, count: interval, from: 100)
        let format = try withRawDatabase(reopened.path) { db in
            try Int.fetchOne(db, sql: "SELECT format FROM case_snapshots WHERE case_code = ?", arguments: [code])
        }
        #expect(format == CaseState.snapshotFormat)
        #expect(try reopened.verify().isOK, "verify replays the case to the new snapshot's event and compares")
    }

    /// A snapshot at its chain's head that does not read is found on the report's worker thread; the
    /// report is then made again from every case's events, and is the report the events give.
    @Test func theReportOfAStoreWithAnUnreadableSnapshotIsTheReportOfItsEvents() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let interval = CaseStore.snapshotInterval
        _ = try Self.caseOf(interval, in: store, personnummer: "201001011234")
        let broken = try Self.caseOf(interval, in: store, personnummer: "201002021234")
        try store.close()
        func report() throws -> Data {
            let reopened = try CaseStore(path: dir.file("store.sqlite"))
            defer { try? reopened.close() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(try #require(try reopened.fidelityReport(asOf: Fixture.today)))
        }
        let whole = try report()
        try withRawDatabase(dir.file("store.sqlite")) { db in
            try db.execute(sql: "UPDATE case_snapshots SET state = ? WHERE case_code = ?", arguments: [Data(repeating: 0xee, count: 40), broken])
        }
        #expect(try report() == whole)
        try withRawDatabase(dir.file("store.sqlite")) { db in try db.execute(sql: "DELETE FROM case_snapshots") }
        #expect(try report() == whole, "the report from the events alone")
    }

    /// A snapshot that does not hold what its events replay to is named by `verify`, at the event
    /// it claims to be at; unreadable bytes too, and one that names an event the chain does not have.
    @Test(arguments: ["another state", "unreadable bytes", "an event the chain does not have"])
    func verifyNamesASnapshotThatDiffersFromItsEvents(how: String) throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let interval = CaseStore.snapshotInterval
        _ = try Self.caseOf(interval + 1, in: store, personnummer: "201001011234")
        let b = try Self.caseOf(interval + 3, in: store, personnummer: "201002021234")
        try store.close()
        try withRawDatabase(dir.file("store.sqlite")) { db in
            switch how {
            case "another state":
                var forged = try #require(try Self.snapshot(dir.file("store.sqlite"), b)?.state)
                forged.staff["behandlare"] = ["Person 1", "Person 2", "Person 3"]
                try db.execute(sql: "UPDATE case_snapshots SET state = ? WHERE case_code = ?", arguments: [Data(forged.snapshot()), b])
            case "unreadable bytes":
                try db.execute(sql: "UPDATE case_snapshots SET state = ? WHERE case_code = ?", arguments: [Data(repeating: 0xee, count: 40), b])
            default:
                try db.execute(sql: "UPDATE case_snapshots SET seq = ? WHERE case_code = ?", arguments: [interval + 9, b])
            }
        }
        let reopened = try CaseStore(path: dir.file("store.sqlite"))
        defer { try? reopened.close() }
        let report = try reopened.verify()
        #expect(report.problems == [.init(caseCode: b, seq: how == "an event the chain does not have" ? interval + 9 : interval, kind: .snapshot)])
        // The report does not use what it cannot trust: it replays the case.
        let replayed = try Self.replayed(reopened)
        if how != "another state" {
            #expect(try reopened.reportCases().first { $0.state.code == b }?.state == replayed[b])
        }
    }
}
