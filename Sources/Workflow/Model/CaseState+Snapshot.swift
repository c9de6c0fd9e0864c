/// A case's state as compact bytes, so that a reader of many cases (the management report) need not
/// replay every event. The snapshot is a cache of `CaseMachine.replay`, never the record: the store
/// keeps it beside the chain head it was folded up to, the report uses it only while that head is
/// still the chain's head, and `narvaro verify` checks that it equals a fresh replay.
///
/// The layout is private to this file and versioned by `CaseState.snapshotFormat`: bytes of another
/// format, or bytes that do not parse, are refused (and the reader replays the events instead).
extension CaseState {
    /// Raise when the layout below changes; older snapshots are then ignored and rebuilt.
    public static let snapshotFormat = 1

    /// The state as snapshot bytes.
    public func snapshot() -> [UInt8] {
        var w = SnapshotWriter()
        w.int(Self.snapshotFormat)
        w.string(code)
        w.opened(opened)
        switch status {
        case .active: w.int(0)
        case .paused(let since, let reason): w.int(1); w.day(since); w.string(reason)
        case .closed(let on, let reason): w.int(2); w.day(on); w.string(reason.rawValue)
        }
        w.array(phases) { w, v in w.string(v.phase); w.day(v.entered); w.optionalDay(v.left) }
        w.dictionary(completions) { w, list in w.array(list) { w, c in w.completion(c) } }
        w.dictionary(skipped) { w, day in w.day(day) }
        w.dictionary(forms) { w, f in w.submission(f) }
        w.array(formOrder) { w, s in w.string(s) }
        w.array(deviations) { w, d in
            w.string(d.kind.rawValue); w.string(d.subject); w.day(d.on); w.string(d.reason); w.optionalString(d.actor)
        }
        w.array(pauses) { w, p in w.day(p.from); w.optionalDay(p.to); w.string(p.reason) }
        w.dictionary(staff) { w, people in w.array(people) { w, s in w.string(s) } }
        w.array(staffHistory) { w, c in w.string(c.role); w.string(c.person); w.day(c.on); w.bool(c.assigned) }
        w.array(consents) { w, c in
            w.string(c.consent); w.string(c.givenBy); w.day(c.validFrom); w.optionalDay(c.validUntil); w.day(c.recordedOn)
            w.optionalDay(c.revokedOn)
        }
        w.array(concernReports) { w, d in w.day(d) }
        w.dictionary(sessions) { w, s in
            w.string(s.id); w.string(s.step); w.int(s.occurrence); w.day(s.started); w.optionalString(s.startedBy)
            w.dictionary(s.answers) { w, answers in w.answers(answers) }
            w.optional(s.facts) { w, f in w.facts(f) }
            w.dictionary(s.checklist) { w, m in w.string(m.rawValue) }
            w.optionalDay(s.pausedOn); w.optionalString(s.pausedBy); w.int(s.answerCount)
        }
        w.array(cancellations) { w, c in w.string(c.step); w.day(c.on); w.string(c.by.rawValue) }
        w.int(version)
        return w.bytes
    }

    /// The state a snapshot holds, or nil when the bytes are of another format or do not parse.
    public init?(snapshot bytes: [UInt8]) {
        guard let state = bytes.withUnsafeBytes({ CaseState(snapshot: $0) }) else { return nil }
        self = state
    }

    /// The state snapshot bytes in memory hold (such as a database row's), without copying them first.
    public init?(snapshot bytes: UnsafeRawBufferPointer) {
        var r = SnapshotReader(bytes.assumingMemoryBound(to: UInt8.self))
        guard let state = try? r.state() else { return nil }
        self = state
    }
}

/// Appends the snapshot's primitives: integers as zigzag varints, texts as a length and UTF-8.
private struct SnapshotWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    mutating func int(_ value: Int) {
        var v = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func double(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func day(_ value: Day) { int(value.number) }

    mutating func optional<T>(_ value: T?, _ body: (inout SnapshotWriter, T) -> Void) {
        guard let value else { return bool(false) }
        bool(true)
        body(&self, value)
    }

    mutating func optionalString(_ value: String?) { optional(value) { w, s in w.string(s) } }
    mutating func optionalDay(_ value: Day?) { optional(value) { w, d in w.day(d) } }
    mutating func optionalInt(_ value: Int?) { optional(value) { w, i in w.int(i) } }

    mutating func array<T>(_ values: [T], _ body: (inout SnapshotWriter, T) -> Void) {
        int(values.count)
        for v in values { body(&self, v) }
    }

    mutating func dictionary<T>(_ values: [String: T], _ body: (inout SnapshotWriter, T) -> Void) {
        int(values.count)
        for (key, v) in values {
            string(key)
            body(&self, v)
        }
    }

    mutating func opened(_ o: CaseOpened) {
        string(o.code); string(o.programmeID); string(o.programmeVersion); string(o.programmeHash); string(o.school)
        int(o.grade); string(o.referredBy.rawValue); day(o.on)
    }

    mutating func completion(_ c: StepCompleted) {
        string(c.step); int(c.occurrence); day(c.on)
        array(c.forms) { w, f in w.submission(f) }
        optional(c.session) { w, f in w.facts(f) }
        dictionary(c.checklist) { w, m in w.string(m.rawValue) }
        optionalString(c.deviation); optionalString(c.sessionID)
    }

    mutating func submission(_ f: FormSubmission) {
        string(f.form)
        answers(f.answers)
        dictionary(f.scores) { w, s in w.string(s) }
    }

    mutating func answers(_ answers: FormAnswers) { dictionary(answers) { w, v in w.answer(v) } }

    mutating func answer(_ value: AnswerValue) {
        switch value {
        case .text(let s): int(0); string(s)
        case .number(let n): int(1); double(n)
        case .bool(let b): int(2); bool(b)
        case .list(let l): int(3); array(l) { w, s in w.string(s) }
        case .rows(let rows): int(4); array(rows) { w, row in w.answers(row) }
        }
    }

    mutating func facts(_ f: SessionFacts) {
        optionalInt(f.minutes); optionalString(f.start); optionalString(f.place?.rawValue)
        array(f.participants) { w, s in w.string(s) }
        optional(f.bothPractitioners) { w, b in w.bool(b) }
        optionalString(f.cancelledBy?.rawValue)
    }
}

/// Reads what `SnapshotWriter` wrote; any inconsistency throws.
private struct SnapshotReader {
    struct Malformed: Error {}

    let buffer: UnsafeBufferPointer<UInt8>
    var at = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard at < buffer.count else { throw Malformed() }
        defer { at += 1 }
        return buffer[at]
    }

    mutating func int() throws(Malformed) -> Int {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw Malformed() }
            v |= UInt64(b & 0x7f) << shift
            if b < 0x80 { break }
            shift += 7
        }
        let n = Int64(bitPattern: v)
        return Int((n >> 1) ^ -(n & 1))
    }

    /// A count of things that follow, each at least a byte: never more than the bytes left.
    mutating func count() throws(Malformed) -> Int {
        let n = try int()
        guard n >= 0, n <= buffer.count - at else { throw Malformed() }
        return n
    }

    mutating func bool() throws(Malformed) -> Bool {
        switch try byte() {
        case 0: false
        case 1: true
        default: throw Malformed()
        }
    }

    mutating func double() throws(Malformed) -> Double {
        guard buffer.count - at >= 8 else { throw Malformed() }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(buffer[at + i]) << (8 * UInt64(i)) }
        at += 8
        return Double(bitPattern: bits)
    }

    mutating func string() throws(Malformed) -> String {
        let n = try count()
        defer { at += n }
        let bytes = UnsafeBufferPointer(rebasing: buffer[at..<at + n])
        // Nearly every text is ASCII (ids, codes, dates): those need no validation.
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw Malformed() }
        return s
    }

    mutating func raw<T: RawRepresentable<String>>(_: T.Type) throws(Malformed) -> T {
        guard let value = T(rawValue: try string()) else { throw Malformed() }
        return value
    }

    mutating func day() throws(Malformed) -> Day { Day(try int()) }

    mutating func optional<T>(_ body: (inout SnapshotReader) throws(Malformed) -> T) throws(Malformed) -> T? {
        try bool() ? try body(&self) : nil
    }

    mutating func optionalString() throws(Malformed) -> String? { try optional { r throws(Malformed) in try r.string() } }
    mutating func optionalDay() throws(Malformed) -> Day? { try optional { r throws(Malformed) in try r.day() } }

    mutating func array<T>(_ body: (inout SnapshotReader) throws(Malformed) -> T) throws(Malformed) -> [T] {
        let n = try count()
        var result: [T] = []
        result.reserveCapacity(n)
        for _ in 0..<n { result.append(try body(&self)) }
        return result
    }

    mutating func dictionary<T>(_ body: (inout SnapshotReader) throws(Malformed) -> T) throws(Malformed) -> [String: T] {
        let n = try count()
        var result: [String: T] = Dictionary(minimumCapacity: n)
        for _ in 0..<n {
            let key = try string()
            result[key] = try body(&self)
        }
        guard result.count == n else { throw Malformed() }
        return result
    }

    mutating func strings() throws(Malformed) -> [String] { try array { r throws(Malformed) in try r.string() } }

    mutating func state() throws(Malformed) -> CaseState {
        guard try int() == CaseState.snapshotFormat else { throw Malformed() }
        var s = CaseState(code: try string(), opened: try opened())
        switch try int() {
        case 0: s.status = .active
        case 1: s.status = .paused(since: try day(), reason: try string())
        case 2: s.status = .closed(on: try day(), reason: try raw(CloseReason.self))
        default: throw Malformed()
        }
        s.phases = try array { r throws(Malformed) in CaseState.PhaseVisit(phase: try r.string(), entered: try r.day(), left: try r.optionalDay()) }
        s.completions = try dictionary { r throws(Malformed) in try r.array { r throws(Malformed) in try r.completion() } }
        s.skipped = try dictionary { r throws(Malformed) in try r.day() }
        s.forms = try dictionary { r throws(Malformed) in try r.submission() }
        s.formOrder = try strings()
        s.deviations = try array { r throws(Malformed) in
            CaseState.Deviation(
                kind: try r.raw(CaseState.Deviation.Kind.self), subject: try r.string(), on: try r.day(), reason: try r.string(),
                actor: try r.optionalString())
        }
        s.pauses = try array { r throws(Malformed) in CaseState.Pause(from: try r.day(), to: try r.optionalDay(), reason: try r.string()) }
        s.staff = try dictionary { r throws(Malformed) in try r.strings() }
        s.staffHistory = try array { r throws(Malformed) in
            CaseState.StaffChange(role: try r.string(), person: try r.string(), on: try r.day(), assigned: try r.bool())
        }
        s.consents = try array { r throws(Malformed) in
            CaseState.Consent(
                consent: try r.string(), givenBy: try r.string(), validFrom: try r.day(), validUntil: try r.optionalDay(),
                recordedOn: try r.day(), revokedOn: try r.optionalDay())
        }
        s.concernReports = try array { r throws(Malformed) in try r.day() }
        s.sessions = try dictionary { r throws(Malformed) in
            var draft = CaseState.SessionDraft(
                id: try r.string(), step: try r.string(), occurrence: try r.int(), started: try r.day(), startedBy: try r.optionalString())
            draft.answers = try r.dictionary { r throws(Malformed) in try r.answers() }
            draft.facts = try r.optional { r throws(Malformed) in try r.facts() }
            draft.checklist = try r.dictionary { r throws(Malformed) in try r.raw(ChecklistMark.self) }
            draft.pausedOn = try r.optionalDay()
            draft.pausedBy = try r.optionalString()
            draft.answerCount = try r.int()
            return draft
        }
        s.cancellations = try array { r throws(Malformed) in
            CaseState.Cancellation(step: try r.string(), on: try r.day(), by: try r.raw(SessionFacts.CancelledBy.self))
        }
        s.version = try int()
        guard at == buffer.count else { throw Malformed() }
        return s
    }

    mutating func opened() throws(Malformed) -> CaseOpened {
        CaseOpened(
            code: try string(), programmeID: try string(), programmeVersion: try string(), programmeHash: try string(), school: try string(),
            grade: try int(), referredBy: try raw(ReferralSource.self), on: try day())
    }

    mutating func completion() throws(Malformed) -> StepCompleted {
        StepCompleted(
            step: try string(), occurrence: try int(), on: try day(), forms: try array { r throws(Malformed) in try r.submission() },
            session: try optional { r throws(Malformed) in try r.facts() },
            checklist: try dictionary { r throws(Malformed) in try r.raw(ChecklistMark.self) },
            deviation: try optionalString(), sessionID: try optionalString())
    }

    mutating func submission() throws(Malformed) -> FormSubmission {
        FormSubmission(form: try string(), answers: try answers(), scores: try dictionary { r throws(Malformed) in try r.string() })
    }

    mutating func answers() throws(Malformed) -> FormAnswers { try dictionary { r throws(Malformed) in try r.answer() } }

    mutating func answer() throws(Malformed) -> AnswerValue {
        switch try int() {
        case 0: .text(try string())
        case 1: .number(try double())
        case 2: .bool(try bool())
        case 3: .list(try strings())
        case 4: .rows(try array { r throws(Malformed) in try r.answers() })
        default: throw Malformed()
        }
    }

    mutating func facts() throws(Malformed) -> SessionFacts {
        SessionFacts(
            minutes: try optional { r throws(Malformed) in try r.int() }, start: try optionalString(),
            place: try optional { r throws(Malformed) in try r.raw(SessionFacts.Place.self) },
            participants: try strings(), bothPractitioners: try optional { r throws(Malformed) in try r.bool() },
            cancelledBy: try optional { r throws(Malformed) in try r.raw(SessionFacts.CancelledBy.self) })
    }
}
