import Foundation
import GRDB
import Workflow

extension CaseStore {
    /// A student's identity: kept in its own table, referred to only by the case code.
    public struct Identity: Sendable {
        public var name: String
        /// Canonical 12 digits (validated by the caller with `Personnummer`).
        public var personnummer: String

        public init(name: String, personnummer: String) {
            self.name = name
            self.personnummer = personnummer
        }
    }

    /// Opens a case: allocates its code (`HSP-2026-0007`), stores the identity apart, and records the
    /// opening and the first phase.
    public func openCase(
        programmeID: String?, identity: Identity, school: String, grade: Int, referredBy: ReferralSource, on: Day,
        stamp: Stamp, evaluator: XPathEvaluator? = nil
    ) throws(StoreError) -> CommandOutcome {
        let opening = try prepareOpening(programmeID: programmeID, identity: identity)
        return try run { db in
            try openCase(opening, identity: identity, school: school, grade: grade, referredBy: referredBy, on: on, stamp: stamp, evaluator: evaluator, db)
        }
    }

    /// Decides `command` against the case's current state and appends what it decides. With
    /// `expectedVersion`, refuses when someone else wrote to the case since that version was read.
    public func execute(
        _ command: CaseCommand, case code: String, stamp: Stamp, expectedVersion: Int? = nil,
        evaluator: XPathEvaluator? = nil, attendance: AttendanceSource? = nil
    ) throws(StoreError) -> CommandOutcome {
        try run { db in
            var (state, chain, seen) = try take(code, commandID: stamp.commandID, db)
            // Back into the cache when the command leaves it untouched (refused); otherwise it was moved on.
            defer { if let state { states.set(code, state: state, lastHash: chain.lastHash) } }
            if seen, let repeat_ = try repeated(stamp.commandID, db) { return repeat_ }
            return try decideAndAppend(
                command, state: &state, chain: chain, stamp: stamp, expectedVersion: expectedVersion, evaluator: evaluator, attendance: attendance, db)
        }
    }

    /// The case as it is now, with its pinned programme.
    public func caseState(_ code: String) throws(StoreError) -> (state: CaseState, programme: Programme) {
        try runRead { db in
            let (state, chain) = try load(code, db)
            return (state, chain.programme)
        }
    }

    /// Every case code, in order.
    public func caseCodes() throws(StoreError) -> [String] {
        try runRead { db in try String.fetchAll(db, sql: "SELECT code FROM cases ORDER BY code") }
    }

    /// The events of a case, oldest first.
    public func events(_ code: String) throws(StoreError) -> [StoredEvent] {
        try runRead { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM cases WHERE code = ?", arguments: [code]) == true else {
                throw StoreError.unknownCase(code)
            }
            return try Self.storedEvents(code, db)
        }
    }

    /// The student's identity, for the few places that need it (never logs or reports).
    public func identity(_ code: String) throws(StoreError) -> Identity? {
        try runRead { db in
            try Row.fetchOne(db, sql: "SELECT name, personnummer FROM identities WHERE code = ?", arguments: [code]).map {
                Identity(name: $0["name"], personnummer: $0["personnummer"])
            }
        }
    }

    // MARK: - Internals

    /// A case as a command finds it, besides its state: the hash its next event chains to, and its programme.
    struct Chain {
        var lastHash: String
        var programme: Programme
        var programmeHash: String
    }

    /// What opening a case needs from outside the transaction.
    struct Opening {
        var programme: Programme
        var programmeHash: String
    }

    func prepareOpening(programmeID: String?, identity: Identity) throws(StoreError) -> Opening {
        let registered = try latestProgramme(programmeID)
        let programme = try self.programme(hash: registered.hash)
        if identity.name.trimmingWhitespace.isEmpty {
            throw StoreError.refused(WorkflowError(.invalidCommand, sv: "Ange elevens namn.", en: "Give the student's name."))
        }
        return Opening(programme: programme, programmeHash: registered.hash)
    }

    func openCase(
        _ opening: Opening, identity: Identity, school: String, grade: Int, referredBy: ReferralSource, on: Day, stamp: Stamp,
        evaluator: XPathEvaluator?, _ db: Database
    ) throws -> CommandOutcome {
        if let repeat_ = try repeated(stamp.commandID, db) { return repeat_ }
        let programme = opening.programme
        let prefix = String(programme.id.uppercased().filter { $0.isLetter || $0.isNumber }.prefix(4))
        let year = String(on.description.prefix(4))
        let pattern = "\(prefix)-\(year)-"
        let last = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT last FROM case_code_counters WHERE pattern = ?"), arguments: [pattern]) ?? 0
        let code = pattern + String(format: "%04d", last + 1)
        try db.cachedStatement(sql: "INSERT INTO case_code_counters (pattern, last) VALUES (?, ?) ON CONFLICT(pattern) DO UPDATE SET last = excluded.last")
            .execute(arguments: [pattern, last + 1])
        let command = CaseCommand.open(code: code, school: school, grade: grade, referredBy: referredBy, on: on)
        let context = CaseMachine.Context(today: stamp.today, programmeHash: opening.programmeHash, evaluator: evaluator ?? XPathEvaluator())
        let events = try CaseMachine.decide(command, state: nil, programme: programme, context: context)
        try db.cachedStatement(sql: "INSERT INTO cases (code, programme_hash, opened_at) VALUES (?, ?, ?)")
            .execute(arguments: [code, opening.programmeHash, stamp.recordedAt])
        try db.cachedStatement(sql: "INSERT INTO identities (code, name, personnummer) VALUES (?, ?, ?)")
            .execute(arguments: [code, identity.name, identity.personnummer])
        return try append(events, to: code, state: nil, previousHash: EventHash.genesis, programme: programme, stamp: stamp, db)
    }

    /// Answers a command id seen before with its first outcome; otherwise decides and appends `command`.
    func execute(
        _ command: CaseCommand, state: inout CaseState?, chain: Chain, stamp: Stamp, expectedVersion: Int?, evaluator: XPathEvaluator?,
        attendance: AttendanceSource?, _ db: Database
    ) throws -> CommandOutcome {
        if let repeat_ = try repeated(stamp.commandID, db) { return repeat_ }
        return try decideAndAppend(
            command, state: &state, chain: chain, stamp: stamp, expectedVersion: expectedVersion, evaluator: evaluator, attendance: attendance, db)
    }

    /// Decides and appends `command`, whose id is new. The state is moved out of `state` once the command
    /// is accepted (so that evolving it does not copy the case's history); a refused command leaves it there.
    private func decideAndAppend(
        _ command: CaseCommand, state: inout CaseState?, chain: Chain, stamp: Stamp, expectedVersion: Int?, evaluator: XPathEvaluator?,
        attendance: AttendanceSource?, _ db: Database
    ) throws -> CommandOutcome {
        guard let current = state else { throw StoreError.damaged(path: path, detail: "a case without state") }
        if let expectedVersion, expectedVersion != current.version {
            throw StoreError.versionConflict(case: current.code, expected: expectedVersion, found: current.version)
        }
        let context = CaseMachine.Context(
            today: stamp.today, programmeHash: chain.programmeHash, evaluator: evaluator ?? XPathEvaluator(), attendance: attendance)
        let events = try CaseMachine.decide(command, state: current, programme: chain.programme, context: context)
        let code = current.code
        _ = consume current
        return try append(events, to: code, state: state.take(), previousHash: chain.lastHash, programme: chain.programme, stamp: stamp, db)
    }

    private func run(_ body: (Database) throws -> CommandOutcome) throws(StoreError) -> CommandOutcome {
        do {
            let outcome = try write { db in
                let outcome = try body(db)
                if !outcome.wasRepeat, let last = outcome.events.last,
                   Self.snapshotDue(before: outcome.state.version - outcome.events.count, after: outcome.state.version) {
                    try saveSnapshot(outcome.state, head: last.hash, db)
                }
                return outcome
            }
            remember(outcome)
            return outcome
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Keeps a committed outcome's state, so that the next command on the case need not replay it.
    func remember(_ outcome: CommandOutcome) {
        if let last = outcome.events.last, !outcome.wasRepeat {
            states.set(outcome.code, state: outcome.state, lastHash: last.hash)
        }
    }

    static func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as WorkflowError: StoreError.refused(error)
        default: StoreError.database("\(error)")
        }
    }

    func runRead<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database("\(error)")
        }
    }

    /// A command id seen before: the events it appended and the case now, with nothing written.
    private func repeated(_ commandID: String, _ db: Database) throws -> CommandOutcome? {
        let lookup = try db.cachedStatement(sql: "SELECT case_code FROM events WHERE command_id = ? LIMIT 1")
        guard let code = try String.fetchOne(lookup, arguments: [commandID]) else {
            return nil
        }
        let all = try Self.storedEvents(code, db)
        let (state, chain) = try load(code, db)
        return CommandOutcome(code: code, events: all.filter { $0.commandID == commandID }, state: state, programme: chain.programme, wasRepeat: true)
    }

    /// The case's state, last hash and pinned programme, from the cache when nothing changed.
    func load(_ code: String, _ db: Database) throws -> (CaseState, Chain) {
        let (state, chain, _) = try load(code, db, taking: false, commandID: nil)
        return (state, chain)
    }

    /// As `load`, but takes the state out of the cache, so that the caller holds its only copy; and says
    /// whether `commandID` is in the log already (read in the same statement, to save one per command).
    func take(_ code: String, commandID: String, _ db: Database) throws -> (CaseState?, Chain, seen: Bool) {
        let (state, chain, seen) = try load(code, db, taking: true, commandID: commandID)
        return (consume state, chain, seen)
    }

    private func load(_ code: String, _ db: Database, taking: Bool, commandID: String?) throws -> (CaseState, Chain, seen: Bool) {
        let head = "SELECT programme_hash, (SELECT MAX(seq) FROM events WHERE case_code = cases.code)"
        let found = if let commandID {
            try Row.fetchOne(
                db.cachedStatement(sql: head + ", EXISTS (SELECT 1 FROM events WHERE command_id = ?) FROM cases WHERE code = ?"),
                arguments: [commandID, code])
        } else {
            try Row.fetchOne(db.cachedStatement(sql: head + " FROM cases WHERE code = ?"), arguments: [code])
        }
        guard let row = found else { throw StoreError.unknownCase(code) }
        let hash: String = row[0]
        let version: Int = row[1] ?? 0
        let seen: Bool = commandID != nil && row[2]
        let programme = try programme(hash: hash, db)
        if let cached = taking ? states.take(code, version: version) : states.get(code, version: version) {
            return (cached.state, Chain(lastHash: cached.lastHash, programme: programme, programmeHash: hash), seen)
        }
        let stored = try Self.storedEvents(code, db)
        guard let state = Self.replay(stored) else { throw StoreError.damaged(path: path, detail: "case \(code) has no opening event") }
        let lastHash = stored.last?.hash ?? EventHash.genesis
        if !taking { states.set(code, state: state, lastHash: lastHash) }
        return (state, Chain(lastHash: lastHash, programme: programme, programmeHash: hash), seen)
    }

    /// The state a case's stored log folds to, each event with who recorded it.
    static func replay(_ stored: [StoredEvent]) -> CaseState? {
        CaseMachine.replay(stored.map { (event: $0.event, actor: Optional($0.actor)) })
    }

    static func storedEvents(_ code: String, _ db: Database) throws -> [StoredEvent] {
        try Row.fetchAll(
            db, sql: "SELECT seq, command_id, actor, recorded_at, programme_version, type, payload, prev_hash, hash FROM events WHERE case_code = ? ORDER BY seq",
            arguments: [code]
        ).map { row in
            let payload: String = row["payload"]
            let event: CaseEvent
            do {
                event = try EventJSONDecoder.decode(CaseEvent.self, from: payload)
            } catch {
                throw StoreError.damaged(path: "case \(code)", detail: "event \(row["seq"] as Int) cannot be read")
            }
            return StoredEvent(
                caseCode: code, seq: row["seq"], commandID: row["command_id"], actor: row["actor"], recordedAt: row["recorded_at"],
                programmeVersion: row["programme_version"], event: event, previousHash: row["prev_hash"], hash: row["hash"])
        }
    }

    private func append(
        _ events: [CaseEvent], to code: String, state: consuming CaseState?, previousHash: String, programme: Programme, stamp: Stamp, _ db: Database
    ) throws -> CommandOutcome {
        var state = consume state
        var previous = previousHash
        var stored: [StoredEvent] = []
        let insert = try db.cachedStatement(sql: """
            INSERT INTO events (case_code, seq, command_id, actor, recorded_at, programme_version, type, payload, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for event in events {
            let seq = (state?.version ?? 0) + 1
            let payload = try CanonicalJSONEncoder.encode(event)
            let hash = EventHash.hash(
                previous: previous, code: code, seq: seq, commandID: stamp.commandID, actor: stamp.actor, recordedAt: stamp.recordedAt,
                programmeVersion: programme.version, type: event.type, payload: payload)
            try insert.execute(arguments: [
                code, seq, stamp.commandID, stamp.actor, stamp.recordedAt, programme.version, event.type, payload, previous, hash,
            ])
            state = CaseMachine.evolve(consume state, event, actor: stamp.actor)
            stored.append(StoredEvent(
                caseCode: code, seq: seq, commandID: stamp.commandID, actor: stamp.actor, recordedAt: stamp.recordedAt,
                programmeVersion: programme.version, event: event, previousHash: previous, hash: hash))
            previous = hash
        }
        guard let state else { throw StoreError.damaged(path: path, detail: "case \(code) has no state") }
        return CommandOutcome(code: code, events: stored, state: state, programme: programme, wasRepeat: false)
    }
}
