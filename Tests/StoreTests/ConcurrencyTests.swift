import Foundation
import GRDB
@testable import Store
import Testing
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// RELIABILITY.md 6.C target 20 (version conflicts are explicit) and 6.B target 16 (single writer).
@Suite("Concurrent writers")
struct ConcurrencyTests {
    /// Two sessions read version v and both submit with `expectedVersion: v`: exactly one is saved, the
    /// other gets `versionConflict(case, expected: v, found: v + 1)`, and the log has v + 1 events.
    /// Even rounds use two `CaseStore`s on the file (as two processes would), odd rounds one shared store.
    @Test func staleVersionLosesExactlyOnce() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let first = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(first)
        let second = try CaseStore(path: first.path)
        let rounds = 40
        for round in 0..<rounds {
            let v = try first.caseState(code).state.version
            let stores = round.isMultiple(of: 2) ? [first, second] : [first, first]
            let results = Collector<(writer: Int, result: Result<Int, StoreError>)>()
            let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for writer in 0..<2 {
                done.enter()
                Thread.detachNewThread {
                    ready.signal()
                    go.wait()
                    do {
                        let outcome = try stores[writer].execute(
                            .reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp(actor: "writer-\(writer)"), expectedVersion: v)
                        results.append((writer, .success(outcome.state.version)))
                    } catch let error as StoreError {
                        results.append((writer, .failure(error)))
                    } catch {
                        results.append((writer, .failure(.database("unexpected error type: \(error)"))))
                    }
                    done.leave()
                }
            }
            // Both threads have read nothing yet; release them together.
            ready.wait()
            ready.wait()
            go.signal()
            go.signal()
            done.wait()
            let all = results.all
            let successes = all.compactMap { try? $0.result.get() }
            #expect(successes == [v + 1], "round \(round): \(all)")
            let conflicts = all.compactMap { entry -> (String, Int, Int)? in
                if case .failure(.versionConflict(let c, let expected, let found)) = entry.result { return (c, expected, found) }
                return nil
            }
            #expect(conflicts.count == 1, "round \(round): \(all)")
            if let conflict = conflicts.first {
                #expect(conflict.0 == code && conflict.1 == v && conflict.2 == v + 1)
            }
            #expect(try second.events(code).count == v + 1)
        }
        #expect(try first.caseState(code).state.version == 2 + rounds)
        let report = try first.verify()
        #expect(report.isOK, "\(report.problems)")
        try first.close()
        try second.close()
    }

    /// A stale version is refused even without a race, and the message names both versions.
    @Test func staleVersionIsRefusedAndNothingSaved() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        try Fixture.assign(store, code, count: 1)
        let error = storeError { try store.execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp(), expectedVersion: 2) }
        guard case .versionConflict(let c, let expected, let found) = error else {
            Issue.record("expected versionConflict, got \(String(describing: error))")
            return
        }
        #expect(c == code && expected == 2 && found == 3)
        #expect(error?.rendered(Language.en).contains("version 3") == true)
        #expect(try store.events(code).count == 3)
        try store.close()
    }

    /// Two store instances writing at the same time without an expected version both get every
    /// write through, one after the other: no SQLITE_BUSY, no lost or duplicated event.
    @Test func twoInstancesTakeTurns() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let first = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(first)
        let second = try CaseStore(path: first.path)
        let stores = [first, second]
        let perWriter = 50
        let errors = Collector<StoreError>()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for _ in 0..<perWriter {
                do {
                    _ = try stores[writer].execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp(actor: "writer-\(writer)"))
                } catch let error as StoreError {
                    errors.append(error)
                } catch {
                    errors.append(.database("unexpected error type: \(error)"))
                }
            }
        }
        #expect(errors.all.isEmpty, "\(errors.all.map { $0.rendered(Language.en) })")
        let events = try second.events(code)
        #expect(events.map(\.seq) == Array(1...(2 + 2 * perWriter)))
        #expect(Set(events.map(\.commandID)).count == 1 + 2 * perWriter)
        #expect(try first.verify().isOK)
        try first.close()
        try second.close()
    }

    /// Two `narvaro` processes writing to one case at once: every command succeeds in turn (the writer
    /// lock serialises them); nobody sees SQLITE_BUSY or "database is locked".
    @Test(.enabled(if: Fixture.executable != nil, "no narvaro executable at .build/debug/narvaro: run `swift build` first"))
    func twoProcessesTakeTurns() throws {
        let executable = try #require(Fixture.executable)
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        try store.close()
        let perProcess = 8
        let results = Collector<(status: Int32?, stdout: String, stderr: String)>()
        let failures = Collector<String>()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for i in 0..<perProcess {
                do {
                    results.append(try Child.run(
                        executable, ["case", "concern", code, "--store", store.path, "--actor", "writer-\(writer)", "--lang", "en"],
                        in: dir, tag: "w\(writer)-\(i)"))
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(results.all.count == 2 * perProcess)
        for result in results.all {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.localizedCaseInsensitiveContains("busy") && !result.stderr.contains("locked"), "\(result.stderr)")
        }
        let reopened = try CaseStore(path: store.path)
        let report = try reopened.verify()
        #expect(report.isOK, "\(report.integrity) \(report.problems)")
        let events = try reopened.events(code)
        #expect(events.map(\.seq) == Array(1...(2 + 2 * perProcess)))
        #expect(Dictionary(grouping: events.dropFirst(2), by: \.actor).mapValues(\.count) == ["writer-0": perProcess, "writer-1": perProcess])
        try reopened.close()
    }

    /// Another session holding the writer lock longer than `lockTimeout`: the write waits about that
    /// long, then fails with `StoreError.busy`, and nothing is written. Once the lock is free it works.
    @Test func heldLockGivesBusy() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir, lockTimeout: 0.3)
        let code = try Fixture.openCase(store)
        // A separate open file description: flock conflicts with it as with another process.
        let fd = open(store.path + ".lock", O_RDWR | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)

        let clock = ContinuousClock()
        let start = clock.now
        let error = storeError { try store.execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp()) }
        let waited = clock.now - start
        guard case .busy = error else {
            Issue.record("expected busy, got \(String(describing: error))")
            return
        }
        #expect(waited >= .milliseconds(250) && waited < .seconds(5), "waited \(waited)")
        #expect(error?.rendered(Language.en).contains("Another session is writing") == true)
        if case .busy(let named, _) = error {
            #expect(named == store.path)
        }

        // Opening another store while the lock is held either works or says busy; never a SQLite error.
        if let openError = storeError({ try CaseStore(path: store.path, lockTimeout: 0.2) }) {
            if case .busy = openError {} else { Issue.record("opening while locked: \(openError)") }
        }

        flock(fd, LOCK_UN)
        #expect(try store.events(code).count == 2)
        _ = try store.execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp())
        #expect(try store.events(code).count == 3)
        try store.close()
    }

    /// A connection outside the lock (a foreign tool) holding a write transaction: SQLite's busy
    /// timeout expires and the store reports `busy`, not a raw "database is locked".
    @Test func foreignWriteTransactionGivesBusy() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir, lockTimeout: 0.3)
        let code = try Fixture.openCase(store)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // keep BEGIN IMMEDIATE open across accesses
        let foreign = try DatabaseQueue(path: store.path, configuration: configuration)
        defer { try? foreign.close() }
        try foreign.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let error = storeError { try store.execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp()) }
        try foreign.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        guard case .busy = error else {
            Issue.record("expected busy, got \(String(describing: error))")
            return
        }
        #expect(try store.events(code).count == 2)
        _ = try store.execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp())
        #expect(try store.events(code).count == 3)
        try store.close()
    }
}
