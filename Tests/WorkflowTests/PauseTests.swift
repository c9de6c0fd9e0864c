import Foundation
import Testing
@testable import Workflow

/// A pause (illness, holiday, placement) stops the phase clocks: due dates move by the paused days,
/// nothing shows as overdue while paused, and only an orosanmälan can be recorded meanwhile.
@Suite struct PauseTests {
    let d0 = day("2026-09-01")

    @Test func aPauseAndAResumeAreRecordedWithReasonAndDates() throws {
        var c = try CaseHarness(opening: d0)
        #expect(try c.pause("Sjukhusvistelse", on: d0 + 3) == [.casePaused(on: d0 + 3, reason: "Sjukhusvistelse")])
        #expect(c.current.status == .paused(since: d0 + 3, reason: "Sjukhusvistelse"))
        #expect(try c.resume(on: d0 + 13) == [.caseResumed(on: d0 + 13)])
        #expect(c.current.status == .active)
        #expect(c.current.pauses == [CaseState.Pause(from: d0 + 3, to: d0 + 13, reason: "Sjukhusvistelse")])
        #expect(c.current.pausedDays(from: d0, to: d0 + 30) == 10)
        #expect(CaseMachine.replay(c.events) == c.state)
    }

    @Test func aPauseMovesDueDatesByThePausedDays() throws {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0 + 1)
        #expect(c.item("a_bemanning").due == d0 + 7)
        try c.pause("Sjukhusvistelse", on: d0 + 3)
        try c.resume(on: d0 + 13)
        // 10 paused days: due on day 17 instead of day 7.
        #expect(c.item("a_bemanning", on: d0 + 15).due == d0 + 17)
        #expect(c.item("a_bemanning", on: d0 + 17).isOverdue == false)
        #expect(c.item("a_bemanning", on: d0 + 18).isOverdue)
        // The same for a repeated step's next occurrence, counted from the previous one.
        var t = try CaseHarness.inTreatment(opened: d0, modules: ["foraldrastod"])
        try t.complete("b_foraldrastod", on: d0 + 5)
        #expect(t.item("b_foraldrastod").due == d0 + 12)
        try t.pause("Lov", on: d0 + 8)
        try t.resume(on: d0 + 15)
        #expect(t.item("b_foraldrastod").due == d0 + 19)
    }

    @Test func nothingIsOverdueWhilePaused() throws {
        var c = try CaseHarness(opening: d0)
        #expect(c.agenda(on: d0 + 5).overdue.map(\.step) == ["a_remiss"])
        try c.pause("Familjen bortrest", on: d0 + 5)
        #expect(c.agenda(on: d0 + 6).overdue.isEmpty)
        #expect(c.agenda(on: d0 + 40).overdue.isEmpty)
        try c.resume(on: d0 + 10)
        #expect(c.agenda().overdue.map(\.step) == ["a_remiss"])
    }

    @Test func aPauseAfterTheDueDateDoesNotMoveIt() throws {
        // The referral was due on day 1; the case was paused on days 5–10. The phase clock had already
        // passed day 1 when it stopped, so the step was late on day 2, not on day 7.
        var c = try CaseHarness(opening: d0)
        try c.pause("Familjen bortrest", on: d0 + 5)
        try c.resume(on: d0 + 10)
        #expect(c.item("a_remiss").due == d0 + 1)
    }

    @Test func aPausedCaseRefusesWorkButNeverAnOrosanmalan() throws {
        var c = try CaseHarness(opening: d0)
        try c.pause("Sjukhusvistelse", on: d0 + 2)
        c.today = d0 + 4
        let step = try #require(c.refusal(.completeStep(StepRecord(step: "a_remiss", on: d0 + 4))))
        #expect(step.kind == .casePaused)
        #expect(step.message.sv == "Ärendet är pausat sedan 2026-09-03.")
        #expect(step.hint?.sv == "Återuppta det först: narvaro case resume HSP-2026-0001")
        #expect(c.refusal(.skipStep(step: "a_remiss", reason: "Remissen kom muntligt", on: d0 + 4))?.kind == .casePaused)
        #expect(c.refusal(.advance(on: d0 + 4, override: "Familjen vill vidare"))?.kind == .casePaused)
        #expect(c.refusal(.pause(reason: "Igen", on: d0 + 4))?.kind == .casePaused)

        #expect(try c.run(.reportConcern(on: d0 + 4)) == [.concernReported(on: d0 + 4)])
        #expect(c.current.concernReports == [d0 + 4])
        #expect(c.current.isPaused)
    }

    @Test func resumingNeedsAPauseAndADateAfterIt() throws {
        var c = try CaseHarness(opening: d0)
        let notPaused = try #require(c.refusal(.resume(on: d0)))
        #expect(notPaused.kind == .caseNotPaused)
        #expect(notPaused.message.sv == "Ärendet är inte pausat.")
        try c.pause("Sjukhusvistelse", on: d0 + 5)
        let early = try #require(c.refusal(.resume(on: d0 + 3)))
        #expect(early.kind == .invalidDates)
        #expect(early.message.sv == "Ärendet pausades 2026-09-06; det kan inte återupptas före dess.")
    }

    @Test func aPauseNeedsAReason() throws {
        let c = try CaseHarness(opening: d0)
        let error = try #require(c.refusal(.pause(reason: "  ", on: d0)))
        #expect(error.kind == .reasonRequired)
        #expect(error.message.sv.contains("skäl"))
        #expect(error.message.en.contains("reason"))
    }

    @Test func closingAPausedCaseEndsThePause() throws {
        var c = try CaseHarness(opening: d0)
        try c.pause("Placerad utanför kommunen", on: d0 + 2)
        #expect(try c.close(.placement, on: d0 + 9) == [.caseClosed(on: d0 + 9, reason: .placement)])
        #expect(c.current.pauses == [CaseState.Pause(from: d0 + 2, to: d0 + 9, reason: "Placerad utanför kommunen")])
        #expect(c.current.status == .closed(on: d0 + 9, reason: .placement))
        #expect(CaseMachine.replay(c.events) == c.state)
    }
}
