import Foundation
import GRDB
@testable import Store
import Testing
import Workflow

/// `CaseStore.batch`: many commands in one transaction, each checked and chained as on its own.
@Suite("Batch") struct BatchTests {
    static let role = "behandlare"

    func count(_ store: CaseStore, _ table: String) throws -> Int {
        try store.runRead { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    @Test func aBatchWritesWhatTheSameCommandsWriteOneByOne() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let batched = try Fixture.makeStore(in: dir, name: "a.sqlite")
        let single = try Fixture.makeStore(in: dir, name: "b.sqlite")
        let commands: [CaseCommand] = (1...5).map { .assign(role: Self.role, person: "Person \($0)", on: Fixture.today) }
            + [.unassign(role: Self.role, person: "Person 2", on: Fixture.today), .pause(reason: "sjukdom", on: Fixture.today)]
        let code = try batched.batch { batch throws(StoreError) in
            let code = try batch.openCase(
                programmeID: "hsp", identity: .init(name: Fixture.studentName, personnummer: Fixture.personnummer), school: "Testskolan",
                grade: 8, referredBy: .eht, on: Fixture.today, stamp: Fixture.stamp("open"), evaluator: nil).code
            for (i, command) in commands.enumerated() {
                _ = try batch.execute(command, case: code, stamp: Fixture.stamp("c\(i)"), expectedVersion: nil, evaluator: nil, attendance: nil)
            }
            return code
        }
        let other = try single.openCase(
            programmeID: "hsp", identity: .init(name: Fixture.studentName, personnummer: Fixture.personnummer), school: "Testskolan",
            grade: 8, referredBy: .eht, on: Fixture.today, stamp: Fixture.stamp("open")).code
        for (i, command) in commands.enumerated() {
            _ = try single.execute(command, case: other, stamp: Fixture.stamp("c\(i)"))
        }
        #expect(code == other)
        let a = try batched.events(code), b = try single.events(other)
        #expect(a.map(\.hash) == b.map(\.hash))
        #expect(a.count == 2 + commands.count)
        #expect(try batched.verify().isOK)
        // The state the batch left in the cache is the state a replay gives, and the next command builds on it.
        let replayed = CaseMachine.replay(a.map { (event: $0.event, actor: Optional($0.actor)) })
        #expect(try batched.caseState(code).state == replayed)
        _ = try batched.execute(.resume(on: Fixture.today), case: code, stamp: Fixture.stamp())
        #expect(try batched.verify().isOK)
    }

    @Test func aRefusedCommandWritesNothingAndTheBatchGoesOn() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        let before = try store.events(code).count
        try store.batch { batch throws(StoreError) in
            _ = try batch.execute(.assign(role: Self.role, person: "Person 1", on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: nil, evaluator: nil, attendance: nil)
            let refused = storeError { try batch.execute(.resume(on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: nil, evaluator: nil, attendance: nil) }
            guard case .refused = refused else { Issue.record("resuming a case that is not paused: \(String(describing: refused))"); return }
            let conflict = storeError { try batch.execute(.assign(role: Self.role, person: "Person 2", on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: 1, evaluator: nil, attendance: nil) }
            guard case .versionConflict = conflict else { Issue.record("expected a conflict: \(String(describing: conflict))"); return }
            _ = try batch.execute(.assign(role: Self.role, person: "Person 3", on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: nil, evaluator: nil, attendance: nil)
        }
        let events = try store.events(code)
        #expect(events.count == before + 2)
        #expect(events.map(\.seq) == Array(1...(before + 2)))
        #expect(try store.verify().isOK)
    }

    @Test func aBatchThatThrowsKeepsNothing() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        let before = try store.events(code)
        let error = storeError {
            try store.batch { batch throws(StoreError) in
                _ = try batch.execute(.assign(role: Self.role, person: "Person 1", on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: nil, evaluator: nil, attendance: nil)
                _ = try batch.openCase(
                    programmeID: "hsp", identity: .init(name: "Testa Två", personnummer: "201001011234"), school: "Testskolan", grade: 7,
                    referredBy: .eht, on: Fixture.today, stamp: Fixture.stamp(), evaluator: nil)
                throw StoreError.io("the caller gave up")
            }
        }
        #expect(error != nil)
        #expect(try store.events(code).map(\.hash) == before.map(\.hash))
        #expect(try store.caseCodes() == [code])
        #expect(try count(store, "identities") == 1)
        // The cache did not keep what was rolled back: the next command chains onto the stored head.
        _ = try store.execute(.assign(role: Self.role, person: "Person 9", on: Fixture.today), case: code, stamp: Fixture.stamp())
        #expect(try store.verify().isOK)
    }

    @Test func aFailureTheCallerCaughtStillRollsTheBatchBack() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        // Make the database itself refuse one kind of event, as a full disk or a damaged page would.
        try withRawDatabase(dir.file("store.sqlite")) { db in
            try db.execute(sql: """
                CREATE TRIGGER test_refuses_pauses BEFORE INSERT ON events WHEN NEW.type = 'casePaused'
                BEGIN SELECT RAISE(ABORT, 'test: no pauses'); END;
                """)
        }
        let before = try store.events(code).count
        let error = storeError {
            try store.batch { batch throws(StoreError) in
                _ = try batch.execute(.assign(role: Self.role, person: "Person 1", on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: nil, evaluator: nil, attendance: nil)
                let failed = storeError { try batch.execute(.pause(reason: "sjukdom", on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: nil, evaluator: nil, attendance: nil) }
                #expect(failed != nil)
                // Nothing more is accepted once the batch is spoiled.
                #expect(storeError { try batch.execute(.assign(role: Self.role, person: "Person 2", on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: nil, evaluator: nil, attendance: nil) } != nil)
            }
        }
        #expect(error != nil)
        #expect(try store.events(code).count == before)
        #expect(try store.verify().isOK)
    }

    @Test func caseCodesCountOnPastNineThousandNineHundredAndNinetyNine() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        let pattern = String(code.dropLast(4))
        try store.write { db in
            try db.execute(sql: "UPDATE case_code_counters SET last = 9998 WHERE pattern = ?", arguments: [pattern])
        }
        let next = try Fixture.openCase(store, personnummer: "201001011234")
        let after = try Fixture.openCase(store, personnummer: "201001021233")
        #expect(next == pattern + "9999")
        #expect(after == pattern + "10000")
    }

    @Test func aStoreFromBeforeTheCountersGoesOnFromItsLastCode() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        var store: CaseStore? = try Fixture.makeStore(in: dir)
        let codes = try (0..<3).map { i in try Fixture.openCase(store!, personnummer: "20100101\(1230 + i)") }
        try store?.close()
        store = nil
        // As a store written before migration v4 is: no counters, the migration not yet run.
        try withRawDatabase(dir.file("store.sqlite")) { db in
            try db.execute(sql: "DROP TABLE case_code_counters; DELETE FROM grdb_migrations WHERE identifier = 'v4-case-code-counters'")
        }
        let reopened = try CaseStore(path: dir.file("store.sqlite"))
        let next = try Fixture.openCase(reopened, personnummer: "201001021233")
        #expect(next == String(codes[2].dropLast(4)) + "0004")
    }
}
