import Foundation
import Testing
@testable import Workflow

/// Bad input gets a clear refusal and changes nothing: the engine decides no event, so the state and
/// the log stay as they were.
@Suite struct BadInputTests {
    let d0 = day("2026-09-01")

    /// Asserts that `command` is refused with `kind`, and that the case is unchanged afterwards.
    @discardableResult
    func expectRefused(_ c: inout CaseHarness, _ command: CaseCommand, _ kind: WorkflowError.Kind, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> WorkflowError? {
        let before = (c.state, c.events)
        var refusal: WorkflowError?
        do throws(WorkflowError) {
            try c.run(command)
            Issue.record("\(command) was accepted", sourceLocation: sourceLocation)
        } catch {
            refusal = error
            #expect(error.kind == kind, "\(error.swedish)", sourceLocation: sourceLocation)
            #expect(!error.message.sv.isEmpty && !error.message.en.isEmpty, sourceLocation: sourceLocation)
        }
        #expect(c.state == before.0, sourceLocation: sourceLocation)
        #expect(c.events == before.1, sourceLocation: sourceLocation)
        return refusal
    }

    @Test func aCommandForACaseThatDoesNotExist() throws {
        var c = CaseHarness(today: d0)
        let error = expectRefused(&c, .completeStep(StepRecord(step: "a_remiss", on: d0)), .invalidCommand)
        #expect(error?.message.sv == "Ärendet finns inte.")
        #expect(c.state == nil)
    }

    @Test func openingTwiceIsRefused() throws {
        var c = try CaseHarness(opening: d0)
        let error = expectRefused(&c, .open(code: HSP.code, school: "Bergaskolan", grade: 8, referredBy: .eht, on: d0), .alreadyOpen)
        #expect(error?.message.sv == "Ärendet HSP-2026-0001 finns redan.")
    }

    @Test func openingNeedsASchoolAndAGrade() throws {
        var c = CaseHarness(today: d0)
        #expect(expectRefused(&c, .open(code: HSP.code, school: " ", grade: 8, referredBy: .eht, on: d0), .invalidCommand)?.message.sv == "Ange skolenheten.")
        #expect(expectRefused(&c, .open(code: HSP.code, school: "Bergaskolan", grade: 14, referredBy: .eht, on: d0), .invalidCommand)?.message.sv
            == "Årskursen 14 finns inte; ange 0 (förskoleklass) till 12.")
        #expect(expectRefused(&c, .open(code: HSP.code, school: "Bergaskolan", grade: -1, referredBy: .eht, on: d0), .invalidCommand) != nil)
    }

    @Test func aStepThatIsNotInTheProgramme() throws {
        var c = try CaseHarness(opening: d0)
        let error = expectRefused(&c, .completeStep(StepRecord(step: "hembesok", on: d0)), .unknownStep)
        #expect(error?.message.sv == "Programmet hsp har inget steg 'hembesok'.")
        #expect(error?.hint?.sv == "Se stegen med: narvaro case show HSP-2026-0001")
        expectRefused(&c, .skipStep(step: "hembesok", reason: "Finns inte", on: d0), .unknownStep)
    }

    @Test func aStepOfAnotherPhase() throws {
        var c = try CaseHarness(opening: d0)
        let later = expectRefused(&c, .completeStep(StepRecord(step: "k_foraldrasamtal", on: d0)), .wrongPhase)
        #expect(later?.message.sv == "Steget Föräldrasamtal [k_foraldrasamtal] hör till fasen Kartläggning, men ärendet är i fasen Aktualisering och uppstart.")
        #expect(later?.hint?.sv == "Gå vidare till den fasen först: narvaro case advance HSP-2026-0001")
        try c.advance(on: d0 + 1, override: "Testet går vidare")
        let earlier = expectRefused(&c, .completeStep(StepRecord(step: "a_remiss", on: d0 + 1)), .wrongPhase)
        #expect(earlier?.hint?.sv == "Den fasen är avslutad.")
    }

    @Test func aStepDoneTwice() throws {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0)
        let error = expectRefused(&c, .completeStep(StepRecord(step: "a_remiss", on: d0)), .alreadyDone)
        #expect(error?.message.sv == "Steget Registrera remiss [a_remiss] är redan gjort.")
    }

    @Test func aDateInTheFuture() throws {
        var c = try CaseHarness(opening: d0)
        c.today = d0 + 5
        let error = expectRefused(&c, .completeStep(StepRecord(step: "a_remiss", on: d0 + 6)), .futureDate)
        #expect(error?.message.sv == "Datumet 2026-09-07 ligger i framtiden.")
        #expect(error?.hint?.sv == "Registrera det som redan har hänt, med dagens eller ett tidigare datum.")
        for command in [CaseCommand.pause(reason: "Lov", on: d0 + 6), .close(reason: .moved, on: d0 + 6), .reportConcern(on: d0 + 6), .advance(on: d0 + 6, override: "Skäl")] {
            expectRefused(&c, command, .futureDate)
        }
        // Opening, too.
        var none = CaseHarness(today: d0)
        expectRefused(&none, .open(code: HSP.code, school: "Bergaskolan", grade: 8, referredBy: .eht, on: d0 + 1), .futureDate)
    }

    @Test func aDateBeforeTheCaseOpened() throws {
        var c = try CaseHarness(opening: d0)
        let error = expectRefused(&c, .completeStep(StepRecord(step: "a_remiss", on: d0 - 1)), .beforeCaseOpened)
        #expect(error?.message.sv == "Datumet 2026-08-31 ligger före ärendets start (2026-09-01).")
        for command in [CaseCommand.skipStep(step: "a_remiss", reason: "Skäl", on: d0 - 10), .assign(role: "behandlare", person: "Ek", on: d0 - 1),
                        .recordConsent(consent: "samtycke_skola_behandlare", givenBy: "elev", validFrom: d0, validUntil: nil, on: d0 - 1)] {
            expectRefused(&c, command, .beforeCaseOpened)
        }
    }

    @Test func aPhaseChangeCannotBeDatedBeforeThePhaseBegan() throws {
        var c = try CaseHarness(opening: d0)
        try c.advance(on: d0 + 10, override: "Testet går vidare")
        #expect(c.refusal(.advance(on: d0 + 5, override: "Testet går vidare igen")) != nil)
        #expect(c.refusal(.completeStep(StepRecord(step: "k_foraldrasamtal", on: d0 + 5))) != nil)
    }

    @Test func staffAssignmentsAreChecked() throws {
        var c = try CaseHarness(opening: d0)
        let unknown = expectRefused(&c, .assign(role: "kurator", person: "Holm", on: d0), .unknownRole)
        #expect(unknown?.message.sv == "Programmet har ingen roll 'kurator'.")
        #expect(unknown?.hint?.sv == "Personalroller: behandlare, processledare, teamledare, metodgarant.")
        #expect(expectRefused(&c, .assign(role: "elev", person: "Holm", on: d0), .notStaff)?.message.sv == "'elev' är en deltagare, inte personal.")
        expectRefused(&c, .assign(role: "behandlare", person: " ", on: d0), .reasonRequired)
        try c.assign("behandlare", "Ek", on: d0)
        #expect(expectRefused(&c, .assign(role: "behandlare", person: "Ek", on: d0), .alreadyAssigned)?.message.sv == "Ek är redan behandlare i ärendet.")
        #expect(expectRefused(&c, .unassign(role: "behandlare", person: "Lind", on: d0), .notAssigned)?.message.sv == "Lind är inte behandlare i ärendet.")
        #expect(try c.run(.unassign(role: "behandlare", person: "Ek", on: d0)) == [.staffUnassigned(role: "behandlare", person: "Ek", on: d0)])
        #expect(c.current.staff["behandlare"] == [])
    }

    @Test func answersThatBreakTheFormAreRefusedWithEveryProblem() throws {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0)
        var answers = Answers.bemanning()
        answers["behandlare_antal"] = .text("två")
        answers.removeValue(forKey: "jourtelefon")
        let error = expectRefused(&c, .completeStep(StepRecord(step: "a_bemanning", on: d0, forms: ["bemanning": answers])), .invalidAnswers)
        #expect(error?.message.sv == "Svaren kan inte sparas: 2 problem.")
        #expect(error?.details.count == 2)
        #expect(error?.details.contains { $0.sv.hasPrefix("bemanning.jourtelefon:") } == true)
        #expect(error?.details.contains { $0.sv.hasPrefix("bemanning.behandlare_antal:") } == true)
        // A form the step does not use.
        let wrong = expectRefused(&c, .completeStep(StepRecord(step: "a_bemanning", on: d0, forms: ["matning": Answers.matning("t1", on: d0)])), .unknownForm)
        #expect(wrong?.message.sv == "Steget Utse behandlarpar och processledare [a_bemanning] använder inte formuläret 'matning'.")
        // A checklist item the step does not have.
        expectRefused(&c, .completeStep(StepRecord(step: "a_bemanning", on: d0, checklist: ["finns_inte": .delivered])), .invalidCommand)
    }

    // MARK: - Closing

    @Test func closingAsCompletedOutsideTheLastPhaseIsRefused() throws {
        var c = try CaseHarness(opening: d0)
        let error = expectRefused(&c, .close(reason: .completed, on: d0), .requirementsUnmet)
        #expect(error?.message.sv == "Ett ärende avslutas som genomfört först i programmets sista fas (Vidmakthållande).")
        #expect(error?.hint?.sv == "Gå vidare med narvaro case advance, eller avsluta med ett annat skäl (till exempel --reason avbrutet).")
        try c.advance(on: d0 + 1, override: "Testet")
        try c.advance(on: d0 + 2, override: "Testet")
        expectRefused(&c, .close(reason: .completed, on: d0 + 2), .requirementsUnmet)
    }

    @Test func closingAsCompletedNeedsTheLastPhaseDone() throws {
        var c = try CaseHarness(opening: d0)
        for n in 1...3 { try c.advance(on: d0 + n, override: "Testet") }
        #expect(c.current.currentPhase == "vidmakthallande")
        let error = expectRefused(&c, .close(reason: .completed, on: d0 + 3), .requirementsUnmet)
        #expect(error?.message.sv.hasPrefix("Sista fasen är inte klar:") == true)
        #expect(error?.details.contains { $0.sv == "grind: Håll avslutningsmötet och registrera T2." } == true)
        #expect(expectRefused(&c, .advance(on: d0 + 3, override: "Vidare"), .lastPhase)?.hint?.sv
            == "Avsluta ärendet: narvaro case close HSP-2026-0001 --reason genomfort")
    }

    /// A case that dropped out in kartläggning on day 5.
    func droppedOut() throws -> CaseHarness {
        var c = try CaseHarness(opening: d0)
        try c.advance(on: d0 + 1, override: "Testet")
        try c.consent("samtycke_skola_behandlare", on: d0 + 1)
        try c.assign("behandlare", "Ek", on: d0 + 1)
        try c.close(.droppedOut, on: d0 + 5)
        c.today = d0 + 20
        return c
    }

    @Test func aClosedCaseRefusesChanges() throws {
        var c = try droppedOut()
        let commands: [CaseCommand] = [
            .completeStep(StepRecord(step: "k_foraldrasamtal", on: d0 + 20)),
            .skipStep(step: "k_foraldrasamtal", reason: "Avslutat", on: d0 + 20),
            .advance(on: d0 + 20, override: "Vidare"),
            .pause(reason: "Lov", on: d0 + 20),
            .close(reason: .moved, on: d0 + 20),
            .assign(role: "behandlare", person: "Lind", on: d0 + 20),
        ]
        for command in commands {
            let error = expectRefused(&c, command, .caseClosed)
            #expect(error?.message.sv == "Ärendet HSP-2026-0001 avslutades 2026-09-06.")
        }
        #expect(expectRefused(&c, .resume(on: d0 + 20), .caseClosed) != nil)
    }

    @Test func aClosedCaseStillTakesAnOrosanmalanAndARevocation() throws {
        var c = try droppedOut()
        #expect(try c.run(.reportConcern(on: d0 + 20)) == [.concernReported(on: d0 + 20)])
        // A guardian may withdraw consent at any time, also after the case ended.
        #expect(try c.run(.revokeConsent(consent: "samtycke_skola_behandlare", on: d0 + 20)).count == 1)
        #expect(CaseMachine.replay(c.events) == c.state)
    }

    @Test func aCaseThatDroppedOutHasNothingDueOrOverdue() throws {
        let c = try droppedOut()
        let later = c.agenda(on: d0 + 200)
        #expect(later.overdue.isEmpty)
        #expect(later.actionable.isEmpty)
    }

    @Test func aClosedCaseDoesNotChangeItsStaff() throws {
        let c = try droppedOut()
        #expect(c.refusal(.unassign(role: "behandlare", person: "Ek", on: d0 + 20))?.kind == .caseClosed)
    }

    @Test func aDroppedOutCaseIsNotToldToAdvanceToFollowUp() throws {
        let c = try droppedOut()
        let error = try #require(c.refusal(.completeStep(StepRecord(step: "u_t3", on: d0 + 20))))
        #expect(error.kind == .caseClosed)
        #expect(error.hint?.sv.contains("case advance") != true)
    }
}
