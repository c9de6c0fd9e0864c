import Foundation
import TestSupport
import Testing
@testable import Workflow

/// The shipped HSP-style programme, loaded once from the package's `programmes/hsp.xml`.
enum HSP {
    static let packageRoot = PackageFiles.root
    static let programme = PackageFiles.shippedProgramme()

    /// The engine takes the hash from the store; any fixed text does here.
    static let hash = "sha256-of-hsp-xml-in-tests"
    static let code = "HSP-2026-0001"
}

/// A fixed day: the tests never read the wall clock.
func day(_ iso: String) -> Day {
    guard let d = Day(iso) else { preconditionFailure("not a date: \(iso)") }
    return d
}

/// Attendance figures from imported school data, fixed for a test.
struct FixedAttendance: AttendanceSource {
    var percent: Double?
    func attendancePercent(caseCode: String, window: ISODuration, endingOn: Day) -> Double? { percent }
}

/// One case driven through `decide` and `evolve` exactly as the store does it, with a clock the test
/// moves. Every command the test runs is decided on `today` (a command dated later moves the clock).
struct CaseHarness {
    let programme = HSP.programme
    let evaluator = XPathEvaluator()
    var today: Day
    var attendance: AttendanceSource?
    /// Who the folded events are attributed to (what the store passes to `evolve`).
    var actor: String?
    private(set) var state: CaseState?
    private(set) var events: [CaseEvent] = []
    /// Who each event was attributed to, in step with `events`.
    private(set) var actors: [String?] = []

    /// The log as the store keeps it: each event with its actor.
    var log: [(event: CaseEvent, actor: String?)] { Array(zip(events, actors)).map { (event: $0.0, actor: $0.1) } }

    /// A harness with no case yet.
    init(today: Day) {
        self.today = today
    }

    /// Opens HSP-2026-0001 on `on`.
    init(opening on: Day, school: String = "Bergaskolan", grade: Int = 8, referredBy: ReferralSource = .eht) throws {
        today = on
        try run(.open(code: HSP.code, school: school, grade: grade, referredBy: referredBy, on: on))
    }

    var context: CaseMachine.Context {
        CaseMachine.Context(today: today, programmeHash: HSP.hash, evaluator: evaluator, attendance: attendance)
    }

    var current: CaseState {
        guard let state else { preconditionFailure("no case opened") }
        return state
    }

    func decide(_ command: CaseCommand) throws(WorkflowError) -> [CaseEvent] {
        try CaseMachine.decide(command, state: state, programme: programme, context: context)
    }

    /// Decides `command` on `today` and folds what it decided. A refusal changes nothing.
    @discardableResult
    mutating func run(_ command: CaseCommand) throws(WorkflowError) -> [CaseEvent] {
        let decided = try decide(command)
        for event in decided {
            state = CaseMachine.evolve(state, event, actor: actor)
            events.append(event)
            actors.append(actor)
        }
        return decided
    }

    /// Moves the clock forward to `on` (never back) and runs `command`.
    @discardableResult
    mutating func run(on: Day, _ command: CaseCommand) throws(WorkflowError) -> [CaseEvent] {
        if on > today { today = on }
        return try run(command)
    }

    /// The refusal of `command` on `today`, or nil when the engine accepts it. Never changes the case.
    func refusal(_ command: CaseCommand) -> WorkflowError? {
        do throws(WorkflowError) {
            _ = try decide(command)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Commands, dated

    @discardableResult
    mutating func complete(
        _ step: String, on: Day, forms: [String: FormAnswers] = [:], session: SessionFacts? = nil, deviation: String? = nil
    ) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .completeStep(StepRecord(step: step, on: on, forms: forms, session: session, deviation: deviation)))
    }

    @discardableResult
    mutating func skip(_ step: String, reason: String, on: Day) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .skipStep(step: step, reason: reason, on: on))
    }

    @discardableResult
    mutating func advance(on: Day, override: String? = nil) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .advance(on: on, override: override))
    }

    @discardableResult
    mutating func consent(
        _ id: String, on: Day, from: Day? = nil, until: Day? = nil, givenBy: String = "vardnadshavare-1"
    ) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .recordConsent(consent: id, givenBy: givenBy, validFrom: from ?? on, validUntil: until, on: on))
    }

    @discardableResult
    mutating func revoke(_ id: String, on: Day) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .revokeConsent(consent: id, on: on))
    }

    @discardableResult
    mutating func assign(_ role: String, _ person: String, on: Day) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .assign(role: role, person: person, on: on))
    }

    @discardableResult
    mutating func pause(_ reason: String, on: Day) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .pause(reason: reason, on: on))
    }

    @discardableResult
    mutating func resume(on: Day) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .resume(on: on))
    }

    @discardableResult
    mutating func close(_ reason: CloseReason, on: Day) throws(WorkflowError) -> [CaseEvent] {
        try run(on: on, .close(reason: reason, on: on))
    }

    // MARK: - What the team sees

    func agenda(on: Day? = nil) -> CaseAgenda {
        CaseMachine.agenda(current, programme: programme, today: on ?? today, evaluator: evaluator, attendance: attendance)
    }

    func item(_ step: String, on: Day? = nil) -> CaseAgenda.Item {
        guard let item = agenda(on: on).items.first(where: { $0.step == step }) else {
            preconditionFailure("\(step) is not in the current phase (\(current.currentPhase ?? "-"))")
        }
        return item
    }

    /// What keeps the case in its phase: the messages of a refused `advance` (Swedish), or [] when it may advance.
    func unmet(on: Day? = nil) -> [String] {
        CaseMachine.requirementsUnmet(
            state: current, programme: programme,
            context: CaseMachine.Context(today: on ?? today, programmeHash: HSP.hash, evaluator: evaluator, attendance: attendance)
        ).map(\.message.sv)
    }

    // MARK: - Shortcuts to a phase

    /// A case opened on `opened` and brought into behandling the short way (gates overridden, the
    /// assessment skipped), with a treatment plan choosing `modules`. With `recommended`, the functional
    /// analysis is filled in and recommends those modules. Behandling starts on `opened + 3`.
    static func inTreatment(opened: Day, modules: [String], recommended: [String]? = nil) throws -> CaseHarness {
        var c = try CaseHarness(opening: opened)
        try c.advance(on: opened, override: "Snabbspår i testet: aktualiseringen görs inte här")
        try c.consent("samtycke_skola_behandlare", on: opened)
        try c.consent("samtycke_behandlare_skola", on: opened)
        if let recommended {
            for step in ["k_foraldrasamtal", "k_elevkontakt", "k_skolmote", "k_matning_t1"] {
                try c.skip(step, reason: "Snabbspår i testet", on: opened + 1)
            }
            try c.complete("k_funktionell_analys", on: opened + 1, forms: ["funktionell_analys": Answers.funktionellAnalys(recommending: recommended, on: opened + 1)])
        }
        try c.skip("k_arendekonferens", reason: "Snabbspår i testet", on: opened + 1)
        try c.complete("k_behandlingsplan", on: opened + 2, forms: ["behandlingsplan": Answers.behandlingsplan(modules: modules, on: opened + 2)])
        try c.advance(on: opened + 3, override: "Snabbspår i testet: kartläggningen görs inte här")
        #expect(c.current.currentPhase == "behandling")
        return c
    }
}

/// Valid answers to the forms whose fields the programme's gates and conditions read. Values are
/// given the way a person types them where the forms engine turns them into canonical values.
enum Answers {
    static func bemanning(therapists: Int = 2, processLeadNamed: Bool = true) -> FormAnswers {
        var answers: FormAnswers = [
            "behandlare_antal": .number(Double(therapists)),
            "belastning_1": .number(3),
            "processledare_utsedd": .bool(processLeadNamed),
            "jourtelefon": .bool(true),
        ]
        if therapists >= 2 { answers["belastning_2"] = .number(4) }
        return answers
    }

    static func matning(_ tidpunkt: String, on: Day) -> FormAnswers {
        [
            "tidpunkt": .text(tidpunkt),
            "matdatum": .text(on.description),
            "narvaro_3v": .number(20),
            "narvaro_6m": .number(35),
            "helt_franvarande": .bool(false),
            "sras_genomford": .bool(false),
        ]
    }

    static func behandlingsplan(modules: [String], on: Day, agreed: Bool = true) -> FormAnswers {
        var answers: FormAnswers = [
            "mal": .rows([[
                "beskrivning": .text("Eleven är i skolan hela förmiddagar"),
                "matt": .text("Närvaro enligt skolans registrering"),
                "malvarde": .text("80 %"),
                "maldatum": .text((on + 120).description),
            ]]),
            "narvaromal": .number(80),
            "moduler": .list(modules),
            "bygger_pa_analys": .bool(true),
            "kontakter_per_vecka": .number(2),
            "ansvar_familj": .text("Morgonrutin enligt planen"),
            "ansvar_skola": .text("Trygg person möter eleven vid entrén"),
            "ansvar_team": .text("Två samtal i veckan"),
            "forsta_uppfoljning": .text((on + 28).description),
            "overenskommen": .text(agreed ? "ja" : "nej"),
        ]
        if agreed { answers["overenskommen_av"] = .list(["vardnadshavare", "skola"]) }
        return answers
    }

    static func funktionellAnalys(recommending modules: [String], on: Day) -> FormAnswers {
        var answers: FormAnswers = [
            "huvudfaktorer": .list(["psykiatri"]),
            "vidmakthallande": .text("Undvikande förstärks av lugn hemma"),
            "hypotes": .text("Frånvaron fyller funktion 1"),
            "rekommenderade_moduler": .list(modules),
            "granskad_av": .text("metodgarant"),
            "granskad_datum": .text(on.description),
        ]
        for factor in ["handelse_familj", "handelse_skola", "psykiatri", "npf", "skolsituation", "foraldrafunktion", "skarmtid", "kamrater", "somatik"] {
            answers["faktor_\(factor)"] = .number(1)
        }
        return answers
    }

    static func foraldrasamtal(externalSources: [String]) -> FormAnswers {
        [
            "plats": .text("hem"),
            "familjekarta": .rows([["relation": .text("foralder")]]),
            "externa_kallor": .list(externalSources),
        ]
    }

    static func fasbeslut(_ decision: String = "till_vidmakthallande") -> FormAnswers {
        [
            "beslut": .text(decision),
            "narvaro_4v": .number(78),
            "motivering": .text("Närvaron är stabil kring målet sedan sex veckor och familjen klarar morgnarna."),
            "beslutande": .list(["teamledare", "behandlare"]),
        ]
    }

    static func avslut(on: Day, grade: Int) -> FormAnswers {
        [
            "avslutsdatum": .text(on.description),
            "avslutsorsak": .text("genomfort"),
            "arskurs": .number(Double(grade)),
            "mal_uppnadda": .text("flera"),
            "t2_genomford": .bool(true),
        ]
    }
}

extension WorkflowError {
    /// Everything the team member reads, in Swedish: the message, the details and the hint.
    var swedish: String { rendered(.sv) }
    var english: String { rendered(.en) }
}

extension Day {
    /// The day `days` before this one.
    static func - (day: Day, days: Int) -> Day { day + (-days) }
}
