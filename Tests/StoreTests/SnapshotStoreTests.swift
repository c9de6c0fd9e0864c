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

    @Test func everyCommandLeavesTheSnapshotAtTheHead() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        try Fixture.assign(store, code, count: 3)
        let events = try store.events(code)
        let row = try #require(try Self.snapshot(store.path, code))
        let replayed = try Self.replayed(store)
        #expect(row.seq == 5)
        #expect(row.head == events.last?.hash)
        #expect(row.state == replayed[code])
        // A refused command and a repeated command id change nothing.
        let stamp = Fixture.stamp()
        _ = try store.execute(.assign(role: "behandlare", person: "Person 9", on: Fixture.today), case: code, stamp: stamp)
        _ = try store.execute(.assign(role: "behandlare", person: "Person 9", on: Fixture.today), case: code, stamp: stamp)
        #expect(storeError { try store.execute(.resume(on: Fixture.today), case: code, stamp: Fixture.stamp()) } != nil)
        let after = try #require(try Self.snapshot(store.path, code))
        let head = try store.events(code).last?.hash
        let replayedAfter = try Self.replayed(store)
        #expect(after.seq == 6)
        #expect(after.head == head)
        #expect(after.state == replayedAfter[code])
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
        let replayed = try Self.replayed(store)
        for code in codes {
            let row = try #require(try Self.snapshot(store.path, code))
            let head = try store.events(code).last?.hash
            #expect(row.seq == replayed[code]?.version)
            #expect(row.head == head)
            #expect(row.state == replayed[code])
        }
        try store.close()
    }

    /// The report gives the same states whether it reads snapshots, replays a case whose snapshot is
    /// gone, or replays one whose snapshot is behind its chain.
    @Test func theReportReadsSnapshotsAndReplaysWhereTheyAreNotCurrent() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let a = try Fixture.openCase(store, personnummer: "201001011234")
        let b = try Fixture.openCase(store, personnummer: "201002021234")
        let c = try Fixture.openCase(store, personnummer: "201003031234")
        for code in [a, b, c] { try Fixture.assign(store, code, count: 2) }
        try store.close()
        let behind = try #require(try Self.snapshot(dir.file("store.sqlite"), c))
        try withRawDatabase(dir.file("store.sqlite")) { db in
            try db.execute(sql: "DELETE FROM case_snapshots WHERE case_code = ?", arguments: [b])
        }
        let reopened = try CaseStore(path: dir.file("store.sqlite"))
        _ = try reopened.execute(.assign(role: "behandlare", person: "Person 7", on: Fixture.today), case: c, stamp: Fixture.stamp())
        try reopened.close()
        try withRawDatabase(dir.file("store.sqlite")) { db in
            // c's snapshot put back one event behind its chain, as a store written by an older Närvaro would have it.
            try db.execute(sql: "UPDATE case_snapshots SET seq = ?, head = ?, state = ? WHERE case_code = ?",
                           arguments: [behind.seq, behind.head, Data(try #require(behind.state).snapshot()), c])
        }
        let store2 = try CaseStore(path: dir.file("store.sqlite"))
        defer { try? store2.close() }
        let replayed = try Self.replayed(store2)
        let cases = try store2.reportCases()
        #expect(cases.map(\.state.code) == [a, b, c])
        for report in cases {
            let head = try store2.events(report.state.code).last?.hash
            #expect(report.state == replayed[report.state.code])
            #expect(report.head == head)
        }
        let verified = try store2.verify()
        #expect(verified.isOK, "a snapshot behind its chain is only out of date: \(verified.problems)")
    }

    /// A snapshot at the head that does not hold what the events replay to is named by `verify`,
    /// at the event it claims to be at; unreadable bytes too.
    @Test(arguments: ["another case's state", "unreadable bytes"])
    func verifyNamesASnapshotThatDiffersFromItsEvents(how: String) throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let a = try Fixture.openCase(store, personnummer: "201001011234")
        let b = try Fixture.openCase(store, personnummer: "201002021234")
        try Fixture.assign(store, a, count: 2)
        try Fixture.assign(store, b, count: 1)
        try store.close()
        try withRawDatabase(dir.file("store.sqlite")) { db in
            var forged = try #require(try Self.snapshot(dir.file("store.sqlite"), b)?.state)
            forged.staff["behandlare"] = ["Person 1", "Person 2", "Person 3"]
            let bytes = how == "unreadable bytes" ? [UInt8](repeating: 0xee, count: 40) : forged.snapshot()
            try db.execute(sql: "UPDATE case_snapshots SET state = ? WHERE case_code = ?", arguments: [Data(bytes), b])
        }
        let reopened = try CaseStore(path: dir.file("store.sqlite"))
        defer { try? reopened.close() }
        let report = try reopened.verify()
        #expect(report.problems == [.init(caseCode: b, seq: 3, kind: .snapshot)])
    }
}
