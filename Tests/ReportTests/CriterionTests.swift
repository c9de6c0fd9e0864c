import Foundation
import Testing
@testable import Workflow

/// Every criterion kind the shipped programme uses, against a hand-written event log whose answer was
/// worked out by hand (in the comments). Missing data and unfinished phases must be "not assessable",
/// never 0 %.
@Suite struct CriterionTests {
    let d0 = Day("2026-09-01")!  // the case opens; aktualisering
    let k = Day("2026-09-08")!  // kartläggning starts
    let b = Day("2026-10-06")!  // behandling starts

    /// A case in aktualisering from d0, in kartläggning from k.
    func inAssessment() -> EventLog {
        var log = EventLog(opened: d0)
        log.enter("kartlaggning", k)
        return log
    }

    /// A case that entered behandling on b.
    func inTreatment() -> EventLog {
        var log = inAssessment()
        log.enter("behandling", b)
        return log
    }

    // MARK: - The criteria under test

    @Test func theShippedProgrammeUsesTheKindsTestedHere() {
        let tested: Set<Criterion.Kind> = [
            .coverage, .sequence, .phaseDuration, .timeliness, .formBefore, .moduleMatch, .participation, .place, .dosage, .contactMinutes,
            .cadence, .checklist, .formCompleteness, .responsiveness, .rating, .deviations, .completedBeforeClosure, .gateEvidence, .staffing,
            .consent, .attendanceData, .caseload, .teamMeeting, .supervision, .reach,
        ]
        let used = Set(Fixture.programme.criteria.map(\.kind))
        #expect(used.subtracting(tested).isEmpty, "untested kinds: \(used.subtracting(tested))")
        #expect(Fixture.programme.criteria.count == 34)
        // One outcome per criterion, in the programme's order, for any case.
        #expect(inTreatment().outcomes(asOf: b + 10).map(\.criterion) == Fixture.programme.criteria.map(\.id))
    }

    // MARK: coverage (f01)

    @Test func coverageCountsRequiredStepsOfTheFinishedPhase() {
        let phase = Fixture.programme.phase("kartlaggning")!
        // The seven required kartläggning steps; k_informationsinhamtning is conditional.
        #expect(phase.steps.filter { $0.requirement == .required }.map(\.id) == [
            "k_foraldrasamtal", "k_elevkontakt", "k_skolmote", "k_matning_t1", "k_funktionell_analys", "k_arendekonferens", "k_behandlingsplan",
        ])
        var log = inAssessment()
        for (n, step) in ["k_foraldrasamtal", "k_elevkontakt", "k_skolmote", "k_matning_t1", "k_funktionell_analys"].enumerated() {
            log.complete(step, k + 2 + n)
        }
        log.skip("k_arendekonferens", k + 20, reason: "Metodgaranten sjuk")  // a skip is not a completion
        log.complete("k_behandlingsplan", k + 25)

        // Still in kartläggning: not assessable, however much is done.
        expectNotAssessable(log.outcome("f01", asOf: k + 26), FidelityReasons.phaseNotFinished)

        log.enter("behandling", b)
        // 6 of the 7 required steps were completed.
        expectOutcome(log.outcome("f01", asOf: b), 6, of: 7)

        // A conditional step that was done counts as required: 7 of 8.
        var withConditional = inAssessment()
        for (n, step) in ["k_foraldrasamtal", "k_elevkontakt", "k_skolmote", "k_matning_t1", "k_informationsinhamtning", "k_funktionell_analys"].enumerated() {
            withConditional.complete(step, k + 2 + n)
        }
        withConditional.skip("k_arendekonferens", k + 20, reason: "Metodgaranten sjuk")
        withConditional.complete("k_behandlingsplan", k + 25)
        withConditional.enter("behandling", b)
        expectOutcome(withConditional.outcome("f01", asOf: b), 7, of: 8)

        expectNotAssessable(EventLog(opened: d0).outcome("f01", asOf: d0 + 3), FidelityReasons.phaseNotReached)
    }

    /// The same criteria over a case the engine itself drove (gates overridden, steps skipped).
    @Test func criteriaOverACaseDrivenThroughTheEngine() throws {
        var c = try EngineCase(code: "HSP-2026-0102", school: "Testskolan Norr", opened: d0)
        try c.advance(on: d0, override: "Snabbspår i testet")
        try c.consent("samtycke_skola_behandlare", on: d0)
        try c.consent("samtycke_behandlare_skola", on: d0)
        for step in ["k_foraldrasamtal", "k_elevkontakt", "k_skolmote", "k_matning_t1"] {
            try c.skip(step, reason: "Snabbspår i testet", on: d0 + 1)
        }
        try c.complete("k_funktionell_analys", on: d0 + 1, forms: [
            "funktionell_analys": Answers.funktionellAnalys(recommending: ["psykoedukation"], factors: ["psykiatri"], on: d0 + 1),
        ])
        try c.skip("k_arendekonferens", reason: "Snabbspår i testet", on: d0 + 1)
        try c.complete("k_behandlingsplan", on: d0 + 2, forms: ["behandlingsplan": Answers.behandlingsplan(modules: ["psykoedukation", "foraldrastod"], on: d0 + 2)])
        try c.advance(on: d0 + 3, override: "Snabbspår i testet")
        #expect(c.current.currentPhase == "behandling")

        let outcomes = Dictionary(uniqueKeysWithValues: FidelityEvaluator.evaluate(c.current, programme: c.programme, asOf: d0 + 10, evaluator: c.evaluator).map { ($0.criterion, $0) })
        // 2 of the 7 required kartläggning steps done (the analysis and the plan); 5 skipped.
        expectOutcome(outcomes["f01"]!, 2, of: 7)
        // The student contact was skipped: whether the parents came first cannot be told.
        expectNotAssessable(outcomes["f02"]!, FidelityReasons.noData)
        // The plan (d0+2) came before behandling (d0+3).
        expectOutcome(outcomes["f03"]!, 1, of: 1)
        // Kartläggning lasted 3 days (d0 … d0+3), far below 21: assessed, not met.
        expectOutcome(outcomes["f04"]!, 0, of: 1)
        // No T1 before behandling.
        expectOutcome(outcomes["f07"]!, 0, of: 1)
        // psykoedukation answers to the factor psykiatri; foraldrastod (foraldrafunktion, handelse_familj; functions 3 4) to nothing recorded.
        expectOutcome(outcomes["f09"]!, 1, of: 2)
        // 2 overrides + 5 skips, each with a reason.
        expectOutcome(outcomes["f24"]!, 7, of: 7)
        expectNotAssessable(outcomes["f26"]!, FidelityReasons.phaseNotReached)
    }

    // MARK: sequence (f02, f03)

    @Test func sequenceCompletionBeforeAStepOrAPhase() {
        // f02: the parent interview on or before the first student contact.
        var sameDay = inAssessment()
        sameDay.complete("k_foraldrasamtal", k + 2)
        sameDay.complete("k_elevkontakt", k + 2)
        expectOutcome(sameDay.outcome("f02", asOf: k + 5), 1, of: 1)

        var reversed = inAssessment()  // only possible in an old log: the engine enforces `after`
        reversed.complete("k_elevkontakt", k + 1)
        reversed.complete("k_foraldrasamtal", k + 4)
        expectOutcome(reversed.outcome("f02", asOf: k + 5), 0, of: 1)

        var parentsNever = inAssessment()
        parentsNever.complete("k_elevkontakt", k + 1)
        expectOutcome(parentsNever.outcome("f02", asOf: k + 5), 0, of: 1)

        var noStudentContact = inAssessment()
        noStudentContact.complete("k_foraldrasamtal", k + 1)
        expectNotAssessable(noStudentContact.outcome("f02", asOf: k + 5), FidelityReasons.noData)

        // f03: the plan agreed on or before the day behandling starts.
        var planOnTime = inAssessment()
        planOnTime.complete("k_behandlingsplan", b)
        planOnTime.enter("behandling", b)
        expectOutcome(planOnTime.outcome("f03", asOf: b + 1), 1, of: 1)

        var planLate = inAssessment()
        planLate.enter("behandling", b)
        expectOutcome(planLate.outcome("f03", asOf: b + 1), 0, of: 1)  // no plan at all
        planLate.complete("k_behandlingsplan", b + 1)
        expectOutcome(planLate.outcome("f03", asOf: b + 2), 0, of: 1)  // a plan after the start

        var notYet = inAssessment()
        notYet.complete("k_behandlingsplan", k + 20)
        expectNotAssessable(notYet.outcome("f03", asOf: k + 21), FidelityReasons.noData)
    }

    // MARK: phase-duration (f04, f06)

    @Test func phaseDurationInActiveDays() {
        func assessment(leaving: Day, pause: (Day, Day)? = nil) -> EventLog {
            var log = inAssessment()
            if let pause { log.pause(pause.0, until: pause.1) }
            log.enter("behandling", leaving)
            return log
        }
        // 21–35 days: 20 and 36 are out, 21 and 35 in.
        expectOutcome(assessment(leaving: k + 20).outcome("f04", asOf: b + 60), 0, of: 1)
        expectOutcome(assessment(leaving: k + 21).outcome("f04", asOf: b + 60), 1, of: 1)
        expectOutcome(assessment(leaving: k + 35).outcome("f04", asOf: b + 60), 1, of: 1)
        expectOutcome(assessment(leaving: k + 36).outcome("f04", asOf: b + 60), 0, of: 1)
        // 42 calendar days with 10 paused (k+12 … k+21) are 32 active days.
        expectOutcome(assessment(leaving: k + 42, pause: (k + 12, k + 22)).outcome("f04", asOf: b + 60), 1, of: 1)

        expectNotAssessable(inAssessment().outcome("f04", asOf: k + 50), FidelityReasons.phaseNotFinished)
        expectNotAssessable(EventLog(opened: d0).outcome("f04", asOf: k), FidelityReasons.phaseNotReached)

        // f06: vidmakthållande 60–120 days, ended by the closure.
        let v = Day("2027-03-01")!
        var maintained = inTreatment()
        maintained.enter("vidmakthallande", v)
        expectNotAssessable(maintained.outcome("f06", asOf: v + 70), FidelityReasons.phaseNotFinished)
        maintained.close(v + 70)  // 2027-05-10
        expectOutcome(maintained.outcome("f06", asOf: v + 100), 1, of: 1)
        var short = inTreatment()
        short.enter("vidmakthallande", v)
        short.close(v + 59)
        expectOutcome(short.outcome("f06", asOf: v + 100), 0, of: 1)
    }

    // MARK: timeliness (f14, f08b, f08)

    @Test func timelinessAgainstTheStepsWindow() {
        // f14: b_atergangsplan due 4 weeks after behandling starts: b + 28 = 2026-11-03.
        var onTime = inTreatment()
        onTime.complete("b_atergangsplan", b + 28)
        expectOutcome(onTime.outcome("f14", asOf: b + 60), 1, of: 1)

        var late = inTreatment()
        late.complete("b_atergangsplan", b + 29)
        expectOutcome(late.outcome("f14", asOf: b + 60), 0, of: 1)

        // Not done and past its due date: one late occurrence. Not yet due: nothing to assess.
        expectOutcome(inTreatment().outcome("f14", asOf: b + 29), 0, of: 1)
        expectNotAssessable(inTreatment().outcome("f14", asOf: b + 28), FidelityReasons.noSessions)
        expectNotAssessable(inAssessment().outcome("f14", asOf: b + 60), FidelityReasons.noSessions)

        // Ten paused days move the due date to b + 38.
        var paused = inTreatment()
        paused.pause(b + 4, until: b + 14)
        paused.complete("b_atergangsplan", b + 38)
        expectOutcome(paused.outcome("f14", asOf: b + 60), 1, of: 1)
        var pausedLate = inTreatment()
        pausedLate.pause(b + 4, until: b + 14)
        pausedLate.complete("b_atergangsplan", b + 39)
        expectOutcome(pausedLate.outcome("f14", asOf: b + 60), 0, of: 1)

        // f08b: v_avslut within 13 weeks of the start of vidmakthållande (v + 91).
        let v = Day("2027-03-01")!
        var closing = inTreatment()
        closing.enter("vidmakthallande", v)
        closing.complete("v_avslut", v + 91)
        expectOutcome(closing.outcome("f08b", asOf: v + 100), 1, of: 1)
        var closingLate = inTreatment()
        closingLate.enter("vidmakthallande", v)
        closingLate.complete("v_avslut", v + 92)
        expectOutcome(closingLate.outcome("f08b", asOf: v + 100), 0, of: 1)
    }

    @Test func timelinessOfTheFollowUpAfterClosure() {
        // f08: u_t3 within 30 weeks of closure (c + 210).
        let closed = Day("2027-05-10")!
        func closedCase() -> EventLog {
            var log = inTreatment()
            log.enter("vidmakthallande", Day("2027-03-01")!)
            log.close(closed)
            return log
        }
        var t3 = closedCase()
        t3.complete("u_t3", closed + 180)
        expectOutcome(t3.outcome("f08", asOf: closed + 400), 1, of: 1)
        var t3Late = closedCase()
        t3Late.complete("u_t3", closed + 211)
        expectOutcome(t3Late.outcome("f08", asOf: closed + 400), 0, of: 1)
        // Not yet due: not assessable.
        expectNotAssessable(closedCase().outcome("f08", asOf: closed + 100), FidelityReasons.noSessions)

        // Long past its due date and never done: a late T3, as for any other open occurrence.
        let missing = closedCase().outcome("f08", asOf: closed + 400)
        expectOutcome(missing, 0, of: 1)
        // A T3 two weeks after closure is not "six months ± 4 weeks" (the window opens at 22 weeks).
        var early = closedCase()
        early.complete("u_t3", closed + 14)
        let earlyOutcome = early.outcome("f08", asOf: closed + 400)
        expectOutcome(earlyOutcome, 0, of: 1)
    }

    // MARK: form-before (f07, f29b)

    @Test func formBeforeAPhaseStarts() {
        let t1 = FormSubmission(form: "matning", answers: Answers.matning("t1", on: b))
        var onTime = inAssessment()
        onTime.complete("k_matning_t1", b, forms: [t1])
        onTime.enter("behandling", b)
        expectOutcome(onTime.outcome("f07", asOf: b + 5), 1, of: 1)

        var after = inAssessment()
        after.enter("behandling", b)
        after.complete("k_matning_t1", b + 1, forms: [t1])
        expectOutcome(after.outcome("f07", asOf: b + 5), 0, of: 1)

        var withoutForm = inAssessment()
        withoutForm.complete("k_matning_t1", k + 3)  // the step, but no form submitted
        withoutForm.enter("behandling", b)
        expectOutcome(withoutForm.outcome("f07", asOf: b + 5), 0, of: 1)

        expectNotAssessable(inAssessment().outcome("f07", asOf: b + 5), FidelityReasons.phaseNotReached)

        // f29b: the school documents before kartläggning.
        var school = EventLog(opened: d0)
        school.complete("a_skolunderlag", d0 + 2, forms: [FormSubmission(form: "skolunderlag", answers: [:])])
        school.enter("kartlaggning", k)
        expectOutcome(school.outcome("f29b", asOf: k + 1), 1, of: 1)
        expectOutcome(inAssessment().outcome("f29b", asOf: k + 1), 0, of: 1)
        expectNotAssessable(EventLog(opened: d0).outcome("f29b", asOf: d0 + 2), FidelityReasons.phaseNotReached)
    }

    // MARK: module-match (f09)

    @Test func moduleMatchAgainstProfileAndFactors() {
        var log = inAssessment()
        // SRAS-R profile f2 (from the measurement's `highest` score) and the factor skarmtid.
        log.complete("k_matning_t1", k + 5, forms: [FormSubmission(form: "matning", answers: [:], scores: ["sras_profil": "f2"])])
        log.complete("k_funktionell_analys", k + 15, forms: [FormSubmission(form: "funktionell_analys", answers: ["huvudfaktorer": .list(["skarmtid"])])])
        expectNotAssessable(log.outcome("f09", asOf: k + 16), FidelityReasons.noSubmissions)  // no plan yet
        // kognitivt_socialt (function 2) ✓, rutiner_somn (factor skarmtid) ✓, beteendeaktivering (function 1, factor psykiatri) ✗.
        log.complete("k_behandlingsplan", k + 25, forms: [FormSubmission(
            form: "behandlingsplan", answers: ["moduler": .list(["kognitivt_socialt", "rutiner_somn", "beteendeaktivering"])])])
        expectOutcome(log.outcome("f09", asOf: k + 26), 2, of: 3)

        // A plan with no SRAS-R profile and no factor recorded anywhere: nothing to link to.
        var planOnly = inAssessment()
        planOnly.complete("k_behandlingsplan", k + 25, forms: [FormSubmission(form: "behandlingsplan", answers: ["moduler": .list(["foraldrastod"])])])
        let outcome = planOnly.outcome("f09", asOf: k + 26)
        expectNotAssessable(outcome, FidelityReasons.noProfile)
    }

    // MARK: participation (f10)

    @Test func participationOfTheRequiredRoles() {
        var all = inAssessment()
        all.complete("k_behandlingsplan", k + 25, session: session(.hem, participants: ["vardnadshavare", "elev", "skola"]))
        expectOutcome(all.outcome("f10", asOf: k + 26), 1, of: 1)

        var noSchool = inAssessment()
        noSchool.complete("k_behandlingsplan", k + 25, session: session(.hem, participants: ["vardnadshavare", "elev"]))
        expectOutcome(noSchool.outcome("f10", asOf: k + 26), 0, of: 1)

        var noFacts = inAssessment()
        noFacts.complete("k_behandlingsplan", k + 25)
        expectNotAssessable(noFacts.outcome("f10", asOf: k + 26), FidelityReasons.noSessions)
        expectNotAssessable(inAssessment().outcome("f10", asOf: k + 26), FidelityReasons.noSessions)
    }

    // MARK: place (f11 without `per`, f11b per month)

    @Test func placeOnceInAPhase() {
        var home = inAssessment()
        home.complete("k_foraldrasamtal", k + 2, session: session(.hem))
        // Met as soon as the one home visit is done, before the phase ends.
        expectOutcome(home.outcome("f11", asOf: k + 10), 1, of: 1)

        var office = inAssessment()
        office.complete("k_foraldrasamtal", k + 2, session: session(.kontor))
        expectNotAssessable(office.outcome("f11", asOf: k + 10), FidelityReasons.phaseNotFinished)
        office.enter("behandling", b)
        expectOutcome(office.outcome("f11", asOf: b + 1), 0, of: 1)
        // A home visit in behandling does not count for kartläggning.
        office.complete("b_foraldrastod", b + 2, session: session(.hem))
        expectOutcome(office.outcome("f11", asOf: b + 3), 0, of: 1)

        expectNotAssessable(EventLog(opened: d0).outcome("f11", asOf: d0 + 5), FidelityReasons.phaseNotReached)
    }

    @Test func placePerCalendarMonth() {
        // Behandling from 2026-10-06; on 2027-01-10 three whole months: [10-06, 11-06), [11-06, 12-06), [12-06, 01-06).
        let asOf = Day("2027-01-10")!
        var log = inTreatment()
        log.complete("b_foraldrastod", Day("2026-10-08")!, session: session(.hem))
        log.complete("b_foraldrastod", Day("2026-11-20")!, session: session(.kontor))
        log.complete("b_foraldrastod", Day("2026-12-10")!, session: session(.hem))
        log.complete("b_foraldrastod", Day("2027-01-08")!, session: session(.hem))  // the unfinished fourth month
        expectOutcome(log.outcome("f11b", asOf: asOf), 2, of: 3)

        // A month spent wholly paused is left out: 2 of 2.
        var paused = inTreatment()
        paused.pause(Day("2026-11-06")!, until: Day("2026-12-06")!)
        paused.complete("b_foraldrastod", Day("2026-10-08")!, session: session(.hem))
        paused.complete("b_foraldrastod", Day("2026-12-10")!, session: session(.hem))
        expectOutcome(paused.outcome("f11b", asOf: asOf), 2, of: 2)

        // Less than one whole month in behandling: nothing to assess yet.
        expectNotAssessable(inTreatment().outcome("f11b", asOf: b + 20), FidelityReasons.phaseNotFinished)
        expectNotAssessable(inAssessment().outcome("f11b", asOf: asOf), FidelityReasons.phaseNotReached)
    }

    // MARK: dosage (f12, f15 per period; a copy without `per`)

    @Test func dosagePerPeriod() {
        // f12: b_foraldrastod at least once per two weeks; b + 28: periods [b, b+14), [b+14, b+28).
        var both = inTreatment()
        both.complete("b_foraldrastod", b + 1)
        both.complete("b_foraldrastod", b + 15)
        expectOutcome(both.outcome("f12", asOf: b + 28), 2, of: 2)

        var firstOnly = inTreatment()
        firstOnly.complete("b_foraldrastod", b + 1)
        firstOnly.complete("b_foraldrastod", b + 13)  // both in the first period
        firstOnly.complete("b_foraldrastod", b + 28)  // on the end day: belongs to the third, unfinished, period
        expectOutcome(firstOnly.outcome("f12", asOf: b + 28), 1, of: 2)

        // f15: b_exponering weekly; b + 21: three weeks, attempts in the first and the third.
        var exposure = inTreatment()
        exposure.complete("b_exponering", b + 1)
        exposure.complete("b_exponering", b + 3)
        exposure.complete("b_exponering", b + 16)
        expectOutcome(exposure.outcome("f15", asOf: b + 21), 2, of: 3)

        // A paused week is left out: the second week wholly paused → 2 of 2.
        var paused = inTreatment()
        paused.pause(b + 7, until: b + 14)
        paused.complete("b_exponering", b + 1)
        paused.complete("b_exponering", b + 16)
        expectOutcome(paused.outcome("f15", asOf: b + 21), 2, of: 2)

        expectNotAssessable(inTreatment().outcome("f15", asOf: b + 6), FidelityReasons.tooFewOccurrences)
        expectNotAssessable(inAssessment().outcome("f12", asOf: b + 30), FidelityReasons.phaseNotReached)
    }

    @Test func dosageWithoutPerCountsTheWholePhase() {
        var criterion = Fixture.criterion("f12")
        criterion.id = "dos"
        criterion.per = nil
        criterion.min = 3
        let programme = Fixture.programme(with: [criterion])
        func log(sessions: Int, leaves: Bool) -> EventLog {
            var log = EventLog(opened: d0, programme: programme)
            log.enter("kartlaggning", k)
            log.enter("behandling", b)
            for n in 0..<sessions { log.complete("b_foraldrastod", b + 7 * n) }
            if leaves { log.enter("vidmakthallande", b + 200) }
            return log
        }
        expectOutcome(log(sessions: 3, leaves: true).outcome("dos", asOf: b + 210), 1, of: 1)
        expectOutcome(log(sessions: 2, leaves: true).outcome("dos", asOf: b + 210), 0, of: 1)
        expectNotAssessable(log(sessions: 3, leaves: false).outcome("dos", asOf: b + 210), FidelityReasons.phaseNotFinished)
    }

    // MARK: contact-minutes (f13)

    @Test func contactMinutesOverTheFinishedPhase() {
        // 16 sessions × 120 minutes = 1 920, the minimum.
        var enough = inTreatment()
        for n in 0..<16 { enough.complete(n.isMultiple(of: 2) ? "b_foraldrastod" : "b_exponering", b + 7 * n, session: session(minutes: 120)) }
        expectNotAssessable(enough.outcome("f13", asOf: b + 120), FidelityReasons.phaseNotFinished)
        enough.enter("vidmakthallande", b + 200)
        expectOutcome(enough.outcome("f13", asOf: b + 210), 1, of: 1)

        // One minute short (1 919); minutes in kartläggning do not count.
        var short = inAssessment()
        short.complete("k_foraldrasamtal", k + 2, session: session(minutes: 600))
        short.enter("behandling", b)
        for n in 0..<16 { short.complete("b_foraldrastod", b + 7 * n, session: session(minutes: n == 0 ? 119 : 120)) }
        short.complete("b_arendegenomgang", b + 3)  // no session facts: no minutes
        short.enter("vidmakthallande", b + 200)
        expectOutcome(short.outcome("f13", asOf: b + 210), 0, of: 1)

        expectNotAssessable(inAssessment().outcome("f13", asOf: b), FidelityReasons.phaseNotReached)
    }

    // MARK: cadence (f16, f17)

    @Test func cadenceGapsBetweenMeetings() {
        // f16: school meetings at most 42 days apart: gaps 42 (ok) and 49 (not).
        var meetings = inTreatment()
        meetings.complete("b_skolmote", b)
        meetings.complete("b_skolmote", b + 42)
        meetings.complete("b_skolmote", b + 91)
        expectOutcome(meetings.outcome("f16", asOf: b + 100), 1, of: 2)

        // Ten paused days in the second gap: 39 active days, ok.
        var paused = inTreatment()
        paused.complete("b_skolmote", b)
        paused.complete("b_skolmote", b + 42)
        paused.pause(b + 50, until: b + 60)
        paused.complete("b_skolmote", b + 91)
        expectOutcome(paused.outcome("f16", asOf: b + 100), 2, of: 2)

        // f17: reviews at most 14 days apart: 14, 15, 14 → 2 of 3.
        var reviews = inTreatment()
        for offset in [0, 14, 29, 43] { reviews.complete("b_arendegenomgang", b + offset) }
        expectOutcome(reviews.outcome("f17", asOf: b + 50), 2, of: 3)

        var once = inTreatment()
        once.complete("b_skolmote", b)
        expectNotAssessable(once.outcome("f16", asOf: b + 100), FidelityReasons.tooFewOccurrences)
        // A meeting after the report's day is not seen.
        once.complete("b_skolmote", b + 30)
        expectNotAssessable(once.outcome("f16", asOf: b + 29), FidelityReasons.tooFewOccurrences)
    }

    // MARK: checklist (f21)

    @Test func checklistItemsDeliveredPerSession() {
        var log = inTreatment()
        // b_psykoedukation: required undvikandecirkel, egen_modell (material is optional). 1 of 2.
        log.complete("b_psykoedukation", b + 1, checklist: ["undvikandecirkel": .delivered, "material": .delivered])
        // b_foraldrastod: four required items, one not applicable: 2 of 3.
        log.complete("b_foraldrastod", b + 3, checklist: [
            "genomgang_vecka": .delivered, "instruktioner": .delivered, "beloning": .notDelivered, "hemforstarkare": .notApplicable,
        ])
        // A session without a checklist says nothing about its items.
        log.complete("b_foraldrastod", b + 10)
        expectOutcome(log.outcome("f21", asOf: b + 20), 3, of: 5)

        // Only kartläggning checklists: nothing in behandling to assess.
        var assessment = inAssessment()
        assessment.complete("k_foraldrasamtal", k + 2, checklist: ["familjekarta": .delivered])
        assessment.enter("behandling", b)
        assessment.complete("b_foraldrastod", b + 3)
        expectNotAssessable(assessment.outcome("f21", asOf: b + 20), FidelityReasons.noSessions)
    }

    // MARK: form-completeness (not in hsp.xml; a criterion made for the test)

    @Test func formCompletenessOfEverySubmission() {
        var criterion = Fixture.criterion("f24")
        criterion.id = "komplett"
        criterion.kind = .formCompleteness
        criterion.form = "bemanning"
        let programme = Fixture.programme(with: [criterion])
        var log = EventLog(opened: d0, programme: programme)
        expectNotAssessable(log.outcome("komplett", asOf: d0 + 5), FidelityReasons.noSubmissions)
        log.complete("a_bemanning", d0 + 1, forms: [FormSubmission(form: "bemanning", answers: Answers.bemanning())])
        var incomplete = Answers.bemanning()
        incomplete["jourtelefon"] = nil  // required
        log.complete("a_bemanning", d0 + 2, forms: [FormSubmission(form: "bemanning", answers: incomplete)])
        var missingSecond = Answers.bemanning()
        missingSecond["belastning_2"] = nil  // required when there are two therapists
        log.complete("a_bemanning", d0 + 3, forms: [FormSubmission(form: "bemanning", answers: missingSecond)])
        expectOutcome(log.outcome("komplett", asOf: d0 + 5), 1, of: 3)
        expectOutcome(log.outcome("komplett", asOf: d0 + 1), 1, of: 1)
    }

    // MARK: responsiveness (f22)

    @Test func responsivenessHeldAgainstCancelledByTheFamily() {
        var log = inTreatment()
        for offset in [1, 8, 15] { log.complete("b_foraldrastod", b + offset, session: session()) }
        log.complete("b_exponering", b + 9, session: session(.skola))
        log.cancel("b_foraldrastod", b + 22, by: .familj)
        log.cancel("b_exponering", b + 23, by: .elev)
        log.cancel("b_skolmote", b + 24, by: .skola)  // not the family's doing
        log.cancel("b_exponering", b + 25, by: .team)  // nor this
        // held 4; cancelled by the family or the student 2 → 4 of 6.
        expectOutcome(log.outcome("f22", asOf: b + 30), 4, of: 6)

        var cancelledInAssessment = inAssessment()
        cancelledInAssessment.cancel("k_elevkontakt", k + 3, by: .elev)
        cancelledInAssessment.enter("behandling", b)
        expectNotAssessable(cancelledInAssessment.outcome("f22", asOf: b + 30), FidelityReasons.noSessions)
    }

    @Test func responsivenessCountsSessionsNotAdministrativeSteps() {
        var log = inTreatment()
        log.complete("b_foraldrastod", b + 1, session: session())
        log.complete("b_foraldrastod", b + 8, session: session())
        log.cancel("b_foraldrastod", b + 15, by: .familj)
        log.cancel("b_foraldrastod", b + 22, by: .familj)
        // Weekly attendance registration is a step without a session (session="false").
        #expect(Fixture.programme.step("b_narvaroregistrering")?.isSession == false)
        for week in 0..<4 { log.complete("b_narvaroregistrering", b + 7 * week) }
        // Sessions held 2, cancelled by the family 2: 2 of 4 (50 %).
        let outcome = log.outcome("f22", asOf: b + 30)
        expectOutcome(outcome, 2, of: 4)
    }

    // MARK: rating (f23, f22b)

    @Test func ratingAtOrAboveTheMinimum() {
        var log = inTreatment()
        expectNotAssessable(log.outcome("f23", asOf: b + 50), FidelityReasons.noSubmissions)
        for (n, quality) in [5, 4, 3].enumerated() {
            log.complete("b_arendegenomgang", b + 14 * n, forms: [FormSubmission(form: "arendegenomgang", answers: ["kvalitet": .number(Double(quality))])])
        }
        log.complete("b_arendegenomgang", b + 42, forms: [FormSubmission(form: "arendegenomgang", answers: [:])])  // no rating given
        // 5 and 4 reach 4; 3 does not: 2 of 3.
        expectOutcome(log.outcome("f23", asOf: b + 50), 2, of: 3)
        // The one on b + 28 is after the report's day b + 20.
        expectOutcome(log.outcome("f23", asOf: b + 20), 2, of: 2)

        // f22b: the calculated homework share (1, 0.5, 0) against 0.6: 1 of 3.
        var homework = inTreatment()
        for (n, share) in [1.0, 0.5, 0.0].enumerated() {
            homework.complete("b_foraldrastod", b + 7 * n, forms: [FormSubmission(form: "sessionslogg", answers: ["hemuppgift_grad": .number(share)])])
        }
        expectOutcome(homework.outcome("f22b", asOf: b + 30), 1, of: 3)
    }

    // MARK: deviations (f24)

    @Test func deviationsNeedAReason() {
        var log = inAssessment()
        expectNotAssessable(log.outcome("f24", asOf: k + 30), FidelityReasons.noDeviations)
        log.skip("k_arendekonferens", k + 10, reason: "Metodgaranten sjuk")
        log.override("kartlaggning", b, reason: "Teambeslut")
        log.enter("behandling", b)
        log.complete("b_foraldrastod", b + 3, deviation: " x ")  // an old log: one character is no reason
        expectOutcome(log.outcome("f24", asOf: b + 5), 2, of: 3)
        expectOutcome(log.outcome("f24", asOf: b), 2, of: 2)
    }

    // MARK: completed-before-closure (f25)

    @Test func maintenanceContentBeforeClosure() {
        let v = Day("2027-03-01")!
        let closed = v + 80
        func maintenance(_ steps: [(String, Day)]) -> EventLog {
            var log = inTreatment()
            log.enter("vidmakthallande", v)
            for (step, on) in steps { log.complete(step, on) }
            return log
        }
        var done = maintenance([("v_aterfallsplan", v + 5), ("v_overlamning", v + 50)])
        expectNotAssessable(done.outcome("f25", asOf: v + 60), FidelityReasons.notClosed)
        done.close(closed)
        expectOutcome(done.outcome("f25", asOf: closed + 10), 1, of: 1)

        var noHandover = maintenance([("v_aterfallsplan", v + 5)])
        noHandover.close(closed)
        expectOutcome(noHandover.outcome("f25", asOf: closed + 10), 0, of: 1)

        var handoverAfter = maintenance([("v_aterfallsplan", v + 5)])
        handoverAfter.close(closed)
        handoverAfter.complete("v_overlamning", closed + 3)
        expectOutcome(handoverAfter.outcome("f25", asOf: closed + 10), 0, of: 1)

        // Closed because the family declined: the programme was not delivered, nothing to assess.
        var declined = maintenance([("v_aterfallsplan", v + 5), ("v_overlamning", v + 50)])
        declined.close(closed, .declined)
        expectNotAssessable(declined.outcome("f25", asOf: closed + 10), FidelityReasons.notClosed)
        // Closed after the report's day.
        expectNotAssessable(done.outcome("f25", asOf: closed + (-1)), FidelityReasons.notClosed)
    }

    // MARK: gate-evidence (f26)

    @Test func transitionToMaintenanceIsExplained() {
        let v = Day("2027-04-06")!
        var gatesHeld = inTreatment()
        gatesHeld.enter("vidmakthallande", v)
        expectOutcome(gatesHeld.outcome("f26", asOf: v + 1), 1, of: 1)

        var overridden = inTreatment()
        overridden.override("behandling", v, reason: "Teamet beslutade att gå vidare; närvaron är stabil")
        overridden.enter("vidmakthallande", v)
        expectOutcome(overridden.outcome("f26", asOf: v + 1), 1, of: 1)

        var unexplained = inTreatment()  // an old log: the engine refuses an empty reason
        unexplained.override("behandling", v, reason: " ")
        unexplained.enter("vidmakthallande", v)
        expectOutcome(unexplained.outcome("f26", asOf: v + 1), 0, of: 1)

        // An unexplained override of another phase says nothing about this transition.
        var other = inAssessment()
        other.override("kartlaggning", b, reason: "-")
        other.enter("behandling", b)
        other.enter("vidmakthallande", v)
        expectOutcome(other.outcome("f26", asOf: v + 1), 1, of: 1)

        expectNotAssessable(inTreatment().outcome("f26", asOf: v + 1), FidelityReasons.phaseNotReached)
    }

    // MARK: staffing (f19)

    @Test func staffingShareOfActiveDaysWithTwoTherapists() {
        let asOf = d0 + 10  // days d0 … d0+9
        var log = EventLog(opened: d0)
        log.assign("behandlare", "Behandlare A", d0)
        log.assign("processledare", "Processledare P", d0)  // another role: not counted
        log.assign("behandlare", "Behandlare B", d0 + 3)
        // Two therapists from d0+3: 7 of 10 days.
        expectOutcome(log.outcome("f19", asOf: asOf), 7, of: 10)

        var leaves = log
        leaves.unassign("behandlare", "Behandlare B", d0 + 7)
        // d0+3 … d0+6: 4 of 10.
        expectOutcome(leaves.outcome("f19", asOf: asOf), 4, of: 10)

        var paused = log
        paused.pause(d0 + 1, until: d0 + 4)
        // Days d0+1 … d0+3 paused: 7 active days, two therapists on d0+4 … d0+9: 6 of 7.
        expectOutcome(paused.outcome("f19", asOf: asOf), 6, of: 7)

        var closed = EventLog(opened: d0)
        closed.assign("behandlare", "Behandlare A", d0)
        closed.assign("behandlare", "Behandlare B", d0)
        closed.close(d0 + 5, .moved)
        // Only up to the closure: 5 of 5.
        expectOutcome(closed.outcome("f19", asOf: asOf), 5, of: 5)

        expectNotAssessable(log.outcome("f19", asOf: d0), FidelityReasons.noData)
    }

    // MARK: consent (f29)

    @Test func consentValidWhenTheStepWasDone() {
        var log = inAssessment()
        log.consent("samtycke_skola_behandlare", from: d0, until: Day("2026-09-30")!)
        log.consent("samtycke_behandlare_skola", from: d0, until: nil)
        log.complete("a_remiss", d0)  // needs no consent: not counted
        log.complete("k_skolmote", k + 2)  // samtycke_skola_behandlare valid ✓
        log.enter("behandling", b)
        log.complete("b_skolmote", b + 1)  // needs both; samtycke_skola_behandlare expired on 09-30 ✗
        expectOutcome(log.outcome("f29", asOf: b + 5), 1, of: 2)

        var revoked = inAssessment()
        revoked.consent("samtycke_skola_behandlare", from: d0, until: nil)
        revoked.revoke("samtycke_skola_behandlare", k + 7)
        revoked.complete("k_skolmote", k + 7)  // on the day of the revocation: no longer valid
        expectOutcome(revoked.outcome("f29", asOf: k + 10), 0, of: 1)

        var noneNeeded = EventLog(opened: d0)
        noneNeeded.complete("a_remiss", d0)
        expectNotAssessable(noneNeeded.outcome("f29", asOf: d0 + 3), FidelityReasons.noSessions)
    }

    // MARK: attendance-data (f27)

    /// Imported weekly attendance for one student: a row for each Monday in `weeks`.
    struct Weeks: AttendanceHistory {
        let code: String
        let mondays: Set<Day>
        func totals(caseCode: String, from: Day, to: Day) -> (scheduled: Double, attended: Double)? {
            guard caseCode == code else { return nil }
            let rows = mondays.filter { $0 >= from && $0 < to }
            return rows.isEmpty ? nil : (Double(rows.count) * 1500, Double(rows.count) * 900)
        }
    }

    @Test func attendanceDataCountsActiveWeeksWithImportedRows() {
        // d0 = Tuesday 2026-09-01. As of d0 + 70 the case has had ten whole weeks; rows exist for the
        // Mondays of seven of them (weeks 1–5, 8 and 10): 7 of 10.
        let log = inTreatment()
        let mondays = Set([6, 13, 20, 27, 34, 55, 69].map { d0 + $0 })
        let imported = Weeks(code: "HSP-2026-0101", mondays: mondays)
        func f27(_ log: EventLog, asOf: Day, _ attendance: AttendanceHistory?) -> CriterionOutcome {
            FidelityEvaluator.evaluate(log.state, programme: log.programme, asOf: asOf, evaluator: XPathEvaluator(), attendance: attendance)
                .first { $0.criterion == "f27" }!
        }
        expectOutcome(f27(log, asOf: d0 + 70, imported), 7, of: 10)
        // Another student's rows are not this case's.
        expectOutcome(f27(log, asOf: d0 + 70, Weeks(code: "HSP-2026-0999", mondays: mondays)), 0, of: 10)
        // Nothing imported at all: not assessable, never 0 %.
        expectNotAssessable(f27(log, asOf: d0 + 70, nil), FidelityReasons.noAttendance)
        // Not one whole week yet.
        expectNotAssessable(f27(log, asOf: d0 + 5, imported), FidelityReasons.noFullPeriod)
        // Weeks wholly paused are not active weeks: a pause from day 42 to day 56 takes weeks 7 and 8 out
        // (and week 8 had a row): 6 of 8.
        var paused = inTreatment()
        paused.pause(d0 + 42, until: d0 + 56)
        expectOutcome(f27(paused, asOf: d0 + 70, imported), 6, of: 8)
        // Weeks after closing do not count.
        var closed = inTreatment()
        closed.close(d0 + 35)
        expectOutcome(f27(closed, asOf: d0 + 70, imported), 5, of: 5)
    }

    // MARK: kinds assessed for the team or the report, not per case

    @Test func reportLevelKindsAndAnEmptyTeamLogAreNotAssessablePerCase() {
        var log = inTreatment()
        log.assign("behandlare", "Bo Behandlare", d0)
        let outcomes = Dictionary(uniqueKeysWithValues: log.outcomes(asOf: b + 30).map { ($0.criterion, $0) })
        expectNotAssessable(outcomes["f18"]!, FidelityReasons.noTeamMeetings)  // team-meeting, nothing recorded
        expectNotAssessable(outcomes["f20"]!, FidelityReasons.reportLevel)  // caseload
        expectNotAssessable(outcomes["f28"]!, FidelityReasons.reportLevel)  // reach
        expectNotAssessable(outcomes["f30"]!, FidelityReasons.noSupervision)  // supervision, nothing recorded
        expectNotAssessable(outcomes["f27"]!, FidelityReasons.noAttendance)  // attendance-data
    }

    func teamOutcome(_ id: String, _ log: EventLog, asOf: Day, _ team: TeamLog) -> CriterionOutcome {
        FidelityEvaluator.evaluate(log.state, programme: log.programme, asOf: asOf, evaluator: XPathEvaluator(), team: team)
            .first { $0.criterion == id }!
    }

    @Test func f18TeamMeetingInEveryWholeISOWeekTheCaseWasOpen() {
        // Opened Tuesday d0 = 2026-09-01; the first whole ISO week starts Monday d0+6 (2026-09-07):
        // [d0+6, d0+13), [d0+13, d0+20), [d0+20, d0+27); on d0 + 30 three whole weeks.
        let days: [Int] = [1, 8, 12, 26, -3, 29]
        let team = TeamLog(days.map { TeamEvent.meetingHeld(on: d0 + $0) })
        // Week 1: d0+8 and d0+12 ✓ (once); week 2: none ✗; week 3: d0+26 ✓. d0+1 is before the first
        // whole week, d0-3 before the case, d0+29 in a week not yet over.
        #expect(Day("2026-09-07")! == d0 + 6)
        expectOutcome(teamOutcome("f18", inTreatment(), asOf: d0 + 30, team), 2, of: 3)
        // Not a whole week yet: not assessable, not 0 %.
        expectNotAssessable(teamOutcome("f18", inTreatment(), asOf: d0 + 10, team), FidelityReasons.noFullPeriod)
        // Weeks after the case closed do not count.
        var closed = inTreatment()
        closed.close(d0 + 15)
        expectOutcome(teamOutcome("f18", closed, asOf: d0 + 60, team), 1, of: 1)
    }

    @Test func f30SupervisionInTheLastThirtyDaysForEveryTherapistOnTheCase() {
        var log = inTreatment()
        log.assign("behandlare", "Bo Behandlare", d0)
        log.assign("behandlare", "Bea Behandlare", d0)
        log.assign("processledare", "Pia Processledare", d0)
        let asOf = b + 40
        // Bo: supervised 29 days before asOf (inside P30D); Bea: 30 days before (outside); Pia is not in the role.
        let bo = TeamEvent.supervisionHeld(person: "Bo Behandlare", on: asOf + -29)
        let bea = TeamEvent.supervisionHeld(person: "Bea Behandlare", on: asOf + -30)
        let team = TeamLog([bo, bea, .supervisionHeld(person: "Pia Processledare", on: asOf)])
        expectOutcome(teamOutcome("f30", log, asOf: asOf, team), 1, of: 2)
        let both = TeamLog([.supervisionHeld(person: "Bo Behandlare", on: asOf), .supervisionHeld(person: "Bea Behandlare", on: asOf + -1)])
        expectOutcome(teamOutcome("f30", log, asOf: asOf, both), 2, of: 2)
        // Supervision recorded after the report's day does not count.
        expectOutcome(teamOutcome("f30", log, asOf: asOf, TeamLog([.supervisionHeld(person: "Bo Behandlare", on: asOf + 1)])), 0, of: 2)
        // A closed case, or one with nobody in the role, is not assessable.
        var closed = log
        closed.close(b + 20)
        expectNotAssessable(teamOutcome("f30", closed, asOf: asOf, both), FidelityReasons.notActive)
        expectNotAssessable(teamOutcome("f30", inTreatment(), asOf: asOf, both), FidelityReasons.noneInRole)
    }
}
