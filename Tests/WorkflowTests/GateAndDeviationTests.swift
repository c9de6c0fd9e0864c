import Foundation
import Testing
@testable import Workflow

/// A phase's requirements and gates must hold before the next phase, or be overridden with a reason;
/// skips and overrides are deviations recorded with who, when and why.
@Suite struct GateAndDeviationTests {
    let d0 = day("2026-09-01")

    @Test func advancingWithUnmetRequirementsListsEveryOne() throws {
        let c = try CaseHarness(opening: d0)
        let error = try #require(c.refusal(.advance(on: d0, override: nil)))
        #expect(error.kind == .requirementsUnmet)
        #expect(error.message.sv == "Fasen Aktualisering och uppstart är inte klar: 7 krav är inte uppfyllda.")
        #expect(error.details.map(\.sv) == [
            "steget Registrera remiss [a_remiss] är inte gjort",
            "steget Skolans underlag och närvarohistorik [a_skolunderlag] är inte gjort",
            "steget Utse behandlarpar och processledare [a_bemanning] är inte gjort",
            "steget Informationsmöte och samtycke [a_information_samtycke] är inte gjort",
            "grind: Registrera remissen (och socialtjänstens uppdragsreferens).",
            "grind: Två behandlare och en processledare måste vara utsedda (narvaro case assign, eller bemanningsformuläret).",
            "grind: Håll informationsmötet och registrera samtycket.",
        ])
        #expect(error.hint?.sv.contains("--override") == true)
        #expect(error.english.contains("gate: Two therapists and a process lead must be assigned (narvaro case assign, or the staffing form)."))
    }

    /// Every step done, but the staffing form says one therapist: only that gate holds the phase.
    func staffedWithOneTherapist() throws -> CaseHarness {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0 + 1)
        try c.complete("a_bemanning", on: d0 + 2, forms: ["bemanning": Answers.bemanning(therapists: 1)])
        try c.consent("samtycke_skola_behandlare", on: d0 + 3)
        try c.complete("a_skolunderlag", on: d0 + 3)
        try c.complete("a_information_samtycke", on: d0 + 4)
        c.today = d0 + 5
        return c
    }

    @Test func aGateThatDoesNotHoldKeepsTheCaseInItsPhase() throws {
        let c = try staffedWithOneTherapist()
        let error = try #require(c.refusal(.advance(on: d0 + 5, override: nil)))
        #expect(error.message.sv == "Fasen Aktualisering och uppstart är inte klar: ett krav är inte uppfyllt.")
        #expect(error.details.map(\.sv) == ["grind: Två behandlare och en processledare måste vara utsedda (narvaro case assign, eller bemanningsformuläret)."])
        #expect(c.current.currentPhase == "aktualisering")
    }

    @Test func theConsentGateNeedsAConsentInForceWhenAdvancing() throws {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0 + 1)
        try c.complete("a_bemanning", on: d0 + 2, forms: ["bemanning": Answers.bemanning()])
        try c.consent("samtycke_skola_behandlare", on: d0 + 3)
        try c.complete("a_skolunderlag", on: d0 + 3)
        try c.complete("a_information_samtycke", on: d0 + 4)
        #expect(c.unmet().isEmpty)
        try c.revoke("samtycke_skola_behandlare", on: d0 + 5)
        #expect(c.unmet() == ["grind: Håll informationsmötet och registrera samtycket."])
    }

    @Test func anOverrideIsADeviationWithWhoWhenAndWhy() throws {
        var c = try staffedWithOneTherapist()
        c.actor = "Teamledare Sand"
        let reason = "Familjen vill börja nu; den andra behandlaren utses nästa vecka"
        let events = try c.advance(on: d0 + 5, override: reason)
        #expect(events == [
            .gateOverridden(phase: "aktualisering", unmet: ["g_bemanning"], on: d0 + 5, reason: reason),
            .phaseEntered(phase: "kartlaggning", on: d0 + 5),
        ])
        #expect(c.current.currentPhase == "kartlaggning")
        #expect(c.current.deviations == [
            CaseState.Deviation(kind: .gateOverridden, subject: "aktualisering", on: d0 + 5, reason: reason, actor: "Teamledare Sand"),
        ])
    }

    @Test func anOverrideWithoutAReasonIsRefused() throws {
        let c = try staffedWithOneTherapist()
        for blank in ["", "  ", "x"] {
            let error = try #require(c.refusal(.advance(on: d0 + 5, override: blank)))
            #expect(error.kind == .reasonRequired)
            #expect(error.message.sv == "Ange skälet att gå vidare trots att kraven inte är uppfyllda.")
        }
    }

    @Test func anOverrideWhenNothingIsUnmetIsAnOrdinaryAdvance() throws {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0 + 1)
        try c.complete("a_bemanning", on: d0 + 2, forms: ["bemanning": Answers.bemanning()])
        try c.consent("samtycke_skola_behandlare", on: d0 + 3)
        try c.complete("a_skolunderlag", on: d0 + 3)
        try c.complete("a_information_samtycke", on: d0 + 4)
        #expect(try c.advance(on: d0 + 5, override: "Onödigt skäl") == [.phaseEntered(phase: "kartlaggning", on: d0 + 5)])
        #expect(c.current.deviations.isEmpty)
    }

    @Test func aSkipIsADeviationWithWhoWhenAndWhy() throws {
        var c = try CaseHarness(opening: d0)
        c.actor = "Kurator Holm"
        let events = try c.skip("a_remiss", reason: "Remissen kom muntligt från rektor", on: d0 + 1)
        #expect(events == [.stepSkipped(step: "a_remiss", on: d0 + 1, reason: "Remissen kom muntligt från rektor")])
        #expect(c.current.skipped == ["a_remiss": d0 + 1])
        #expect(c.current.deviations == [
            CaseState.Deviation(kind: .stepSkipped, subject: "a_remiss", on: d0 + 1, reason: "Remissen kom muntligt från rektor", actor: "Kurator Holm"),
        ])
        #expect(c.item("a_remiss").status == .skipped)
        #expect(!c.unmet().contains { $0.contains("[a_remiss]") })
    }

    @Test func aSkipWithoutAReasonIsRefused() throws {
        let c = try CaseHarness(opening: d0)
        for blank in ["", "   ", "x"] {
            let error = try #require(c.refusal(.skipStep(step: "a_remiss", reason: blank, on: d0)))
            #expect(error.kind == .reasonRequired)
            #expect(error.message.sv == "Ange varför steget hoppas över.")
            #expect(error.message.en == "Give why the step is skipped.")
        }
    }

    @Test func aStepDoneOrSkippedCannotBeSkippedAgain() throws {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0)
        #expect(c.refusal(.skipStep(step: "a_remiss", reason: "Av misstag", on: d0))?.message.sv == "Steget är redan gjort.")
        try c.skip("a_bemanning", reason: "Bemannas på måndag", on: d0)
        #expect(c.refusal(.skipStep(step: "a_bemanning", reason: "Igen", on: d0))?.message.sv == "Steget är redan överhoppat.")
        #expect(c.refusal(.completeStep(StepRecord(step: "a_bemanning", on: d0)))?.message.sv == "Steget Utse behandlarpar och processledare [a_bemanning] har hoppats över.")
    }

    @Test func aSessionDeviationNeedsAReason() throws {
        let c = try CaseHarness(opening: d0)
        let error = try #require(c.refusal(.completeStep(StepRecord(step: "a_remiss", on: d0, deviation: " "))))
        #expect(error.kind == .reasonRequired)
    }

    @Test func replayKeepsWhoMadeEachDeviation() throws {
        var c = try staffedWithOneTherapist()
        c.actor = "Teamledare Sand"
        try c.advance(on: d0 + 5, override: "Familjen vill börja nu")
        #expect(c.current.deviations.first?.actor == "Teamledare Sand")
        #expect(CaseMachine.replay(c.log) == c.state)
    }
}
