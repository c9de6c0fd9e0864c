import Foundation
import Testing
@testable import Workflow

/// When steps become available and due: `after` dependencies, conditions, windows, repetition.
@Suite struct StepRuleTests {
    let d0 = day("2026-09-01")

    // MARK: - after

    @Test func aStepWaitsForTheStepsItComesAfter() throws {
        var c = try CaseHarness(opening: d0)
        #expect(c.item("a_remiss").status == .available)
        #expect(c.item("a_bemanning").status == .waiting(for: ["a_remiss"]))
        #expect(c.item("a_information_samtycke").status == .waiting(for: ["a_bemanning"]))

        let error = try #require(c.refusal(.completeStep(StepRecord(step: "a_bemanning", on: d0))))
        #expect(error.kind == .waitingForSteps)
        #expect(error.message.sv == "Steget Utse behandlarpar och processledare [a_bemanning] väntar på: Registrera remiss [a_remiss].")
        #expect(error.hint?.sv.contains("narvaro case skip") == true)

        try c.complete("a_remiss", on: d0)
        #expect(c.item("a_bemanning").status == .available)
        #expect(c.item("a_information_samtycke").status == .waiting(for: ["a_bemanning"]))
        try c.skip("a_bemanning", reason: "Teamledaren bemannar på måndagens möte", on: d0 + 1)
        #expect(c.item("a_information_samtycke").status == .available)
    }

    @Test
    func aStepCannotBeDatedBeforeTheStepItWaitsFor() throws {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0 + 5)
        // The referral was registered on day 5: the staffing that waits for it cannot have been done on day 2.
        #expect(c.refusal(.completeStep(StepRecord(step: "a_bemanning", on: d0 + 2))) != nil)
    }

    // MARK: - Conditions

    @Test func aModuleStepAppliesOnlyWhenThePlanChoosesTheModule() throws {
        let without = try CaseHarness.inTreatment(opened: d0, modules: ["psykoedukation", "foraldrastod"])
        let item = without.item("b_rutiner")
        #expect(item.status == .notApplicable)
        #expect(item.isRequired == false)
        #expect(!without.agenda().unmetRequirements.contains { $0.step == "b_rutiner" })
        let error = try #require(without.refusal(.completeStep(StepRecord(step: "b_rutiner", on: d0 + 3))))
        #expect(error.kind == .conditionFalse)
        #expect(error.message.sv == "Steget Rutiner, sömn och skärmtid [b_rutiner] gäller inte det här ärendet (villkoret är inte uppfyllt).")
        #expect(error.hint?.sv == "Villkor: module-selected('rutiner_somn')")

        let with = try CaseHarness.inTreatment(opened: d0, modules: ["psykoedukation", "rutiner_somn"])
        let chosen = with.item("b_rutiner")
        #expect(chosen.status == .available)
        #expect(chosen.isRequired)
        #expect(chosen.minimumOccurrences == 2)
        #expect(with.unmet().contains("steget Rutiner, sömn och skärmtid [b_rutiner] är inte gjort (0 av minst 2)"))
    }

    @Test
    func onlyThePlansModulesCountAsChosen() throws {
        // The analysis recommends routines and sleep, but the agreed plan does not take it up.
        let c = try CaseHarness.inTreatment(opened: d0, modules: ["psykoedukation"], recommended: ["psykoedukation", "rutiner_somn"])
        #expect(c.current.forms["funktionell_analys"] != nil)
        #expect(c.item("b_rutiner").status == .notApplicable)
    }

    @Test func aConditionalAssessmentStepFollowsTheParentInterview() throws {
        var c = try CaseHarness(opening: d0)
        try c.advance(on: d0, override: "Testet börjar i kartläggningen")
        #expect(c.item("k_informationsinhamtning").status == .notApplicable)
        try c.complete("k_foraldrasamtal", on: d0 + 2, forms: ["foraldrasamtal": Answers.foraldrasamtal(externalSources: ["bup", "tidigare_utredning"])])
        // Now it applies, counts as required, and needs the CAMHS consent before it can start.
        let item = c.item("k_informationsinhamtning")
        #expect(item.status == .needsConsent(["samtycke_bup_behandlare"]))
        #expect(item.isRequired)
        try c.consent("samtycke_bup_behandlare", on: d0 + 3)
        #expect(c.item("k_informationsinhamtning").status == .available)
    }

    // MARK: - Due dates and overdue

    @Test func dueDatesComeFromTheProgrammeWindows() throws {
        let c = try CaseHarness(opening: d0)
        let agenda = c.agenda()
        func window(_ step: String) -> (Day?, Day?) {
            let item = agenda.items.first { $0.step == step }
            return (item?.earliest, item?.due)
        }
        #expect(window("a_remiss") == (d0, d0 + 1))  // case-start, P0D–P1D
        #expect(window("a_bemanning") == (d0, d0 + 7))  // phase-start, P0D–P1W
        #expect(window("a_skolunderlag") == (d0, d0 + 14))
        #expect(window("a_information_samtycke") == (d0, d0 + 14))
    }

    @Test func anOpenStepPastItsDueDateIsOverdue() throws {
        var c = try CaseHarness(opening: d0)
        #expect(c.item("a_remiss", on: d0 + 1).isOverdue == false)  // due today
        let late = c.agenda(on: d0 + 2)
        #expect(late.overdue.map(\.step) == ["a_remiss"])
        #expect(late.actionable.first?.step == "a_remiss")
        // A waiting step is overdue too once its window has passed.
        #expect(Set(c.agenda(on: d0 + 8).overdue.map(\.step)) == ["a_remiss", "a_bemanning"])
        try c.complete("a_remiss", on: d0 + 8)
        #expect(c.agenda().overdue.map(\.step) == ["a_bemanning"])
    }

    // MARK: - Repeated steps

    @Test func aRepeatedStepCountsOccurrencesAndIsNextDueEveryInterval() throws {
        var c = try CaseHarness.inTreatment(opened: d0, modules: ["foraldrastod"])
        let t = d0 + 3
        let first = c.item("b_foraldrastod")
        #expect(first.nextOccurrence == 1)
        #expect(first.minimumOccurrences == 12)
        #expect(first.due == t + 14)  // anchor "previous": the first one counts from the phase start

        let events = try c.complete("b_foraldrastod", on: t + 2)
        #expect(events == [.stepCompleted(StepCompleted(step: "b_foraldrastod", occurrence: 1, on: t + 2, forms: [], session: nil, checklist: [:], deviation: nil))])
        var item = c.item("b_foraldrastod")
        #expect(item.status == .available)
        #expect((item.completed, item.nextOccurrence, item.due) == (1, 2, t + 9))  // previous + P1W

        try c.complete("b_foraldrastod", on: t + 8)
        item = c.item("b_foraldrastod")
        #expect((item.completed, item.nextOccurrence, item.due) == (2, 3, t + 15))
        #expect(c.item("b_foraldrastod", on: t + 15).isOverdue == false)
        #expect(c.item("b_foraldrastod", on: t + 16).isOverdue)
        #expect(c.current.completions["b_foraldrastod"]?.map(\.occurrence) == [1, 2])

        // A window with a start: the first review from week 4 to week 6, then every 4 weeks after the last.
        let review = c.item("b_planuppfoljning")
        #expect((review.earliest, review.due) == (t + 28, t + 42))
        try c.complete("b_planuppfoljning", on: t + 30)
        #expect(c.item("b_planuppfoljning").due == t + 58)
    }

    @Test func theMinimumCountsTowardsThePhaseRequirements() throws {
        var c = try CaseHarness.inTreatment(opened: d0, modules: ["foraldrastod"])
        let t = d0 + 3
        #expect(c.unmet().contains("steget Uppföljning av behandlingsplanen [b_planuppfoljning] är inte gjort (0 av minst 5)"))
        for n in 0..<4 { try c.complete("b_planuppfoljning", on: t + 28 * (n + 1)) }
        #expect(c.unmet().contains("steget Uppföljning av behandlingsplanen [b_planuppfoljning] är inte gjort (4 av minst 5)"))
        let refused = try #require(c.refusal(.advance(on: c.today, override: nil)))
        #expect(refused.details.contains { $0.sv == "steget Uppföljning av behandlingsplanen [b_planuppfoljning] är inte gjort (4 av minst 5)" })
        try c.complete("b_planuppfoljning", on: t + 28 * 5)
        #expect(!c.unmet().contains { $0.contains("b_planuppfoljning") })
        #expect(c.item("b_planuppfoljning").status == .available)  // more may be held, up to 13
        #expect(c.item("b_planuppfoljning").nextOccurrence == 6)
    }

    @Test func aRepeatedStepIsDoneAtItsMaximum() throws {
        var c = try CaseHarness.inTreatment(opened: d0, modules: ["rutiner_somn"])
        let t = d0 + 3
        for n in 1...12 { try c.complete("b_rutiner", on: t + 7 * n) }
        #expect(c.item("b_rutiner").status == .done)
        #expect(c.item("b_rutiner").isOverdue == false)
        let error = try #require(c.refusal(.completeStep(StepRecord(step: "b_rutiner", on: c.today))))
        #expect(error.kind == .alreadyDone)
    }

    @Test func aRepetitionEndsWhenItsWhileConditionNoLongerHolds() throws {
        // Exposure is repeated while attendance over two weeks is below the plan's target (80 %).
        var c = try CaseHarness.inTreatment(opened: d0, modules: ["psykoedukation", "atergang_exponering"])
        let t = d0 + 3
        c.attendance = FixedAttendance(percent: 50)
        try c.complete("b_psykoedukation", on: t + 1)
        try c.complete("b_atergangsplan", on: t + 8)
        try c.complete("b_exponering", on: t + 9)
        #expect(c.item("b_exponering").status == .available)
        c.attendance = FixedAttendance(percent: 85)
        #expect(c.item("b_exponering").status == .done)
        // The attendance target also opens the gate to maintenance without a team decision.
        #expect(!c.unmet().contains("grind: Närvaromålet är inte nått och inget teambeslut finns."))
    }
}
