import Foundation
import Testing
@testable import Workflow

/// A synthetic cohort of 30 cases in three fictional schools (12, 15 and 3 cases), driven through the
/// engine command by command, with names, personnummer and free text put wherever the engine takes
/// them — none of which may reach the report.
///
/// By `i % 10`: 9 stays in kartläggning, 8 in behandling, 7 in vidmakthållande, 6 is closed in
/// behandling because the family declined, 0–5 are closed as completed (18 cases).
enum Cohort {
    static let asOf = Day("2027-06-30")!
    static let schools = ["Testskolan Norr", "Testskolan Söder", "Testskolan Väster"]

    /// Names and identity numbers (Skatteverket's test personnummer) used in the cohort.
    static let personalData = [
        "Testa Testsson", "121212-1212", "19121212-1212", "Bertil Behandlarsson", "Berit Behandlardotter", "Petra Processledarsson",
        "Vera Vårdnadshavarsson",
    ]
    /// Every free text starts with this marker.
    static let freeTextMarker = "FRITEXT"

    static func school(_ i: Int) -> String { i < 12 ? schools[0] : i < 27 ? schools[1] : schools[2] }
    static func code(_ i: Int) -> String { "HSP-2026-" + String(10000 + i + 1).dropFirst() }
    static func opened(_ i: Int) -> Day { Day("2026-01-12")! + 6 * i }

    static func skipReason(_ i: Int) -> String { "FRITEXT-HOPP-\(i): Testa Testsson ville inte träffas" }
    static func overrideReason(_ i: Int) -> String { "FRITEXT-GRIND-\(i): teamet beslutade efter samtal med Vera Vårdnadshavarsson" }
    static func pauseReason(_ i: Int) -> String { "FRITEXT-PAUS-\(i): sjukskriven enligt intyg för 121212-1212" }
    static func deviation(_ i: Int) -> String { "FRITEXT-AVVIKELSE-\(i): samtalet hölls i telefon med Testa Testsson" }
    static func note(_ i: Int) -> String { "FRITEXT-ANTECKNING-\(i): Testa Testsson (19121212-1212) berättade om morgonen" }

    /// The cases as the report reads them, built once.
    static let built: Result<[ReportCase], CohortError> = {
        do {
            return .success(try (0..<30).map { try build($0) })
        } catch let error as CohortError {
            return .failure(error)
        } catch {
            return .failure(CohortError(message: "\(error)"))
        }
    }()

    static func cases() throws -> [ReportCase] { try built.get() }

    typealias Action = (inout EngineCase) throws -> Void

    static func build(_ i: Int) throws -> ReportCase {
        let o = opened(i)
        var c = try EngineCase(code: code(i), school: school(i), opened: o, grade: 8 + i % 2)
        c.actor = "Petra Processledarsson"
        var plan: [(Day, Action)] = []
        func at(_ day: Day, _ action: @escaping Action) { plan.append((day, action)) }

        // Aktualisering.
        at(o) { try $0.assign("behandlare", "Bertil Behandlarsson", on: o) }
        if i % 5 != 0 { at(o + 1) { try $0.assign("behandlare", "Berit Behandlardotter", on: o + 1) } }
        at(o + 1) { c in
            try c.assign("processledare", "Petra Processledarsson", on: o + 1)
            try c.consent("samtycke_skola_behandlare", on: o + 1, until: o + 900, givenBy: "Vera Vårdnadshavarsson")
            try c.consent("samtycke_behandlare_skola", on: o + 1, until: o + 900, givenBy: "Vera Vårdnadshavarsson")
            try c.complete("a_remiss", on: o + 1)
        }
        at(o + 2) { c in
            try c.complete("a_skolunderlag", on: o + 2)
            try c.complete("a_bemanning", on: o + 2, forms: ["bemanning": Answers.bemanning()])
        }
        at(o + 3) { try $0.complete("a_information_samtycke", on: o + 3, session: SessionFacts(minutes: 60, place: .hem, participants: ["vardnadshavare", "elev"])) }
        let k = o + 7
        at(k) { try $0.advanceOrOverride(on: k, reason: overrideReason(i)) }

        // Kartläggning.
        at(k + 2) { c in
            try c.complete("k_foraldrasamtal", on: k + 2, session: SessionFacts(minutes: 90, place: i % 7 == 0 ? .kontor : .hem, participants: ["vardnadshavare"]),
                           checklist: ["familjekarta": .delivered, "livslinje": .delivered, "debut": .delivered, "tidigare_insatser": .delivered, "skolmorgon": .delivered])
        }
        at(k + 4) { c in
            if i % 4 == 0 {
                try c.skip("k_elevkontakt", reason: skipReason(i), on: k + 4)
            } else {
                try c.complete("k_elevkontakt", on: k + 4, session: SessionFacts(minutes: 45, place: .hem, participants: ["elev"]))
            }
        }
        at(k + 6) { try $0.complete("k_skolmote", on: k + 6, session: SessionFacts(minutes: 60, place: .skola, participants: ["skola"])) }
        at(k + 8) { try $0.complete("k_matning_t1", on: k + 8, forms: ["matning": Answers.matning("t1", on: k + 8)]) }
        if i % 10 == 9 { return try finish(c, plan) }

        let modules = ["psykoedukation", "foraldrastod", "atergang_exponering", "skolsamverkan"]
        let factors = i % 3 == 0 ? ["psykiatri"] : ["psykiatri", "skolsituation"]
        at(k + 15) { try $0.complete("k_funktionell_analys", on: k + 15, forms: ["funktionell_analys": Answers.funktionellAnalys(recommending: modules, factors: factors, on: k + 15)]) }
        at(k + 17) { try $0.complete("k_arendekonferens", on: k + 17, forms: ["arendegenomgang": Answers.arendegenomgang(quality: 3 + i % 3, on: k + 17, type: "konferens")]) }
        at(k + 24) { c in
            try c.complete(
                "k_behandlingsplan", on: k + 24, forms: ["behandlingsplan": Answers.behandlingsplan(modules: modules, on: k + 24)],
                session: SessionFacts(minutes: 90, place: .skola, participants: i % 6 == 0 ? ["vardnadshavare", "elev"] : ["vardnadshavare", "elev", "skola"]))
        }
        let b = k + 27 + i % 12
        at(b) { try $0.advanceOrOverride(on: b, reason: overrideReason(i)) }

        // Behandling.
        let pause: Range<Day>? = i % 8 == 2 ? (b + 45)..<(b + 59) : nil
        let declinedOn: Day? = i % 10 == 6 ? b + 60 : nil
        let v = b + (i % 7 == 5 ? 170 : 185 + (i % 4) * 15)
        var treatment: [(Day, Action)] = []
        func during(_ day: Day, _ action: @escaping Action) { treatment.append((day, action)) }

        during(b + 2) { c in
            try c.complete(
                "b_psykoedukation", on: b + 2, forms: ["sessionslogg": Answers.sessionslogg(place: "hem", homework: "given", note: note(i))],
                session: SessionFacts(minutes: 60, place: .hem, participants: ["elev", "vardnadshavare"]),
                checklist: ["undvikandecirkel": .delivered, "egen_modell": i % 3 == 0 ? .notDelivered : .delivered])
        }
        for n in 0..<(8 + i % 6) {
            let on = b + 4 + 7 * n
            if i % 4 == 1, n % 3 == 2 {
                during(on) { try $0.cancel("b_foraldrastod", on: on, by: .familj) }
                continue
            }
            let homework = ["genomford", "delvis", "ej_genomford"][(i + n) % 3]
            let place: SessionFacts.Place = n % 2 == 0 ? .hem : .kontor
            during(on) { c in
                try c.complete(
                    "b_foraldrastod", on: on, forms: ["sessionslogg": Answers.sessionslogg(place: place.rawValue, homework: homework, note: note(i))],
                    session: SessionFacts(minutes: 60, place: place, participants: ["vardnadshavare"]),
                    checklist: ["genomgang_vecka": .delivered, "instruktioner": .delivered, "beloning": i % 5 == 3 ? .notDelivered : .delivered, "hemforstarkare": .notApplicable],
                    deviation: i % 6 == 1 && n == 1 ? deviation(i) : nil)
            }
        }
        let returnPlan = b + (i % 7 == 3 ? 35 : 20)
        during(returnPlan) { try $0.complete("b_atergangsplan", on: returnPlan, session: SessionFacts(minutes: 75, place: .skola, participants: ["elev", "vardnadshavare", "skola"])) }
        for n in 0..<6 {
            let on = returnPlan + 4 + (i % 5 == 4 ? 10 : 7) * n
            during(on) { try $0.complete("b_exponering", on: on, session: SessionFacts(minutes: 30, place: .skola, participants: ["elev", "skola"])) }
        }
        if i % 4 == 3 { during(returnPlan + 6) { try $0.cancel("b_exponering", on: returnPlan + 6, by: .elev) } }
        for offset in i % 5 == 2 ? [10, 60, 120] : [10, 50, 90] {
            during(b + offset) { try $0.complete("b_skolmote", on: b + offset, session: SessionFacts(minutes: 60, place: .skola, participants: ["skola", "vardnadshavare"])) }
        }
        for n in 0..<6 {
            let on = b + 7 + (i % 4 == 2 ? 16 : 14) * n
            during(on) { try $0.complete("b_arendegenomgang", on: on, forms: ["arendegenomgang": Answers.arendegenomgang(quality: 3 + (i + n) % 3, on: on)]) }
        }
        for offset in [30, 60, 90] {
            during(b + offset + 1) { try $0.complete("b_planuppfoljning", on: b + offset + 1) }
        }
        if let pause {
            treatment.removeAll { $0.0 >= pause.lowerBound && $0.0 <= pause.upperBound }
            during(pause.lowerBound) { try $0.run(on: pause.lowerBound, .pause(reason: pauseReason(i), on: pause.lowerBound)) }
            during(pause.upperBound) { try $0.run(on: pause.upperBound, .resume(on: pause.upperBound)) }
        }
        if let declinedOn {
            treatment.removeAll { $0.0 >= declinedOn }
            during(declinedOn) { try $0.run(on: declinedOn, .close(reason: .declined, on: declinedOn)) }
            return try finish(c, plan + treatment)
        }
        if i % 10 == 8 { return try finish(c, plan + treatment) }
        if i % 3 == 0 { during(v + (-1)) { try $0.complete("b_fasbeslut", on: v + (-1), forms: ["fasbeslut": Answers.fasbeslut()]) } }
        during(v) { try $0.advanceOrOverride(on: v, reason: overrideReason(i)) }

        // Vidmakthållande.
        during(v + 5) { try $0.complete("v_aterfallsplan", on: v + 5, session: SessionFacts(minutes: 60, place: .skola, participants: ["elev", "vardnadshavare", "skola"])) }
        for offset in [19, 33, 47] {
            during(v + offset) { c in
                try c.complete(
                    "v_uppfoljningssamtal", on: v + offset, forms: ["sessionslogg": Answers.sessionslogg(place: "hem", homework: "ingen", note: note(i))],
                    session: SessionFacts(minutes: 45, place: .hem, participants: ["elev", "vardnadshavare"]))
            }
        }
        during(v + 50) { try $0.complete("v_overlamning", on: v + 50, session: SessionFacts(minutes: 60, place: .skola, participants: ["skola", "vardnadshavare"])) }
        if i % 10 == 7 { return try finish(c, plan + treatment) }
        during(v + 80) { c in
            try c.complete("v_avslut", on: v + 80, forms: ["avslut": Answers.avslut(on: v + 80, grade: 8 + i % 2), "matning": Answers.matning("t2", on: v + 80)])
        }
        let closed = v + 85
        during(closed) { try $0.run(on: closed, .close(reason: .completed, on: closed)) }
        // Only the first three closed cases have had their six-month follow-up.
        if i < 3 { during(closed + 180) { try $0.complete("u_t3", on: closed + 180) } }
        return try finish(c, plan + treatment)
    }

    /// Runs the plan in date order (in plan order within a day).
    static func finish(_ start: EngineCase, _ plan: [(Day, Action)]) throws -> ReportCase {
        var c = start
        let ordered = plan.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        for (_, (day, action)) in ordered {
            precondition(day <= asOf, "the cohort runs past the report's day")
            do {
                try action(&c)
            } catch {
                throw CohortError(message: "\(c.current.code) on \(day): \(error)")
            }
        }
        return ReportCase(state: c.current, programme: c.programme, programmeHash: Fixture.hash, head: "kedja-\(c.current.code.lowercased())")
    }

    struct CohortError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// Weekly attendance for the outcomes section: 30 % of scheduled time before a case starts (nothing
/// at all for every fourth student), 75 % once it has started.
struct CohortAttendance: AttendanceHistory {
    let opened: [String: Day]
    let longAbsent: Set<String>

    init() {
        var opened: [String: Day] = [:]
        var longAbsent: Set<String> = []
        for i in 0..<30 {
            opened[Cohort.code(i)] = Cohort.opened(i)
            if i % 4 == 0 { longAbsent.insert(Cohort.code(i)) }
        }
        self.opened = opened
        self.longAbsent = longAbsent
    }

    func totals(caseCode: String, from: Day, to: Day) -> (scheduled: Double, attended: Double)? {
        guard let start = opened[caseCode], to > from else { return nil }
        let scheduled = Double(to - from) * 300
        if to <= start { return (scheduled, longAbsent.contains(caseCode) ? 0 : scheduled * 0.3) }
        return (scheduled, scheduled * 0.75)
    }
}
