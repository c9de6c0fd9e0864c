import Foundation
import GRDB
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// The embedded event store: one SQLite file (WAL, `synchronous=FULL` by default), one writing process
/// at a time, events append-only and hash-chained per case, files 0600 in a 0700 directory.
public final class CaseStore: Sendable {
    public enum Durability: Sendable {
        /// `synchronous=FULL`: a commit survives power loss (the default).
        case full
        /// `synchronous=NORMAL`: survives a crash of the program, may lose the last commits on power loss.
        case normal
    }

    public let path: String
    let pool: DatabasePool
    let lock: WriterLock
    let lockTimeout: Double
    let programmes = ProgrammeCache()
    let states = StateCache()
    /// Set once damage has been seen: a damaged store is never written to again, not even by a checkpoint.
    let damage = DamageFlag()

    /// Opens the store at `path`. With `create`, makes it (and its 0700 directory) when missing.
    public init(path: String, create: Bool = false, durability: Durability = .full, lockTimeout: Double = 10) throws(StoreError) {
        self.path = path
        self.lockTimeout = lockTimeout
        let manager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !manager.fileExists(atPath: path) {
            guard create else { throw StoreError.notInitialised(path: path) }
            if !directory.isEmpty, !manager.fileExists(atPath: directory) {
                do {
                    try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                } catch {
                    throw StoreError.io("cannot create \(directory): \(error.localizedDescription)")
                }
            }
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw StoreError.io("cannot create \(path): \(String(cString: strerror(errno)))") }
            Glibc.close(fd)
        }
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            if stat(file, &info) == 0, Int(info.st_mode) & 0o077 != 0 {
                throw StoreError.insecurePermissions(path: file, mode: Int(info.st_mode) & 0o777)
            }
        }
        lock = WriterLock(path: path + ".lock", storePath: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(lockTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA trusted_schema = OFF")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets synchronous=NORMAL on the writer after prepareDatabase: set the mode here, then check it.
            let wanted = durability == .full ? 2 : 1
            let effective = try pool.writeWithoutTransaction { db -> Int in
                try db.execute(sql: "PRAGMA synchronous = \(wanted)")
                // With FULL every commit waits for fdatasync, and one on a growing file also waits for the
                // file system's journal (about twice as long here): a short WAL that is checkpointed and
                // then written over keeps commits off that path. NORMAL keeps SQLite's default.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(durability == .full ? 128 : 1000)")
                return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            }
            guard effective == wanted else { throw StoreError.database("synchronous is \(effective), not \(wanted)") }
            try lock.withLock(timeout: lockTimeout) {
                try Self.migrator.migrate(pool)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw StoreError.damaged(path: path, detail: error.message ?? "\(error.resultCode)")
        } catch {
            throw StoreError.database("\(error)")
        }
    }

    /// The store's pragmas as SQLite reports them (for checks and tests).
    public func pragmas() throws -> [String: String] {
        try pool.writeWithoutTransaction { db in
            var result: [String: String] = [:]
            for name in ["journal_mode", "synchronous", "foreign_keys", "trusted_schema"] {
                result[name] = try String.fetchOne(db, sql: "PRAGMA \(name)") ?? ""
            }
            return result
        }
    }

    /// Named, append-only migrations: never change one that has shipped; add a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-events") { db in
            try db.execute(sql: """
                CREATE TABLE programmes (
                    hash TEXT PRIMARY KEY NOT NULL,
                    id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    source BLOB NOT NULL,
                    registered_at TEXT NOT NULL
                );
                CREATE TABLE cases (
                    code TEXT PRIMARY KEY NOT NULL,
                    programme_hash TEXT NOT NULL REFERENCES programmes(hash),
                    opened_at TEXT NOT NULL
                );
                -- Who the student is, apart from everything else: events and reports only know the case code.
                CREATE TABLE identities (
                    code TEXT PRIMARY KEY NOT NULL REFERENCES cases(code),
                    name TEXT NOT NULL,
                    personnummer TEXT NOT NULL
                );
                CREATE TABLE events (
                    case_code TEXT NOT NULL REFERENCES cases(code),
                    seq INTEGER NOT NULL,
                    command_id TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    programme_version TEXT NOT NULL,
                    type TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    PRIMARY KEY (case_code, seq)
                ) WITHOUT ROWID;
                CREATE INDEX events_by_command ON events(command_id);
                CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                """)
        }
        migrator.registerMigration("v2-attendance") { db in
            try db.execute(sql: """
                -- Students as the attendance files name them, kept apart like identities: the attendance
                -- rows know only the student's number in this table, never the personnummer.
                CREATE TABLE attendance_students (
                    id INTEGER PRIMARY KEY,
                    personnummer TEXT NOT NULL UNIQUE,
                    name TEXT
                );
                -- Raw figures per student and period, as imported (narvaro attendance import).
                CREATE TABLE attendance (
                    student INTEGER NOT NULL REFERENCES attendance_students(id),
                    period_from TEXT NOT NULL,
                    period_to TEXT NOT NULL,
                    unit TEXT NOT NULL CHECK (unit IN ('minutes', 'lessons')),
                    scheduled REAL NOT NULL CHECK (scheduled >= 0),
                    attended REAL NOT NULL CHECK (attended >= 0),
                    valid_absence REAL NOT NULL CHECK (valid_absence >= 0),
                    invalid_absence REAL NOT NULL CHECK (invalid_absence >= 0),
                    imported_at TEXT NOT NULL,
                    file TEXT NOT NULL,
                    PRIMARY KEY (student, period_from, period_to),
                    CHECK (period_from <= period_to)
                ) WITHOUT ROWID;
                CREATE INDEX attendance_by_end ON attendance(period_to);
                """)
        }
        migrator.registerMigration("v3-events-never-replaced") { db in
            // INSERT OR REPLACE deletes without firing the DELETE trigger (recursive_triggers is off):
            // refuse any insert onto an existing place in a case's log.
            try db.execute(sql: """
                CREATE TRIGGER events_are_never_replaced BEFORE INSERT ON events
                    WHEN EXISTS (SELECT 1 FROM events WHERE case_code = NEW.case_code AND seq = NEW.seq)
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                """)
        }
        migrator.registerMigration("v4-case-code-counters") { db in
            // The last number given per code prefix and year (HSP-2026-), so that opening a case does not
            // read every code before it. Filled from the codes already given.
            try db.execute(sql: """
                CREATE TABLE case_code_counters (
                    pattern TEXT PRIMARY KEY NOT NULL,
                    last INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO case_code_counters (pattern, last)
                    SELECT substr(code, 1, instr(code, '-') + 5), MAX(CAST(substr(code, instr(code, '-') + 6) AS INTEGER))
                    FROM cases GROUP BY 1;
                """)
        }
        migrator.registerMigration("v5-team-events") { db in
            // The team's own log (team meetings, supervision): append-only and hash-chained like a case's.
            try db.execute(sql: """
                CREATE TABLE team_events (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    command_id TEXT NOT NULL UNIQUE,
                    actor TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    type TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE TRIGGER team_events_are_never_updated BEFORE UPDATE ON team_events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER team_events_are_never_deleted BEFORE DELETE ON team_events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER team_events_are_never_replaced BEFORE INSERT ON team_events
                    WHEN EXISTS (SELECT 1 FROM team_events WHERE seq = NEW.seq)
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                """)
        }
        migrator.registerMigration("v6-case-snapshots") { db in
            // Each case's state as of one of its events (`seq`, whose hash is `head`), written in the
            // same transaction as the events (see CaseStore+Snapshots), so that the report reads a row
            // per case and folds in only the events after it. A cache, never the record: used only
            // while event `seq` still has hash `head`, and `narvaro verify` checks it against a
            // replay. Cases written before this migration get one as their log goes on.
            try db.execute(sql: """
                CREATE TABLE case_snapshots (
                    case_code TEXT PRIMARY KEY NOT NULL REFERENCES cases(code),
                    seq INTEGER NOT NULL,
                    head TEXT NOT NULL,
                    format INTEGER NOT NULL,
                    state BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v7-programmes-listed") { db in
            // Listing the registered programmes (done before every case is opened) read each row up to
            // registered_at, which comes after the source text: some fifty overflow pages per programme.
            // This index answers the list, in its order, without touching the rows.
            try db.execute(sql: "CREATE INDEX programmes_listed ON programmes(registered_at, id, version, hash)")
        }
        return migrator
    }()

    /// Runs a write transaction holding the writer lock.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try lock.withLock(timeout: lockTimeout) {
                try pool.writeWithoutTransaction { db in try Self.immediateTransaction(db, body) }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as WorkflowError {
            throw StoreError.refused(error)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError.busy(path: path, seconds: Int(lockTimeout))
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            damage.set()
            throw StoreError.damaged(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }

    /// `body` in a `BEGIN IMMEDIATE … COMMIT` transaction, rolled back if anything throws: what GRDB's
    /// `write` does, but with the two statements prepared once per connection (GRDB compiles both anew
    /// for every transaction, a tenth of the work of a small command).
    private static func immediateTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let result = try body(db)
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return result
        } catch {
            // SQLite may have rolled back already (a full disk, an I/O error): then there is nothing to undo.
            if db.isInsideTransaction { try? db.rollback() }
            throw error
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            if case .damaged = error { damage.set() }
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            damage.set()
            throw StoreError.damaged(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }

    /// Closes the database (checkpointing the WAL).
    /// Checkpoints the WAL into the main file (so no copy of the data lingers in `-wal`), then closes.
    public func close() throws {
        if !damage.isSet { try? pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } }
        try pool.close()
    }
}

/// Whether damage has been seen in this store.
final class DamageFlag: @unchecked Sendable {
    // @unchecked Sendable: the flag is only touched under `mutex`.
    private let mutex = Mutex()
    private var value = false

    var isSet: Bool { mutex.withLock { value } }
    func set() { mutex.withLock { value = true } }
}
