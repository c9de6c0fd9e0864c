/// A case's state as compact bytes, so that a reader of many cases (the management report) need not
/// replay every event. The snapshot is a cache of `CaseMachine.replay`, never the record: the store
/// keeps it beside the chain head it was folded up to, the report uses it only while that head is
/// still the chain's head, and `narvaro verify` checks that it equals a fresh replay.
///
/// The layout is private to this file and versioned by `CaseState.snapshotFormat`: bytes of another
/// format, or bytes that do not parse, are refused (and the reader replays the events instead).
///
/// Format 2 (written now) keeps each distinct text, list of texts and checklist once, at the start,
/// and refers to them by number: a case repeats the same step ids, participants and checklist
/// marks in every session, and reading each of them anew was most of the report's reading time.
/// Format 1 wrote them out where they occur; it is still read.
extension CaseState {
    /// Raise when the layout below changes; snapshots of a format not in `readableSnapshotFormats`
    /// are then ignored (the case is replayed) until the case's next snapshot is written.
    public static let snapshotFormat = 2

    /// The formats `init(snapshot:)` reads.
    public static let readableSnapshotFormats: Set<Int> = [1, 2]

    /// The state as snapshot bytes (of `format`, for tests of reading older snapshots).
    public func snapshot(format: Int = snapshotFormat) -> [UInt8] {
        var w = SnapshotWriter(format: format)
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
        w.strings(formOrder)
        w.array(deviations) { w, d in
            w.string(d.kind.rawValue); w.string(d.subject); w.day(d.on); w.string(d.reason); w.optionalString(d.actor)
        }
        w.array(pauses) { w, p in w.day(p.from); w.optionalDay(p.to); w.string(p.reason) }
        w.dictionary(staff) { w, people in w.strings(people) }
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
            w.checklist(s.checklist)
            w.optionalDay(s.pausedOn); w.optionalString(s.pausedBy); w.int(s.answerCount)
        }
        w.array(cancellations) { w, c in w.string(c.step); w.day(c.on); w.string(c.by.rawValue) }
        w.int(version)
        return w.finished()
    }

    /// The state a snapshot holds, or nil when the bytes are of another format or do not parse.
    public init?(snapshot bytes: [UInt8], cache: SnapshotCache? = nil) {
        guard let state = bytes.withUnsafeBytes({ CaseState(snapshot: $0, cache: cache) }) else { return nil }
        self = state
    }

    /// The state snapshot bytes in memory hold (such as a database row's), without copying them first.
    /// `cache`, when given, shares what it has met before (ids, participants, checklists) instead of
    /// making it again; give one per thread to a reader of many snapshots.
    public init?(snapshot bytes: UnsafeRawBufferPointer, cache: SnapshotCache? = nil) {
        var r = SnapshotReader(bytes.assumingMemoryBound(to: UInt8.self), cache: cache)
        guard let state = try? r.state() else { return nil }
        self = state
    }
}

/// What a reader of many snapshots has met before, so that what every case repeats is made once,
/// not once per case and occurrence: ids (a step id such as `b_narvaroregistrering` is too long to
/// be kept inside its `String`), the participants of a session and a session's checklist marks.
/// Each is found by its bytes. A fixed table per kind: a value whose place is taken replaces what
/// was there. Not for sharing between threads.
public final class SnapshotCache {
    /// One table: for each slot, the fingerprint and bytes of a value and the value. Values of
    /// more than `Table.longest` bytes are not kept.
    fileprivate final class Table<Value> {
        static var slots: Int { 512 }
        static var longest: Int { 160 }
        // Plain memory rather than arrays: a class's arrays are checked for exclusive access at
        // every use, and retained, which costs more here than the lookup itself.
        private let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
        private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: slots)
        private let bytes = UnsafeMutableRawPointer.allocate(byteCount: slots * longest, alignment: 8)
        private let values = UnsafeMutablePointer<Value?>.allocate(capacity: slots)

        init() {
            keys.initialize(repeating: 0, count: Self.slots)
            lengths.initialize(repeating: -1, count: Self.slots)
            values.initialize(repeating: nil, count: Self.slots)
        }

        deinit {
            keys.deallocate()
            lengths.deallocate()
            bytes.deallocate()
            values.deinitialize(count: Self.slots)
            values.deallocate()
        }

        func value(_ span: UnsafeRawBufferPointer, _ hash: UInt64) -> Value? {
            let slot = Int(truncatingIfNeeded: hash >> 17) & (Self.slots - 1)
            guard keys[slot] == hash, lengths[slot] == span.count,
                  same(UnsafeRawBufferPointer(start: bytes + slot * Self.longest, count: span.count), span)
            else { return nil }
            return values[slot]
        }

        func keep(_ value: Value, _ span: UnsafeRawBufferPointer, _ hash: UInt64) {
            guard span.count <= Self.longest, let from = span.baseAddress else { return }
            let slot = Int(truncatingIfNeeded: hash >> 17) & (Self.slots - 1)
            keys[slot] = hash
            lengths[slot] = span.count
            (bytes + slot * Self.longest).copyMemory(from: from, byteCount: span.count)
            values[slot] = value
        }
    }

    fileprivate let strings = Table<String>()
    fileprivate let lists = Table<[String]>()
    fileprivate let checklists = Table<[String: ChecklistMark]>()

    public init() {}

    /// A fingerprint of `bytes`, eight at a time, with whether any of them is not ASCII.
    fileprivate static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> (hash: UInt64, ascii: Bool) {
        var hash: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(bytes.count)
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            high |= word
            hash = (hash ^ word) &* 0xff51_afd7_ed55_8ccd
            hash ^= hash >> 29
            i += 8
        }
        if i < bytes.count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                word |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            high |= word
            hash = (hash ^ word) &* 0xff51_afd7_ed55_8ccd
            hash ^= hash >> 29
        }
        return (hash, high & 0x8080_8080_8080_8080 == 0)
    }
}

private func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    var i = 0
    while i + 8 <= a.count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < a.count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// Appends the snapshot's primitives: integers as zigzag varints, texts as a length and UTF-8 (in
/// format 2, in the tables at the start, and by number where they occur).
private struct SnapshotWriter {
    let format: Int
    var bytes: [UInt8] = []
    // Format 2's tables: each distinct value once, by its number.
    var textNumbers: [String: Int] = [:]
    var texts: [String] = []
    var listNumbers: [[String]: Int] = [:]
    var lists: [[String]] = []
    var checklistNumbers: [[String: ChecklistMark]: Int] = [:]
    var checklists: [[String: ChecklistMark]] = []

    init(format: Int) {
        self.format = format
        bytes.reserveCapacity(1024)
    }

    /// The format, the tables (format 2) and what was written.
    mutating func finished() -> [UInt8] {
        let body = bytes
        bytes = []
        bytes.reserveCapacity(body.count + 16 * texts.count + 64)
        int(format)
        if format >= 2 {
            int(texts.count)
            for text in texts { literal(text) }
            int(lists.count)
            for list in lists {
                int(list.count)
                for text in list { int(textNumbers[text]!) }
            }
            int(checklists.count)
            for checklist in checklists {
                int(checklist.count)
                for (item, mark) in checklist {
                    int(textNumbers[item]!)
                    int(textNumbers[mark.rawValue]!)
                }
            }
        }
        bytes.append(contentsOf: body)
        return bytes
    }

    /// The number of `text` in the text table, adding it the first time.
    mutating func number(_ text: String) -> Int {
        if let known = textNumbers[text] { return known }
        textNumbers[text] = texts.count
        texts.append(text)
        return texts.count - 1
    }

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
        if format >= 2 { return int(number(value)) }
        literal(value)
    }

    /// A text as its length and UTF-8.
    mutating func literal(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// A list of texts.
    mutating func strings(_ list: [String]) {
        guard format >= 2 else { return array(list) { w, s in w.string(s) } }
        if let known = listNumbers[list] { return int(known) }
        for text in list { _ = number(text) }
        listNumbers[list] = lists.count
        lists.append(list)
        int(lists.count - 1)
    }

    /// A session's checklist marks.
    mutating func checklist(_ marks: [String: ChecklistMark]) {
        guard format >= 2 else { return dictionary(marks) { w, m in w.string(m.rawValue) } }
        if let known = checklistNumbers[marks] { return int(known) }
        for (item, mark) in marks {
            _ = number(item)
            _ = number(mark.rawValue)
        }
        checklistNumbers[marks] = checklists.count
        checklists.append(marks)
        int(checklists.count - 1)
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
        checklist(c.checklist)
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
        case .list(let l): int(3); strings(l)
        case .rows(let rows): int(4); array(rows) { w, row in w.answers(row) }
        }
    }

    mutating func facts(_ f: SessionFacts) {
        optionalInt(f.minutes); optionalString(f.start); optionalString(f.place?.rawValue)
        strings(f.participants)
        optional(f.bothPractitioners) { w, b in w.bool(b) }
        optionalString(f.cancelledBy?.rawValue)
    }
}

/// Reads what `SnapshotWriter` wrote; any inconsistency throws.
private struct SnapshotReader {
    struct Malformed: Error {}

    let buffer: UnsafeBufferPointer<UInt8>
    let cache: SnapshotCache?
    var at = 0
    var format = 0
    // Format 2's tables.
    var texts: [String] = []
    var lists: [[String]] = []
    var checklists: [[String: ChecklistMark]] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>, cache: SnapshotCache? = nil) {
        self.buffer = buffer
        self.cache = cache
    }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard at < buffer.count else { throw Malformed() }
        defer { at += 1 }
        return buffer[at]
    }

    mutating func int() throws(Malformed) -> Int {
        // Most are one byte (small numbers, counts, lengths).
        if at < buffer.count, buffer[at] < 0x80 {
            let b = Int(buffer[at])
            at += 1
            return (b >> 1) ^ -(b & 1)
        }
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
        guard format >= 2 else { return try literal() }
        return try entry(texts)
    }

    /// The entry of `table` whose number comes next.
    mutating func entry<T>(_ table: [T]) throws(Malformed) -> T {
        let n = try int()
        guard n >= 0, n < table.count else { throw Malformed() }
        return table[n]
    }

    /// A text written out: its length and UTF-8.
    mutating func literal() throws(Malformed) -> String {
        let n = try count()
        guard n > 0 else { return "" }
        defer { at += n }
        let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress! + at, count: n)
        let (hash, ascii) = SnapshotCache.fingerprint(bytes)
        // Nearly every text is ASCII (ids, codes, dates): those need no validation. Ids are shared
        // where the caller keeps a cache.
        if ascii {
            guard n <= 64, let cache else { return String(decoding: bytes, as: UTF8.self) }
            if let known = cache.strings.value(bytes, hash) { return known }
            let made = String(decoding: bytes, as: UTF8.self)
            cache.strings.keep(made, bytes, hash)
            return made
        }
        guard let s = String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self) else { throw Malformed() }
        return s
    }

    /// Decodes what starts here with `body`, or takes it from `table` when the same bytes were read
    /// before: `skip` finds where those bytes end without making anything.
    mutating func shared<T>(
        _ table: SnapshotCache.Table<T>?, skip: (inout SnapshotReader) throws(Malformed) -> Void,
        _ body: (inout SnapshotReader) throws(Malformed) -> T
    ) throws(Malformed) -> T {
        // Nothing to share in an empty one (a count of 0, one byte).
        guard let table, at < buffer.count, buffer[at] != 0 else { return try body(&self) }
        let start = at
        try skip(&self)
        let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress! + start, count: at - start)
        let hash = SnapshotCache.fingerprint(bytes).hash
        if let known = table.value(bytes, hash) { return known }
        at = start
        let made = try body(&self)
        table.keep(made, bytes, hash)
        return made
    }

    /// Steps over `count` texts.
    mutating func skipStrings(_ count: Int) throws(Malformed) {
        for _ in 0..<count { at += try self.count() }
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
        if n == 0 { return [] }
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

    mutating func strings() throws(Malformed) -> [String] {
        guard format >= 2 else { return try array { r throws(Malformed) in try r.string() } }
        return try entry(lists)
    }

    /// A list of texts (such as a session's participants): in format 1 shared with an earlier one
    /// of the same bytes.
    mutating func sharedStrings() throws(Malformed) -> [String] {
        guard format < 2 else { return try strings() }
        return try shared(cache?.lists, skip: { r throws(Malformed) in try r.skipStrings(try r.count()) }, { r throws(Malformed) in
            try r.strings()
        })
    }

    /// A session's checklist marks: in format 1 shared with an earlier set of the same bytes.
    mutating func checklist() throws(Malformed) -> [String: ChecklistMark] {
        guard format < 2 else { return try entry(checklists) }
        return try shared(cache?.checklists, skip: { r throws(Malformed) in try r.skipStrings(2 * (try r.count())) }) { r throws(Malformed) in
            try r.dictionary { r throws(Malformed) in try r.raw(ChecklistMark.self) }
        }
    }

    /// Format 2's tables of texts, lists of texts and checklists.
    mutating func tables() throws(Malformed) {
        let textCount = try count()
        texts.reserveCapacity(textCount)
        for _ in 0..<textCount { texts.append(try literal()) }
        let listCount = try count()
        lists.reserveCapacity(listCount)
        for _ in 0..<listCount {
            let n = try count()
            var list: [String] = []
            list.reserveCapacity(n)
            for _ in 0..<n { list.append(try entry(texts)) }
            lists.append(list)
        }
        let checklistCount = try count()
        checklists.reserveCapacity(checklistCount)
        for _ in 0..<checklistCount {
            let n = try count()
            var marks: [String: ChecklistMark] = Dictionary(minimumCapacity: n)
            for _ in 0..<n {
                let item = try entry(texts)
                guard let mark = ChecklistMark(rawValue: try entry(texts)) else { throw Malformed() }
                marks[item] = mark
            }
            guard marks.count == n else { throw Malformed() }
            checklists.append(marks)
        }
    }

    mutating func state() throws(Malformed) -> CaseState {
        format = try int()
        guard CaseState.readableSnapshotFormats.contains(format) else { throw Malformed() }
        if format >= 2 { try tables() }
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
            draft.checklist = try r.checklist()
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
            checklist: try checklist(), deviation: try optionalString(), sessionID: try optionalString())
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
            participants: try sharedStrings(), bothPractitioners: try optional { r throws(Malformed) in try r.bool() },
            cancelledBy: try optional { r throws(Malformed) in try r.raw(SessionFacts.CancelledBy.self) })
    }
}
