import Foundation
import Testing
@testable import Workflow

/// One case through the whole HSP-style programme, from the referral to the follow-up, with the whole
/// state and the emitted events compared at the phase changes, and the log replayed at the end.
@Suite struct JourneyTests {
    let d0 = day("2026-09-01")

    var opened: CaseOpened {
        CaseOpened(
            code: HSP.code, programmeID: "hsp", programmeVersion: "1.0.0", programmeHash: HSP.hash, school: "Bergaskolan",
            grade: 8, referredBy: .eht, on: d0)
    }

    func completion(_ step: String, _ occurrence: Int = 1, on: Day, forms: [FormSubmission] = [], session: SessionFacts? = nil, deviation: String? = nil) -> StepCompleted {
        StepCompleted(step: step, occurrence: occurrence, on: on, forms: forms, session: session, checklist: [:], deviation: deviation)
    }

    @Test func openingRecordsTheCaseAndEntersTheFirstPhase() throws {
        var c = CaseHarness(today: d0)
        let events = try c.run(.open(code: HSP.code, school: "Bergaskolan", grade: 8, referredBy: .eht, on: d0))
        #expect(events == [.caseOpened(opened), .phaseEntered(phase: "aktualisering", on: d0)])

        var expected = CaseState(code: HSP.code, opened: opened)
        expected.phases = [CaseState.PhaseVisit(phase: "aktualisering", entered: d0, left: nil)]
        expected.version = 2
        #expect(c.state == expected)
        #expect(CaseMachine.replay(events) == expected)
    }

    @Test func aCaseGoesThroughEveryPhaseAndReplayRebuildsIt() throws {
        var c = try CaseHarness(opening: d0)

        // MARK: Phase 0 – aktualisering (d0 …)
        #expect(try c.complete("a_remiss", on: d0 + 1) == [.stepCompleted(completion("a_remiss", on: d0 + 1))])
        try c.assign("behandlare", "Behandlare Ek", on: d0 + 1)
        try c.assign("behandlare", "Behandlare Lind", on: d0 + 1)
        try c.assign("processledare", "Processledare Berg", on: d0 + 1)
        try c.complete("a_bemanning", on: d0 + 3, forms: ["bemanning": Answers.bemanning()])
        try c.consent("samtycke_skola_behandlare", on: d0 + 4)
        try c.complete("a_skolunderlag", on: d0 + 4)
        try c.complete("a_information_samtycke", on: d0 + 8)
        try c.consent("samtycke_behandlare_skola", on: d0 + 8, givenBy: "vardnadshavare-2")
        #expect(c.unmet().isEmpty)
        #expect(try c.advance(on: d0 + 9) == [.phaseEntered(phase: "kartlaggning", on: d0 + 9)])

        // The whole state at the first phase change.
        let bemanning = FormSubmission(form: "bemanning", answers: [
            "behandlare_antal": .number(2), "belastning_1": .number(3), "belastning_2": .number(4),
            "processledare_utsedd": .bool(true), "jourtelefon": .bool(true), "over_arendetak": .bool(false),
        ])
        var expected = CaseState(code: HSP.code, opened: opened)
        expected.phases = [
            CaseState.PhaseVisit(phase: "aktualisering", entered: d0, left: d0 + 9),
            CaseState.PhaseVisit(phase: "kartlaggning", entered: d0 + 9, left: nil),
        ]
        expected.completions = [
            "a_remiss": [completion("a_remiss", on: d0 + 1)],
            "a_bemanning": [completion("a_bemanning", on: d0 + 3, forms: [bemanning])],
            "a_skolunderlag": [completion("a_skolunderlag", on: d0 + 4)],
            "a_information_samtycke": [completion("a_information_samtycke", on: d0 + 8)],
        ]
        expected.forms = ["bemanning": bemanning]
        expected.formOrder = ["bemanning"]
        expected.staff = ["behandlare": ["Behandlare Ek", "Behandlare Lind"], "processledare": ["Processledare Berg"]]
        expected.staffHistory = [
            CaseState.StaffChange(role: "behandlare", person: "Behandlare Ek", on: d0 + 1, assigned: true),
            CaseState.StaffChange(role: "behandlare", person: "Behandlare Lind", on: d0 + 1, assigned: true),
            CaseState.StaffChange(role: "processledare", person: "Processledare Berg", on: d0 + 1, assigned: true),
        ]
        expected.consents = [
            CaseState.Consent(consent: "samtycke_skola_behandlare", givenBy: "vardnadshavare-1", validFrom: d0 + 4, validUntil: day("2027-09-05"), recordedOn: d0 + 4, revokedOn: nil),
            CaseState.Consent(consent: "samtycke_behandlare_skola", givenBy: "vardnadshavare-2", validFrom: d0 + 8, validUntil: day("2027-09-09"), recordedOn: d0 + 8, revokedOn: nil),
        ]
        expected.version = 12
        #expect(c.state == expected)

        // MARK: Phase 1 – kartläggning (K = d0 + 9)
        let k = d0 + 9
        #expect(c.item("k_elevkontakt").status == .waiting(for: ["k_foraldrasamtal"]))
        #expect(c.item("k_funktionell_analys").status == .waiting(for: ["k_foraldrasamtal", "k_elevkontakt", "k_skolmote", "k_matning_t1"]))
        #expect(c.item("k_funktionell_analys").earliest == k + 14)
        #expect(c.item("k_funktionell_analys").due == k + 28)
        #expect(c.item("k_informationsinhamtning").status == .notApplicable)
        try c.complete("k_foraldrasamtal", on: k + 1)
        let homeVisit = SessionFacts(minutes: 75, place: .hem)
        #expect(try c.complete("k_elevkontakt", on: k + 3, session: homeVisit, deviation: "Eleven ville inte träffas hemma; samtal på telefon")
            == [.stepCompleted(completion("k_elevkontakt", on: k + 3, session: homeVisit, deviation: "Eleven ville inte träffas hemma; samtal på telefon"))])
        try c.complete("k_skolmote", on: k + 6)
        try c.complete("k_matning_t1", on: k + 7, forms: ["matning": Answers.matning("t1", on: k + 7)])
        try c.complete("k_funktionell_analys", on: k + 15)
        try c.skip("k_arendekonferens", reason: "Metodgaranten sjuk; fallet tas på nästa ärendegenomgång", on: k + 19)
        #expect(c.item("k_behandlingsplan").status == .available)  // a skipped step satisfies `after`
        try c.complete("k_behandlingsplan", on: k + 26, forms: [
            "behandlingsplan": Answers.behandlingsplan(modules: ["psykoedukation", "foraldrastod", "atergang_exponering", "skolsamverkan"], on: k + 26),
        ])
        #expect(c.unmet().isEmpty)
        #expect(try c.advance(on: k + 27) == [.phaseEntered(phase: "behandling", on: k + 27)])
        #expect(c.current.deviations == [
            CaseState.Deviation(kind: .sessionDeviation, subject: "k_elevkontakt", on: k + 3, reason: "Eleven ville inte träffas hemma; samtal på telefon", actor: nil),
            CaseState.Deviation(kind: .stepSkipped, subject: "k_arendekonferens", on: k + 19, reason: "Metodgaranten sjuk; fallet tas på nästa ärendegenomgång", actor: nil),
        ])
        #expect(c.current.skipped == ["k_arendekonferens": k + 19])

        // MARK: Phase 2 – behandling (T = K + 27), 26 weeks of sessions at the manual's minimum dose
        let t = k + 27
        #expect(c.item("b_rutiner").status == .notApplicable)  // rutiner_somn was not chosen
        var plan: [(Day, String)] = []
        for week in 0..<26 {
            let base = t + 7 * week
            plan.append((base, "b_narvaroregistrering"))
            if week == 0 { plan.append((base + 1, "b_psykoedukation")) }
            if week < 12 { plan.append((base + 1, "b_foraldrastod")) }
            if week == 1 { plan.append((base + 2, "b_atergangsplan")) }
            if week.isMultiple(of: 2) { plan.append((base + 2, "b_arendegenomgang")) }
            if [4, 8, 12, 16, 20].contains(week) { plan.append((base + 3, "b_planuppfoljning")) }
            if [5, 11, 17, 23].contains(week) { plan.append((base + 4, "b_skolmote")) }
            if (2...6).contains(week) { plan.append((base + 1, "b_exponering")); plan.append((base + 4, "b_exponering")) }
        }
        for (on, step) in plan.sorted(by: { $0.0 < $1.0 }) {
            let occurrence = c.current.completedCount(step) + 1
            let events = try c.complete(step, on: on)
            #expect(events == [.stepCompleted(completion(step, occurrence, on: on))])
        }
        #expect(c.current.completedCount("b_narvaroregistrering") == 26)
        #expect(c.current.completedCount("b_exponering") == 10)
        // Every required step has its minimum; only the attendance gate holds the phase.
        #expect(c.unmet() == ["grind: Närvaromålet är inte nått och inget teambeslut finns."])
        try c.complete("b_fasbeslut", on: t + 180, forms: ["fasbeslut": Answers.fasbeslut()])
        #expect(c.unmet().isEmpty)
        #expect(try c.advance(on: t + 181) == [.phaseEntered(phase: "vidmakthallande", on: t + 181)])

        // MARK: Phase 3 – vidmakthållande (V = T + 181)
        let v = t + 181
        try c.complete("v_aterfallsplan", on: v + 3)
        for (n, offset) in [17, 31, 45].enumerated() {
            #expect(try c.complete("v_uppfoljningssamtal", on: v + offset) == [.stepCompleted(completion("v_uppfoljningssamtal", n + 1, on: v + offset))])
        }
        try c.complete("v_overlamning", on: v + 50)
        c.today = v + 51
        #expect(c.refusal(.advance(on: v + 51, override: nil))?.kind == .lastPhase)
        try c.complete("v_avslut", on: v + 75, forms: ["avslut": Answers.avslut(on: v + 75, grade: 9), "matning": Answers.matning("t2", on: v + 75)])
        #expect(c.unmet().isEmpty)

        // MARK: Closing as completed moves the case into follow-up
        let closed = v + 80
        #expect(try c.close(.completed, on: closed) == [.caseClosed(on: closed, reason: .completed), .phaseEntered(phase: "uppfoljning", on: closed)])
        #expect(c.current.status == .closed(on: closed, reason: .completed))
        #expect(c.current.phases.map(\.phase) == ["aktualisering", "kartlaggning", "behandling", "vidmakthallande", "uppfoljning"])
        #expect(c.current.phases.map(\.entered) == [d0, k, t, v, closed])
        #expect(c.current.phases.map(\.left) == [k, t, v, closed, nil])

        // MARK: Follow-up, on the closed case
        #expect(c.item("u_t3").earliest == closed + 7 * 22)
        #expect(c.item("u_t3").due == closed + 7 * 30)
        #expect(c.item("u_gymnasiebehorighet").status == .available)  // åk 9 at closure
        #expect(c.item("u_langtid_t4").isRequired == false)
        try c.run(on: closed + 10, .reportConcern(on: closed + 10))
        #expect(c.refusal(.assign(role: "behandlare", person: "Behandlare Ny", on: closed + 10))?.kind == .caseClosed)
        try c.complete("u_t3", on: closed + 7 * 26, forms: ["matning": Answers.matning("t3", on: closed + 7 * 26)])
        try c.complete("u_gymnasiebehorighet", on: closed + 7 * 40)
        #expect(c.agenda().unmetRequirements.isEmpty)
        #expect(c.current.concernReports == [closed + 10])

        // MARK: The log rebuilds the same state, also after a round trip through its stored JSON form
        #expect(c.current.version == c.events.count)
        #expect(CaseMachine.replay(c.events) == c.state)
        let json = try JSONEncoder().encode(c.events)
        let decoded = try JSONDecoder().decode([CaseEvent].self, from: json)
        #expect(decoded == c.events)
        #expect(CaseMachine.replay(decoded) == c.state)
        // Replaying any prefix gives the state the case had at that point.
        var folded: CaseState?
        for (n, event) in c.events.enumerated() {
            folded = CaseMachine.evolve(folded, event)
            #expect(folded == CaseMachine.replay(Array(c.events.prefix(n + 1))))
            // …and its snapshot (what the report reads instead of the events) holds exactly that state.
            #expect(folded.flatMap { CaseState(snapshot: $0.snapshot()) } == folded)
        }
    }

    @Test func closingWithADropoutReasonIsAllowedInEveryPhaseAndStartsNoFollowUp() throws {
        for (reason, phase) in [(CloseReason.declined, "aktualisering"), (.moved, "kartlaggning"), (.consentWithdrawn, "behandling"), (.placement, "vidmakthallande")] {
            var c = try CaseHarness(opening: d0)
            var n = 0
            while c.current.currentPhase != phase {
                n += 1
                try c.advance(on: d0 + n, override: "Testet hoppar till fasen \(phase)")
            }
            let on = d0 + n + 1
            #expect(try c.close(reason, on: on) == [.caseClosed(on: on, reason: reason)], "\(reason)")
            #expect(c.current.status == .closed(on: on, reason: reason))
            #expect(c.current.currentPhase == phase)
            #expect(c.current.phases.last?.left == on)
            #expect(CaseMachine.replay(c.events) == c.state)
        }
    }
}
