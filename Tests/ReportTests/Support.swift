import Foundation
import TestSupport
import Testing
@testable import Workflow

/// The shipped HSP-style programme, loaded once from the package's `programmes/hsp.xml`.
enum Fixture {
    static let packageRoot = PackageFiles.root
    static let programme = PackageFiles.shippedProgramme()

    /// The engine takes the hash from the store; any fixed text does here.
    static let hash = "sha256-of-hsp-xml-in-report-tests"

    /// A criterion of the shipped programme, by id.
    static func criterion(_ id: String) -> Criterion {
        guard let c = programme.criteria.first(where: { $0.id == id }) else { preconditionFailure("hsp.xml has no criterion \(id)") }
        return c
    }

    /// The shipped programme with only `criteria` (to try a kind or an option hsp.xml does not use).
    static func programme(with criteria: [Criterion]) -> Programme {
        var p = programme
        p.criteria = criteria
        return p
    }
}

// MARK: - A case as a hand-written event log

/// A case written event by event and folded with `CaseMachine.replay`, so that a test controls every
/// date exactly (including orders the engine would refuse, as an old log or a changed programme can hold).
struct EventLog {
    let programme: Programme
    private(set) var events: [CaseEvent]

    init(opened: Day, school: String = "Testskolan Norr", code: String = "HSP-2026-0101", programme: Programme = Fixture.programme) {
        self.programme = programme
        events = [
            .caseOpened(CaseOpened(
                code: code, programmeID: programme.id, programmeVersion: programme.version, programmeHash: Fixture.hash, school: school,
                grade: 8, referredBy: .eht, on: opened)),
            .phaseEntered(phase: "aktualisering", on: opened),
        ]
    }

    var state: CaseState {
        guard let s = CaseMachine.replay(events) else { preconditionFailure("the log does not fold") }
        return s
    }

    mutating func enter(_ phase: String, _ on: Day) { events.append(.phaseEntered(phase: phase, on: on)) }

    mutating func complete(
        _ step: String, _ on: Day, forms: [FormSubmission] = [], session: SessionFacts? = nil, checklist: [String: ChecklistMark] = [:],
        deviation: String? = nil
    ) {
        let occurrence = events.filter { if case .stepCompleted(let c) = $0 { c.step == step } else { false } }.count + 1
        events.append(.stepCompleted(StepCompleted(
            step: step, occurrence: occurrence, on: on, forms: forms, session: session, checklist: checklist, deviation: deviation)))
    }

    mutating func skip(_ step: String, _ on: Day, reason: String) { events.append(.stepSkipped(step: step, on: on, reason: reason)) }

    /// A gate of `phase` overridden on `on` (the engine then enters the next phase the same day).
    mutating func override(_ phase: String, _ on: Day, reason: String) {
        events.append(.gateOverridden(phase: phase, unmet: ["grind"], on: on, reason: reason))
    }

    mutating func pause(_ from: Day, until to: Day?) {
        events.append(.casePaused(on: from, reason: "Uppehåll i testet"))
        if let to { events.append(.caseResumed(on: to)) }
    }

    mutating func close(_ on: Day, _ reason: CloseReason = .completed) {
        events.append(.caseClosed(on: on, reason: reason))
        if reason.isCompletion { events.append(.phaseEntered(phase: "uppfoljning", on: on)) }
    }

    mutating func assign(_ role: String, _ person: String, _ on: Day) { events.append(.staffAssigned(role: role, person: person, on: on)) }
    mutating func unassign(_ role: String, _ person: String, _ on: Day) { events.append(.staffUnassigned(role: role, person: person, on: on)) }

    mutating func consent(_ id: String, from: Day, until: Day?) {
        events.append(.consentRecorded(ConsentGiven(consent: id, givenBy: "vardnadshavare-1", validFrom: from, validUntil: until, on: from)))
    }

    mutating func revoke(_ id: String, _ on: Day) { events.append(.consentRevoked(consent: id, on: on)) }

    /// A planned session that did not take place.
    mutating func cancel(_ step: String, _ on: Day, by: SessionFacts.CancelledBy) {
        let id = "session-\(events.count)"
        events.append(.sessionStarted(SessionStarted(session: id, step: step, occurrence: 1, on: on)))
        events.append(.sessionCancelled(session: id, on: on, by: by))
    }

    /// Every outcome of the case on `asOf`.
    func outcomes(asOf: Day) -> [CriterionOutcome] {
        FidelityEvaluator.evaluate(state, programme: programme, asOf: asOf, evaluator: XPathEvaluator())
    }

    /// The outcome of one criterion on `asOf`.
    func outcome(_ id: String, asOf: Day) -> CriterionOutcome {
        guard let o = outcomes(asOf: asOf).first(where: { $0.criterion == id }) else {
            Issue.record("the programme has no criterion \(id)")
            return CriterionOutcome(criterion: id, compliant: 0, total: 0)
        }
        return o
    }

    /// The case as the report reads it.
    var reportCase: ReportCase {
        ReportCase(state: state, programme: programme, programmeHash: Fixture.hash, head: "kedja-\(state.code.lowercased())")
    }
}

/// A session at `place` with the usual participants.
func session(_ place: SessionFacts.Place = .kontor, minutes: Int = 60, participants: [String] = ["vardnadshavare"]) -> SessionFacts {
    SessionFacts(minutes: minutes, place: place, participants: participants)
}

// MARK: - Expectations on outcomes

/// The outcome counts `compliant` of `total` units (and is therefore assessable).
func expectOutcome(_ o: CriterionOutcome, _ compliant: Int, of total: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(
        o.compliant == compliant && o.total == total,
        "\(o.criterion): expected \(compliant)/\(total), got \(o.compliant)/\(o.total) (\(o.notAssessable?.en ?? "assessable"))",
        sourceLocation: sourceLocation)
    #expect(o.isAssessable == (total > 0), sourceLocation: sourceLocation)
}

/// The outcome is "not assessable" for `reason` — never 0 %.
func expectNotAssessable(_ o: CriterionOutcome, _ reason: LocalizedMessage, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(!o.isAssessable, "\(o.criterion): expected not assessable (\(reason.en)), got \(o.compliant)/\(o.total)", sourceLocation: sourceLocation)
    #expect(o.percent == nil, "\(o.criterion): a not-assessable criterion has no percentage", sourceLocation: sourceLocation)
    #expect(o.notAssessable == reason, "\(o.criterion): reason \(o.notAssessable?.en ?? "none"), expected \(reason.en)", sourceLocation: sourceLocation)
}

// MARK: - A case driven through the engine

/// One case driven through `CaseMachine.decide` and `evolve` exactly as the store does it, with a clock
/// that each dated command moves forward (never back).
struct EngineCase {
    let programme = Fixture.programme
    let evaluator = XPathEvaluator()
    var today: Day
    var attendance: AttendanceSource?
    var actor: String?
    private(set) var state: CaseState?
    private(set) var events: [CaseEvent] = []

    init(code: String, school: String, opened: Day, grade: Int = 8) throws(WorkflowError) {
        today = opened
        try run(on: opened, .open(code: code, school: school, grade: grade, referredBy: .eht, on: opened))
    }

    var current: CaseState {
        guard let state else { preconditionFailure("no case opened") }
        return state
    }

    @discardableResult
    mutating func run(on: Day, _ command: CaseCommand) throws(WorkflowError) -> [CaseEvent] {
        if on > today { today = on }
        let context = CaseMachine.Context(today: today, programmeHash: Fixture.hash, evaluator: evaluator, attendance: attendance)
        let decided = try CaseMachine.decide(command, state: state, programme: programme, context: context)
        for event in decided {
            state = CaseMachine.evolve(state, event, actor: actor)
            events.append(event)
        }
        return decided
    }

    mutating func complete(
        _ step: String, on: Day, forms: [String: FormAnswers] = [:], session: SessionFacts? = nil, checklist: [String: ChecklistMark] = [:],
        deviation: String? = nil
    ) throws(WorkflowError) {
        try run(on: on, .completeStep(StepRecord(step: step, on: on, forms: forms, session: session, checklist: checklist, deviation: deviation)))
    }

    mutating func skip(_ step: String, reason: String, on: Day) throws(WorkflowError) {
        try run(on: on, .skipStep(step: step, reason: reason, on: on))
    }

    mutating func advance(on: Day, override: String? = nil) throws(WorkflowError) {
        try run(on: on, .advance(on: on, override: override))
    }

    /// Advances, and only when the engine refuses for unmet requirements, again with `override`.
    mutating func advanceOrOverride(on: Day, reason: String) throws(WorkflowError) {
        do throws(WorkflowError) {
            try advance(on: on)
        } catch where error.kind == .requirementsUnmet {
            try advance(on: on, override: reason)
        }
    }

    mutating func consent(_ id: String, on: Day, until: Day? = nil, givenBy: String = "vardnadshavare-1") throws(WorkflowError) {
        try run(on: on, .recordConsent(consent: id, givenBy: givenBy, validFrom: on, validUntil: until, on: on))
    }

    mutating func assign(_ role: String, _ person: String, on: Day) throws(WorkflowError) {
        try run(on: on, .assign(role: role, person: person, on: on))
    }

    mutating func cancel(_ step: String, on: Day, by: SessionFacts.CancelledBy) throws(WorkflowError) {
        try run(on: on, .recordCancellation(session: "\(current.code)-x\(events.count)", step: step, on: on, by: by))
    }
}

/// Valid answers to the forms the criteria read.
enum Answers {
    static func bemanning() -> FormAnswers {
        ["behandlare_antal": .number(2), "belastning_1": .number(3), "belastning_2": .number(4), "processledare_utsedd": .bool(true), "jourtelefon": .bool(true)]
    }

    static func matning(_ tidpunkt: String, on: Day) -> FormAnswers {
        [
            "tidpunkt": .text(tidpunkt), "matdatum": .text(on.description), "narvaro_3v": .number(20), "narvaro_6m": .number(35),
            "helt_franvarande": .bool(false), "sras_genomford": .bool(false),
        ]
    }

    static func behandlingsplan(modules: [String], on: Day) -> FormAnswers {
        [
            "mal": .rows([[
                "beskrivning": .text("Eleven är i skolan hela förmiddagar"), "matt": .text("Närvaro enligt skolans registrering"),
                "malvarde": .text("80 %"), "maldatum": .text((on + 120).description),
            ]]),
            "narvaromal": .number(80), "moduler": .list(modules), "bygger_pa_analys": .bool(true), "kontakter_per_vecka": .number(2),
            "ansvar_familj": .text("Morgonrutin enligt planen"), "ansvar_skola": .text("Trygg person möter eleven vid entrén"),
            "ansvar_team": .text("Två samtal i veckan"), "forsta_uppfoljning": .text((on + 28).description), "overenskommen": .text("ja"),
            "overenskommen_av": .list(["vardnadshavare", "skola"]),
        ]
    }

    static func funktionellAnalys(recommending modules: [String], factors: [String] = ["psykiatri"], on: Day) -> FormAnswers {
        var answers: FormAnswers = [
            "huvudfaktorer": .list(factors), "vidmakthallande": .text("Undvikande förstärks av lugn hemma"),
            "hypotes": .text("Frånvaron fyller funktion 1"), "rekommenderade_moduler": .list(modules), "granskad_av": .text("metodgarant"),
            "granskad_datum": .text(on.description),
        ]
        for factor in ["handelse_familj", "handelse_skola", "psykiatri", "npf", "skolsituation", "foraldrafunktion", "skarmtid", "kamrater", "somatik"] {
            answers["faktor_\(factor)"] = .number(1)
        }
        return answers
    }

    static func arendegenomgang(quality: Int, on: Day, type: String = "foljsamhet") -> FormAnswers {
        [
            "typ": .text(type), "granskare": .list(["metodgarant", "teamledare"]), "kvalitet": .number(Double(quality)),
            "avvikelse": .bool(false), "nasta_genomgang": .text((on + 14).description),
        ]
    }

    /// A session log; `note` is free text (never to be published).
    static func sessionslogg(place: String, homework: String, note: String) -> FormAnswers {
        var answers: FormAnswers = ["plats": .text(place), "hemuppgift": .text(homework), "avvikelse": .bool(false), "anteckning": .text(note)]
        if homework != "ingen" { answers["hemuppgift_beskrivning"] = .text(note) }
        return answers
    }

    static func fasbeslut() -> FormAnswers {
        [
            "beslut": .text("till_vidmakthallande"), "narvaro_4v": .number(78),
            "motivering": .text("Närvaron är stabil kring målet sedan sex veckor och familjen klarar morgnarna."),
            "beslutande": .list(["teamledare", "behandlare"]),
        ]
    }

    static func avslut(on: Day, grade: Int) -> FormAnswers {
        [
            "avslutsdatum": .text(on.description), "avslutsorsak": .text("genomfort"), "arskurs": .number(Double(grade)),
            "mal_uppnadda": .text("flera"), "t2_genomford": .bool(true),
        ]
    }
}
