import Testing
@testable import Workflow

/// A case's snapshot (`CaseState.snapshot()`) must give back exactly the state it was made from,
/// and bytes that are not a whole snapshot of this format must be refused, never misread.
@Suite("Case snapshots")
struct SnapshotTests {
    /// A state with every part filled in: each status, answers of every kind (rows within rows),
    /// a session in progress, pauses, consents, staff and cancellations.
    static func richState(status: CaseState.Status) -> CaseState {
        let opened = CaseOpened(
            code: "HSP-2026-0042", programmeID: "hsp", programmeVersion: "1.2.0", programmeHash: String(repeating: "ab", count: 32),
            school: "Exempelskolan åk 7–9", grade: 8, referredBy: .socialtjanst, on: day("2026-09-01"))
        var s = CaseState(code: opened.code, opened: opened)
        s.status = status
        s.phases = [
            .init(phase: "aktualisering", entered: day("2026-09-01"), left: day("2026-09-08")),
            .init(phase: "kartlaggning", entered: day("2026-09-08"), left: nil),
        ]
        let answers: FormAnswers = [
            "datum": .text("2026-09-10"), "timmar": .number(-2.75), "helt_franvarande": .bool(true), "tom": .text(""),
            "moduler": .list(["m1", "m4", "ö-modul"]), "inga": .list([]),
            "familj": .rows([["namn": .text("Förälder A"), "roll": .list(["v1"])], ["barn": .rows([["ålder": .number(9)]])], [:]]),
        ]
        let submission = FormSubmission(form: "matning", answers: answers, scores: ["stege": "7", "profil": "f1 f4"])
        let facts = SessionFacts(minutes: 55, start: "14:30", place: .hem, participants: ["elev", "vardnadshavare"], bothPractitioners: true)
        s.completions = [
            "k_matning": [
                StepCompleted(step: "k_matning", occurrence: 1, on: day("2026-09-10"), forms: [submission], session: facts,
                              checklist: ["c1": .delivered, "c2": .notApplicable, "c3": .notDelivered], deviation: "kortare samtal", sessionID: "s-1"),
                StepCompleted(step: "k_matning", occurrence: 2, on: day("2026-09-17"), forms: [], session: nil, checklist: [:], deviation: nil, sessionID: nil),
            ],
            "a_remiss": [StepCompleted(step: "a_remiss", occurrence: 1, on: day("2026-09-01"), forms: [], session: SessionFacts(cancelledBy: .familj),
                                       checklist: [:], deviation: nil, sessionID: nil)],
        ]
        s.skipped = ["a_hembesok": day("2026-09-05")]
        s.forms = ["matning": submission]
        s.formOrder = ["matning"]
        s.deviations = [
            .init(kind: .stepSkipped, subject: "a_hembesok", on: day("2026-09-05"), reason: "familjen ville inte", actor: "anna"),
            .init(kind: .gateOverridden, subject: "aktualisering", on: day("2026-09-08"), reason: "", actor: nil),
        ]
        s.pauses = [.init(from: day("2026-10-01"), to: day("2026-10-15"), reason: "sjukdom"), .init(from: day("2026-11-01"), to: nil, reason: "lov")]
        s.staff = ["behandlare": ["Bo Behandlare", "Cecilia Exempel"], "processledare": []]
        s.staffHistory = [.init(role: "behandlare", person: "Bo Behandlare", on: day("2026-09-01"), assigned: true),
                          .init(role: "behandlare", person: "Dan Dummy", on: day("2026-09-02"), assigned: false)]
        s.consents = [.init(consent: "samverkan-skola", givenBy: "vardnadshavare-1", validFrom: day("2026-09-01"), validUntil: day("2027-09-01"),
                            recordedOn: day("2026-09-01"), revokedOn: nil),
                      .init(consent: "bup", givenBy: "elev", validFrom: day("2026-09-02"), validUntil: nil, recordedOn: day("2026-09-03"),
                            revokedOn: day("2026-10-01"))]
        s.concernReports = [day("2026-09-20")]
        var draft = CaseState.SessionDraft(id: "s-2", step: "k_foraldrasamtal", occurrence: 1, started: day("2026-11-20"), startedBy: "anna")
        draft.answers = ["foraldrasamtal": ["oro": .text("…"), "grupp": .rows([["a": .bool(false)]])]]
        draft.facts = SessionFacts(minutes: nil, start: nil, place: .digitalt, participants: [], bothPractitioners: nil)
        draft.checklist = ["c1": .delivered]
        draft.pausedOn = day("2026-11-20")
        draft.pausedBy = "bo"
        draft.answerCount = 3
        s.sessions = ["s-2": draft, "s-3": .init(id: "s-3", step: "k_matning", occurrence: 3, started: day("2026-11-21"), startedBy: nil)]
        s.cancellations = [.init(step: "k_matning", on: day("2026-09-24"), by: .skola)]
        s.version = 123_456
        return s
    }

    static let statuses: [CaseState.Status] = [
        .active, .paused(since: day("2026-11-01"), reason: "lov"), .closed(on: day("2026-12-01"), reason: .consentWithdrawn),
    ]

    @Test(arguments: statuses)
    func aSnapshotGivesBackTheStateItWasMadeFrom(status: CaseState.Status) {
        let state = Self.richState(status: status)
        #expect(CaseState(snapshot: state.snapshot()) == state)
        let empty = CaseState(code: "X-1", opened: state.opened)
        #expect(CaseState(snapshot: empty.snapshot()) == empty)
        // Every readable format, read alone and through one cache shared by many snapshots (which
        // must never hand one snapshot's text, list or checklist to another).
        let cache = SnapshotCache()
        var other = state
        other.staff = ["behandlare": ["Cecilia Exempel"], "processledare": ["Bo Behandlare"]]
        other.completions["k_matning"]?[0].checklist = ["c1": .notDelivered, "c2": .notApplicable, "c3": .delivered]
        other.completions["k_matning"]?[0].session?.participants = ["vardnadshavare", "elev"]
        for format in CaseState.readableSnapshotFormats.sorted() {
            for _ in 0..<3 {
                for s in [state, other, empty] {
                    let bytes = s.snapshot(format: format)
                    #expect(bytes.first == UInt8(2 * format), "format \(format) is the first byte")
                    #expect(CaseState(snapshot: bytes) == s, "format \(format)")
                    #expect(bytes.withUnsafeBytes { CaseState(snapshot: $0, cache: cache) } == s, "format \(format), with a cache")
                }
            }
        }
    }

    @Test(arguments: [1, 2])
    func bytesThatAreNotAWholeSnapshotAreRefused(format: Int) {
        let bytes = Self.richState(status: .active).snapshot(format: format)
        // Every shorter prefix, and the whole with anything after it.
        for length in 0..<bytes.count { #expect(CaseState(snapshot: Array(bytes.prefix(length))) == nil, "a prefix of \(length) bytes was read") }
        #expect(CaseState(snapshot: bytes + [0]) == nil)
        // Another format's bytes (the first byte is the format, as a zigzag varint).
        var other = bytes
        other[0] = UInt8(2 * ((CaseState.readableSnapshotFormats.max() ?? 0) + 1))
        #expect(CaseState(snapshot: other) == nil)
        #expect(CaseState(snapshot: [UInt8](repeating: 0xff, count: 64)) == nil)
    }
}
