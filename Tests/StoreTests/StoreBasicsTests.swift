import Crypto
import Foundation
import GRDB
@testable import Store
import TestSupport
import Testing
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// RELIABILITY.md 6.C target 21: a command id applied twice appends once and returns the original result.
@Suite("Idempotent commands")
struct IdempotencyTests {
    @Test func repeatedCommandAppendsOnce() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        let id = UUID().uuidString
        let command = CaseCommand.assign(role: "behandlare", person: "Person 1", on: Fixture.today)
        let first = try store.execute(command, case: code, stamp: Fixture.stamp(id))
        #expect(!first.wasRepeat)
        #expect(first.events.map(\.seq) == [3])

        // The retry (a later clock, the same id) would now be refused as "already assigned"; it is
        // recognised as the same command instead and returns what was saved the first time.
        let again = try store.execute(command, case: code, stamp: Fixture.stamp(id, at: "2026-11-22T10:05:00Z"))
        #expect(again.wasRepeat)
        #expect(again.events == first.events)
        #expect(again.state.version == 3)
        #expect(try store.events(code).count == 3)

        // After a restart (a new process, no cache) too.
        try store.close()
        let reopened = try CaseStore(path: store.path)
        let afterRestart = try reopened.execute(command, case: code, stamp: Fixture.stamp(id))
        #expect(afterRestart.wasRepeat)
        #expect(afterRestart.events == first.events)
        // A different command under a used id appends nothing.
        let reused = try reopened.execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp(id))
        #expect(reused.wasRepeat)
        #expect(reused.events == first.events)
        #expect(try reopened.events(code).count == 3)
        #expect(try reopened.verify().isOK)
        try reopened.close()
    }

    /// Opening a case is a two-event command: the retry returns both events and the same code.
    @Test func repeatedOpenCaseOpensOnce() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let stamp = Fixture.stamp()
        func open() throws -> CommandOutcome {
            try store.openCase(
                programmeID: "hsp", identity: .init(name: Fixture.studentName, personnummer: Fixture.personnummer), school: "Testskolan",
                grade: 8, referredBy: .eht, on: Fixture.today, stamp: stamp)
        }
        let first = try open()
        let again = try open()
        #expect(!first.wasRepeat && again.wasRepeat)
        #expect(again.code == first.code)
        #expect(again.events == first.events)
        #expect(first.events.count == 2)
        #expect(try store.caseCodes() == [first.code])
        let identities = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identities") }
        #expect(identities == 1)
        try store.close()
    }
}

/// RELIABILITY.md 2.8 and 6.B: private files, and refusals that leave the file alone.
@Suite("File modes and bad stores")
struct FileTests {
    /// Created 0600 in a 0700 directory whatever the process umask (the test does not set one); the
    /// -wal, -shm and lock files follow.
    @Test func newStoreIsPrivate() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let directory = dir.file("data/narvaro")
        let path = directory + "/store.sqlite"
        let store = try CaseStore(path: path, create: true)
        try store.register(source: try Fixture.programmeSource(), file: Fixture.programmePath, recordedAt: Fixture.now)
        _ = try Fixture.openCase(store)
        #expect(fileMode(path) == 0o600)
        #expect(fileMode(directory) == 0o700)
        for suffix in ["-wal", "-shm", ".lock"] {
            let mode = fileMode(path + suffix)
            #expect(mode == 0o600, "\(suffix): \(mode.map { String($0, radix: 8) } ?? "missing")")
        }
        try store.close()
        #expect(fileMode(path) == 0o600)
    }

    @Test func groupReadableStoreIsRefused() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        _ = try Fixture.openCase(store)
        try store.close()
        let path = store.path
        try #require(chmod(path, 0o640) == 0)
        let before = try #require(fileBytes(path))
        for create in [false, true] {
            let error = storeError { try CaseStore(path: path, create: create) }
            guard case .insecurePermissions(let reported, let mode) = error else {
                Issue.record("create \(create): expected insecurePermissions, got \(String(describing: error))")
                continue
            }
            #expect(reported == path && mode == 0o640)
            #expect(error?.rendered(Language.en).contains("chmod 600") == true)
        }
        #expect(fileBytes(path) == before)
        #expect(fileMode(path) == 0o640, "the mode must not be changed behind the user's back")

        // A readable -wal beside a private database is refused too.
        try #require(chmod(path, 0o600) == 0)
        let wal = path + "-wal"
        // GRDB keeps the -wal of a closed pool (persistent WAL); make one if it is not there.
        if !FileManager.default.fileExists(atPath: wal) {
            let fd = open(wal, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            try #require(fd >= 0)
            close(fd)
        }
        try #require(chmod(wal, 0o644) == 0)
        let walBefore = fileBytes(wal)
        let error = storeError { try CaseStore(path: path) }
        guard case .insecurePermissions(let reported, let mode) = error else {
            Issue.record("expected insecurePermissions for the -wal, got \(String(describing: error))")
            return
        }
        #expect(reported == wal && mode == 0o644)
        #expect(fileBytes(path) == before)
        #expect(fileBytes(wal) == walBefore)
    }

    @Test func nonSQLiteFileIsDamaged() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("store.sqlite")
        var random = SplitMix(seed: 0x6E61_7276_6172_6F)
        var bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes[0] = 0x00  // never "SQLite format 3"
        try #require(FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
        for create in [false, true] {
            let error = storeError { try CaseStore(path: path, create: create) }
            guard case .damaged(let reported, _) = error else {
                Issue.record("create \(create): expected damaged, got \(String(describing: error))")
                continue
            }
            #expect(reported == path)
        }
        #expect(fileBytes(path) == Data(bytes))
        #expect(fileMode(path) == 0o600)
    }

    /// `close()` is documented to checkpoint the WAL: afterwards the main file holds the data and the
    /// -wal holds nothing (RELIABILITY.md 2.8: text left in a -wal outlives its deletion).
    @Test func closeCheckpointsTheWAL() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        try Fixture.assign(store, code, count: 3)
        try store.close()
        let walSize = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int) ?? 0
        let main = try #require(fileBytes(store.path))
        #expect(walSize == 0)
        #expect(main.range(of: Data(Fixture.personnummer.utf8)) != nil)
        // Nothing is lost either way.
        let reopened = try CaseStore(path: store.path)
        #expect(try reopened.events(code).count == 5)
        try reopened.close()
    }

    /// RELIABILITY.md 6.B target 17: a damaged page (the first 16 bytes of the events table's root
    /// page overwritten) is reported as damage, and no write goes through.
    @Test func corruptPageIsDetectedAndWritingStops() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        try Fixture.assign(store, code, count: 3)
        try store.close()
        let path = store.path
        let (pageSize, rootPage) = try withRawDatabase(path) { db -> (Int, Int) in
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return (try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_schema WHERE name = 'events'") ?? 0)
        }
        try #require(pageSize > 0 && rootPage > 1)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(pageSize * (rootPage - 1)))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 16))
        try handle.close()
        let damaged = try #require(fileBytes(path))

        let reopened: CaseStore
        switch Result(catching: { try CaseStore(path: path) }) {
        case .failure(let error as StoreError):
            guard case .damaged = error else { Issue.record("opening: \(error)"); return }
            #expect(fileBytes(path) == damaged)
            return  // refusing to open at all is fine
        case .failure(let error):
            Issue.record("opening: \(error)")
            return
        case .success(let store):
            reopened = store
        }
        switch storeError({ try reopened.verify() }) {
        case .damaged?: break
        case nil:
            let report = try reopened.verify()
            #expect(!report.isOK && report.integrity != ["ok"], "verify did not see the damage: \(report.integrity)")
        case let other?:
            Issue.record("verify: \(other)")
        }
        let error = storeError { try reopened.execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp()) }
        if case .damaged = error {} else { Issue.record("a write to a damaged store gave \(String(describing: error))") }
        try? reopened.close()
        #expect(fileBytes(path) == damaged, "nothing may be written into a damaged store")
    }

    @Test func missingStoreIsNotCreated() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        for path in [dir.file("store.sqlite"), dir.file("nowhere/store.sqlite")] {
            let error = storeError { try CaseStore(path: path) }
            guard case .notInitialised(let reported) = error else {
                Issue.record("expected notInitialised, got \(String(describing: error))")
                continue
            }
            #expect(reported == path)
            #expect(error?.rendered(Language.en).contains("narvaro init") == true)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "nothing may be created")
    }
}

/// RELIABILITY.md 6.B target 12: the effective pragmas, read back through the store's own connections.
@Suite("Pragmas")
struct PragmaTests {
    @Test func pragmasAreWhatWeThink() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let pragmas = try store.pragmas()
        #expect(pragmas["journal_mode"] == "wal")
        #expect(pragmas["synchronous"] == "2")
        #expect(pragmas["foreign_keys"] == "1")
        #expect(pragmas["trusted_schema"] == "0")
        // The writer deletes securely (Debian's compile-time default; the store does not set it itself).
        #expect(try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") } == 1)
        // Reader connections: the same hardening, and read-only.
        let reader = try store.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try Int.fetchOne(db, sql: "PRAGMA trusted_schema"))
        }
        #expect(reader.0 == 1 && reader.1 == 0)
        #expect(throws: DatabaseError.self) { try store.read { db in try db.execute(sql: "CREATE TABLE intruder (x)") } }
        try store.close()

        let normal = try CaseStore(path: store.path, durability: .normal)
        #expect(try normal.pragmas()["synchronous"] == "1")
        #expect(try normal.pragmas()["journal_mode"] == "wal")
        try normal.close()
        // Not sticky: the next default open is FULL again.
        let again = try CaseStore(path: store.path)
        #expect(try again.pragmas()["synchronous"] == "2")
        try again.close()
    }
}

/// RELIABILITY.md 6.B target 19: backups are consistent, verified and private.
@Suite("Backup")
struct BackupTests {
    @Test func backupIsAVerifiedPrivateCopy() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let a = try Fixture.openCase(store, personnummer: "201001011234")
        let b = try Fixture.openCase(store, personnummer: "201002021234")
        try Fixture.assign(store, a, count: 3)
        try Fixture.assign(store, b, count: 2)
        let original = try store.verify()
        let destination = dir.file("backup.sqlite")
        let report = try store.backup(to: destination)
        #expect(report.isOK)
        #expect(report.events == 9 && report.cases == 2)
        #expect(fileMode(destination) == 0o600)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("backup") }
        #expect(left == ["backup.sqlite"], "temporary files left behind: \(left)")

        let copy = try CaseStore(path: destination)
        let copied = try copy.verify()
        #expect(copied.isOK)
        #expect(copied.heads == original.heads)
        #expect(try copy.caseCodes() == [a, b])
        for code in [a, b] {
            #expect(try copy.events(code) == store.events(code))
        }
        #expect(try copy.identity(a)?.personnummer == "201001011234")
        try copy.close()

        // Never over an existing file: not the last backup, not anything else.
        for existing in [destination, dir.file("keep.txt")] {
            if !FileManager.default.fileExists(atPath: existing) {
                try #require(FileManager.default.createFile(atPath: existing, contents: Data("keep me".utf8), attributes: [.posixPermissions: 0o600]))
            }
            let before = try #require(fileBytes(existing))
            let error = storeError { try store.backup(to: existing) }
            guard case .io = error else {
                Issue.record("expected io refusal, got \(String(describing: error))")
                continue
            }
            #expect(fileBytes(existing) == before)
        }
        try store.close()
    }

    /// A backup taken while another thread appends holds a consistent snapshot: it verifies and has
    /// at least the events there were when it started.
    @Test func backupWhileWriting() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        try Fixture.assign(store, code, count: 5)
        let atStart = try store.events(code).count
        let errors = Collector<String>()
        let done = DispatchGroup()
        done.enter()
        Thread.detachNewThread {
            for _ in 0..<40 {
                do {
                    _ = try store.execute(.reportConcern(on: Fixture.today), case: code, stamp: Fixture.stamp())
                } catch {
                    errors.append("\(error)")
                }
            }
            done.leave()
        }
        let destination = dir.file("backup.sqlite")
        let report = try store.backup(to: destination)
        done.wait()
        #expect(errors.all.isEmpty, "\(errors.all)")
        #expect(report.isOK)
        let copy = try CaseStore(path: destination)
        let copied = try copy.events(code).count
        #expect(copied >= atStart && copied <= atStart + 40)
        #expect(try copy.verify().isOK)
        try copy.close()
        try store.close()
    }
}

/// RELIABILITY.md 6.C target 24 and the programme pin: state is a pure fold of the stored events, and
/// a case keeps the exact programme bytes it started with.
@Suite("Replay and programme versions")
struct ReplayTests {
    @Test func caseStateIsTheReplayOfItsEvents() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        let commands: [CaseCommand] = [
            .assign(role: "behandlare", person: "Person 1", on: Fixture.today),
            .assign(role: "processledare", person: "Person 2", on: Fixture.today),
            .recordConsent(consent: "samtycke_skola_behandlare", givenBy: "vardnadshavare-1", validFrom: Fixture.today, validUntil: nil, on: Fixture.today),
            .pause(reason: "Eleven är sjuk", on: Fixture.today),
            .reportConcern(on: Fixture.today),
            .resume(on: Fixture.today),
            .unassign(role: "behandlare", person: "Person 1", on: Fixture.today),
        ]
        for command in commands {
            _ = try store.execute(command, case: code, stamp: Fixture.stamp())
        }
        let stored = try store.events(code)
        let replayed = try #require(CaseMachine.replay(stored.map { (event: $0.event, actor: Optional($0.actor)) }))
        // None of these events depends on who recorded it: the plain fold agrees.
        #expect(CaseMachine.replay(stored.map(\.event)) == replayed)
        #expect(replayed.version == stored.count)
        #expect(try store.caseState(code).state == replayed)
        let fresh = try CaseStore(path: store.path)
        #expect(try fresh.caseState(code).state == replayed)
        #expect(replayed.consents.count == 1 && replayed.pauses.count == 1 && replayed.concernReports.count == 1)
        try fresh.close()
        try store.close()
    }

    /// Deviations carry who made them. The writing process keeps the actor (its cache folds with
    /// it); a process that replays the log from disk must arrive at the same state. (Failed before
    /// 00739f2, when the store replayed without actors.)
    @Test func replayKeepsWhoMadeADeviation() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        _ = try store.execute(.skipStep(step: "a_remiss", reason: "Remissen kom muntligt", on: Fixture.today), case: code,
                              stamp: Fixture.stamp(actor: "anna"))
        let stored = try store.events(code)
        #expect(stored.last?.actor == "anna")
        let withActors = stored.reduce(nil as CaseState?) { CaseMachine.evolve($0, $1.event, actor: $1.actor) }
        let writer = try store.caseState(code).state
        #expect(writer == withActors)
        #expect(writer.deviations.map(\.actor) == ["anna"])
        let fresh = try CaseStore(path: store.path)
        let replayed = try fresh.caseState(code).state
        #expect(replayed == writer)
        #expect(replayed.deviations.map(\.actor) == ["anna"])
        #expect(CaseMachine.replay(stored.map { (event: $0.event, actor: Optional($0.actor)) }) == writer)
        try fresh.close()
        try store.close()
    }

    @Test func programmeHashIsStable() throws {
        let source = try Fixture.programmeSource()
        let expected = SHA256.hash(data: source).map { String(format: "%02x", $0) }.joined()
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try CaseStore(path: dir.file("one.sqlite"), create: true)
        let (first, isNew) = try store.register(source: source, file: Fixture.programmePath, recordedAt: Fixture.now)
        #expect(isNew)
        #expect(first.hash == expected && first.id == "hsp")
        let (second, isNewAgain) = try store.register(source: source, file: "elsewhere.xml", recordedAt: "2026-11-22T12:00:00Z")
        #expect(!isNewAgain)
        #expect(second == first, "the first registration is kept")
        #expect(try store.registeredProgrammes().count == 1)
        let code = try Fixture.openCase(store)
        guard case .caseOpened(let opened) = try store.events(code).first?.event else {
            Issue.record("the first event is not caseOpened")
            return
        }
        #expect(opened.programmeHash == expected)
        try store.close()
        let other = try CaseStore(path: dir.file("two.sqlite"), create: true)
        #expect(try other.register(source: source, file: "x.xml", recordedAt: Fixture.now).0.hash == expected)
        try other.close()
    }

    @Test func caseStaysPinnedToItsProgrammeVersion() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let v1 = try Fixture.programmeSource()
        let oldTitle = "Hemmasittarprogram – HSP-liknande behandlingsprogram (demo)"
        let newTitle = "Hemmasittarprogram, andra utgåvan (demo)"
        let text = String(decoding: v1, as: UTF8.self)
        try #require(text.contains("<title>\(oldTitle)</title>"), "hsp.xml's title changed; update this test")
        let v2 = Array(text.replacingOccurrences(of: "<title>\(oldTitle)</title>", with: "<title>\(newTitle)</title>").utf8)

        let store = try Fixture.makeStore(in: dir)
        let v1Hash = try #require(try store.registeredProgrammes().first?.hash)
        let a = try Fixture.openCase(store, personnummer: "201001011234")
        let (registered, isNew) = try store.register(source: v2, file: "hsp-v2.xml", recordedAt: "2026-11-22T11:00:00Z")
        #expect(isNew && registered.id == "hsp" && registered.hash != v1Hash)

        let (stateA, programmeA) = try store.caseState(a)
        #expect(programmeA.title.sv == oldTitle)
        #expect(stateA.opened.programmeHash == v1Hash)
        // New work on the old case still runs on the old version.
        let outcome = try store.execute(.assign(role: "behandlare", person: "Person 1", on: Fixture.today), case: a, stamp: Fixture.stamp())
        #expect(outcome.programme.title.sv == oldTitle)
        // A new case takes the newest version.
        let b = try Fixture.openCase(store, personnummer: "201002021234")
        let (stateB, programmeB) = try store.caseState(b)
        #expect(programmeB.title.sv == newTitle)
        #expect(stateB.opened.programmeHash == registered.hash)
        try store.close()

        // After a restart (no cache), and with the file on disk irrelevant: the pins hold.
        let fresh = try CaseStore(path: store.path)
        #expect(try fresh.caseState(a).programme.title.sv == oldTitle)
        #expect(try fresh.caseState(b).programme.title.sv == newTitle)
        #expect(try fresh.verify().isOK)
        try fresh.close()
    }
}

/// RELIABILITY.md 4.1/3.5: the personnummer lives in `identities` only; events and every other table
/// know the case code. Checked table by table and in the file's bytes.
@Suite("Privacy")
struct PrivacyTests {
    @Test func personnummerOnlyInIdentities() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try Fixture.makeStore(in: dir)
        let code = try Fixture.openCase(store)
        _ = try store.execute(.skipStep(step: "a_remiss", reason: "Remissen kom muntligt", on: Fixture.today), case: code, stamp: Fixture.stamp())
        try Fixture.assign(store, code, count: 2)
        #expect(try store.identity(code)?.personnummer == Fixture.personnummer)
        try store.close()

        let pnr = Fixture.personnummer
        let needles = [pnr, String(pnr.prefix(8)) + "-" + pnr.suffix(4), String(pnr.dropFirst(2).prefix(6)) + "-" + pnr.suffix(4), Fixture.studentName]
        var tablesSeen: [String] = []
        var identityRows = 0
        try withRawDatabase(store.path) { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            tablesSeen = tables
            identityRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identities WHERE personnummer = ?", arguments: [pnr]) ?? 0
            for table in tables where table != "identities" {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)") {
                    for (column, value) in row {
                        let bytes: Data
                        switch value.storage {
                        case .null: bytes = Data()
                        case .int64(let n): bytes = Data(String(n).utf8)
                        case .double(let d): bytes = Data(String(d).utf8)
                        case .string(let s): bytes = Data(s.utf8)
                        case .blob(let d): bytes = d
                        }
                        for needle in needles {
                            #expect(bytes.range(of: Data(needle.utf8)) == nil, "'\(needle)' found in \(table).\(column)")
                        }
                    }
                }
            }
        }
        #expect(tablesSeen.contains("events") && tablesSeen.contains("cases") && tablesSeen.contains("identities"))
        #expect(identityRows == 1)

        // The whole file (and a -wal, if any): the number only where the one identities row keeps it,
        // and never in another spelling.
        var bytes = try #require(fileBytes(store.path))
        bytes.append(fileBytes(store.path + "-wal") ?? Data())
        #expect(occurrences(of: Data(pnr.utf8), in: bytes) <= identityRows)
        for needle in needles.dropFirst().dropLast() {
            #expect(occurrences(of: Data(needle.utf8), in: bytes) == 0, "'\(needle)' in the file")
        }
    }

    private func occurrences(of needle: Data, in haystack: Data) -> Int {
        var count = 0
        var start = haystack.startIndex
        while let range = haystack.range(of: needle, in: start..<haystack.endIndex) {
            count += 1
            start = range.upperBound
        }
        return count
    }
}
