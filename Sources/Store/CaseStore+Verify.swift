import Foundation
import GRDB
import Workflow

/// What `narvaro verify` found.
public struct VerifyReport: Sendable {
    public struct Problem: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable {
            /// The event's content no longer matches its hash.
            case changed
            /// A sequence number is missing: an event was removed.
            case missing
            /// The event does not follow the one before it in the chain (moved or reordered).
            case reordered
            /// The event cannot be read or the log cannot be replayed.
            case unreadable
            /// The case's snapshot (the state the report reads) is not what its events replay to;
            /// `seq` is the event it claims to be at.
            case snapshot
        }

        public var caseCode: String
        public var seq: Int
        public var kind: Kind
    }

    /// `ok`, or what SQLite's integrity_check reported.
    public var integrity: [String]
    public var foreignKeyProblems: Int
    public var cases: Int
    public var events: Int
    /// The first broken event of each broken case.
    public var problems: [Problem]
    /// The last hash of each case's chain (what a report anchors).
    public var heads: [String: String]

    public var isOK: Bool { integrity == ["ok"] && foreignKeyProblems == 0 && problems.isEmpty }
}

extension CaseStore {
    /// Checks the file (SQLite's integrity_check and foreign keys) and every case's hash chain,
    /// naming the first broken event of each case.
    public func verify() throws(StoreError) -> VerifyReport {
        try runRead { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
            if integrity != ["ok"] { damage.set() }
            var report = VerifyReport(integrity: integrity, foreignKeyProblems: foreignKeys, cases: 0, events: 0, problems: [], heads: [:])
            let codes = try String.fetchAll(db, sql: "SELECT code FROM cases ORDER BY code")
            let snapshots = try db.cachedStatement(sql: "SELECT seq, head, format, state FROM case_snapshots WHERE case_code = ?")
            for code in codes {
                report.cases += 1
                let rows = try Row.fetchAll(
                    db, sql: "SELECT seq, command_id, actor, recorded_at, programme_version, type, payload, prev_hash, hash FROM events WHERE case_code = ? ORDER BY seq",
                    arguments: [code])
                report.events += rows.count
                let check = Self.checkChain(code, rows: rows) { (event: CaseEvent) in event.type }
                var problem = check.problem
                if problem == nil {
                    // One replay: the whole log must fold, and the state at the snapshot's event is kept.
                    let snapshot = try Row.fetchOne(snapshots, arguments: [code])
                    let snapshotSeq: Int? = snapshot?["seq"]
                    var state: CaseState?
                    var atSnapshot: CaseState?
                    for (index, (event, row)) in zip(check.events, rows).enumerated() {
                        state = CaseMachine.evolve(state.take(), event, actor: row["actor"])
                        if index + 1 == snapshotSeq { atSnapshot = state }
                    }
                    if rows.isEmpty || state == nil {
                        problem = .init(caseCode: code, seq: 1, kind: rows.isEmpty ? .missing : .unreadable)
                    } else if let snapshot {
                        problem = Self.checkSnapshot(snapshot, code: code, replayed: atSnapshot, hashes: rows.map { $0["hash"] })
                    }
                }
                if let problem { report.problems.append(problem) }
                report.heads[code] = check.head
            }
            let team = try verifyTeamChain(db)
            if let problem = team.problem { report.problems.append(problem) }
            if team.events > 0 {
                report.events += team.events
                report.heads[Self.teamChain] = team.head
            }
            return report
        }
    }

    /// A snapshot must hold exactly the state the case's first `seq` events replay to, when event
    /// `seq` still has the hash it names. One naming another hash is only out of date (its chain was
    /// written again; the report replays such a case), and one of an older format is ignored; one
    /// that names an event the chain does not have (a removed tail) is a problem.
    /// `replayed` is the state after the first `seq` events (nil when the chain has fewer).
    static func checkSnapshot(_ row: Row, code: String, replayed: CaseState?, hashes: [String]) -> VerifyReport.Problem? {
        let seq: Int = row["seq"]
        let problem = VerifyReport.Problem(caseCode: code, seq: max(1, seq), kind: .snapshot)
        guard seq >= 1, seq <= hashes.count else { return problem }
        guard hashes[seq - 1] == (row["head"] as String), CaseState.readableSnapshotFormats.contains(row["format"] as Int) else { return nil }
        guard let state = try? row.withUnsafeData(named: "state", { $0?.withUnsafeBytes { CaseState(snapshot: $0) } }), state == replayed
        else { return problem }
        return nil
    }

    /// One chain walked in order: its first broken event, the hash it ends with (up to the break),
    /// and its events as read.
    struct ChainCheck<Event> {
        var problem: VerifyReport.Problem?
        var head: String
        var events: [Event]
    }

    /// Checks a chain (a case's, or the team log's) from its rows (`seq`, `command_id`, `actor`,
    /// `recorded_at`, `programme_version`, `type`, `payload`, `prev_hash`, `hash`, in order): every
    /// event in its place, hashing to what it says, chained to the one before, and readable.
    static func checkChain<Event: Decodable>(_ chain: String, rows: [Row], type: (Event) -> String) -> ChainCheck<Event> {
        var previous = EventHash.genesis
        var events: [Event] = []
        for (index, row) in rows.enumerated() {
            let seq: Int = row["seq"]
            let prevHash: String = row["prev_hash"], hash: String = row["hash"], payload: String = row["payload"]
            func hashed(at place: Int) -> String {
                EventHash.hash(
                    previous: prevHash, code: chain, seq: place, commandID: row["command_id"], actor: row["actor"],
                    recordedAt: row["recorded_at"], programmeVersion: row["programme_version"], type: row["type"], payload: payload)
            }
            let kind: VerifyReport.Problem.Kind?
            if seq != index + 1 {
                return ChainCheck(problem: .init(caseCode: chain, seq: index + 1, kind: .missing), head: previous, events: events)
            } else if hashed(at: seq) != hash {
                // An intact event moved to another place still hashes right at its old place.
                let moved = (1...max(1, rows.count)).contains { $0 != seq && hashed(at: $0) == hash }
                kind = moved ? .reordered : .changed
            } else if prevHash != previous {
                kind = .reordered
            } else if let event = try? EventJSONDecoder.decode(Event.self, from: payload), type(event) == (row["type"] as String) {
                events.append(event)
                kind = nil
            } else {
                kind = .unreadable
            }
            if let kind { return ChainCheck(problem: .init(caseCode: chain, seq: seq, kind: kind), head: previous, events: events) }
            previous = hash
        }
        return ChainCheck(problem: nil, head: previous, events: events)
    }

    /// Writes a consistent copy of the store to `destination` (0600), checks the copy, and only then
    /// gives it its name. Refuses to overwrite an existing file.
    public func backup(to destination: String) throws(StoreError) -> VerifyReport {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination) {
            throw StoreError.io("\(destination) already exists; choose a new name for the backup")
        }
        let temporary = destination + ".tmp-\(getpid())"
        let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        Glibc.close(fd)
        do {
            let copy = try DatabaseQueue(path: temporary)
            try pool.backup(to: copy)
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
            let checked = try CaseStore(path: temporary, create: false)
            let report = try checked.verify()
            try checked.close()
            for suffix in ["-wal", "-shm", ".lock"] { try? manager.removeItem(atPath: temporary + suffix) }
            guard report.isOK else {
                try? manager.removeItem(atPath: temporary)
                throw StoreError.damaged(path: destination, detail: "the copy did not verify")
            }
            guard rename(temporary, destination) == 0 else { throw StoreError.io("cannot rename the backup: \(String(cString: strerror(errno)))") }
            let directory = (destination as NSString).deletingLastPathComponent
            let dirfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
            if dirfd >= 0 { fsync(dirfd); Glibc.close(dirfd) }
            return report
        } catch let error as StoreError {
            try? manager.removeItem(atPath: temporary)
            throw error
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw StoreError.database("\(error)")
        }
    }
}
