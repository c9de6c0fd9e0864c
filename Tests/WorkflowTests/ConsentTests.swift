import Foundation
import Testing
@testable import Workflow

/// Consent: recorded, scoped to one information flow, time-limited and revocable; a step that needs it
/// cannot start without one in force, and the refusal names the consent that is missing.
@Suite struct ConsentTests {
    let d0 = day("2026-09-01")

    /// A case whose referral is registered, so that the school documents (which need
    /// samtycke_skola_behandlare) are next.
    func referred() throws -> CaseHarness {
        var c = try CaseHarness(opening: d0)
        try c.complete("a_remiss", on: d0)
        return c
    }

    func schoolDocuments(on: Day) -> CaseCommand { .completeStep(StepRecord(step: "a_skolunderlag", on: on)) }

    @Test func aStepThatNeedsConsentSaysWhichConsentIsMissing() throws {
        let c = try referred()
        #expect(c.item("a_skolunderlag").status == .needsConsent(["samtycke_skola_behandlare"]))
        let error = try #require(c.refusal(schoolDocuments(on: d0)))
        #expect(error.kind == .missingConsent)
        #expect(error.message.sv == "Steget Skolans underlag och närvarohistorik [a_skolunderlag] kräver ett gällande samtycke: Skolan till behandlarna [samtycke_skola_behandlare].")
        #expect(error.message.en.contains("[samtycke_skola_behandlare]"))
        #expect(error.hint?.sv == "Registrera samtycket: narvaro case consent HSP-2026-0001 --consent samtycke_skola_behandlare --given-by vardnadshavare-1")
    }

    @Test func aConsentCoversOnlyItsOwnInformationFlow() throws {
        var c = try referred()
        // The opposite direction (the therapists to the school) does not let the school share with the therapists.
        try c.consent("samtycke_behandlare_skola", on: d0 + 1)
        #expect(c.item("a_skolunderlag").status == .needsConsent(["samtycke_skola_behandlare"]))
        try c.consent("samtycke_skola_behandlare", on: d0 + 1)
        #expect(c.item("a_skolunderlag").status == .available)
        #expect(try c.run(schoolDocuments(on: d0 + 1)).count == 1)
    }

    @Test func aStepThatNeedsTwoConsentsListsBoth() throws {
        let c = try CaseHarness.inTreatment(opened: d0, modules: ["skolsamverkan"])
        // inTreatment records both school consents; a fresh treatment case without them:
        var bare = try CaseHarness(opening: d0)
        try bare.advance(on: d0, override: "Testet")
        try bare.advance(on: d0 + 1, override: "Testet")
        #expect(bare.item("b_skolmote").status == .needsConsent(["samtycke_skola_behandlare", "samtycke_behandlare_skola"]))
        let error = try #require(bare.refusal(.completeStep(StepRecord(step: "b_skolmote", on: d0 + 1))))
        #expect(error.message.sv.contains("Skolan till behandlarna [samtycke_skola_behandlare], Behandlarna till skolan [samtycke_behandlare_skola]"))
        #expect(c.item("b_skolmote").status == .available)
    }

    @Test func aRecordedConsentIsValidFromItsStartUntilItsEnd() throws {
        var c = try referred()
        try c.consent("samtycke_skola_behandlare", on: d0 + 1, from: d0 + 3, until: d0 + 10)
        #expect(c.item("a_skolunderlag", on: d0 + 2).status == .needsConsent(["samtycke_skola_behandlare"]))  // not yet
        #expect(c.item("a_skolunderlag", on: d0 + 3).status == .available)
        #expect(c.item("a_skolunderlag", on: d0 + 10).status == .available)  // the last day
        #expect(c.item("a_skolunderlag", on: d0 + 11).status == .needsConsent(["samtycke_skola_behandlare"]))  // ended

        c.today = d0 + 11
        let error = try #require(c.refusal(schoolDocuments(on: d0 + 11)))
        #expect(error.kind == .missingConsent)
        #expect(error.message.sv.contains("[samtycke_skola_behandlare]"))
    }

    @Test func withoutAnEndDateTheProgrammesValidityApplies() throws {
        var c = try referred()
        let events = try c.consent("samtycke_bup_behandlare", on: d0 + 1)  // valid-for="P6M"
        #expect(events == [.consentRecorded(ConsentGiven(consent: "samtycke_bup_behandlare", givenBy: "vardnadshavare-1", validFrom: d0 + 1, validUntil: day("2027-03-02"), on: d0 + 1))])
        try c.consent("samtycke_skola_behandlare", on: d0 + 1)  // valid-for="P1Y"
        #expect(c.current.consents.last?.validUntil == day("2027-09-02"))
    }

    @Test func aRevokedConsentNoLongerCountsFromTheDayItIsRevoked() throws {
        var c = try referred()
        try c.consent("samtycke_skola_behandlare", on: d0 + 1)
        #expect(c.item("a_skolunderlag").status == .available)
        #expect(try c.revoke("samtycke_skola_behandlare", on: d0 + 4) == [.consentRevoked(consent: "samtycke_skola_behandlare", on: d0 + 4)])
        #expect(c.current.consents.first?.revokedOn == d0 + 4)
        #expect(c.current.consents.first?.isValid(on: d0 + 3) == true)
        #expect(c.current.consents.first?.isValid(on: d0 + 4) == false)
        #expect(c.item("a_skolunderlag").status == .needsConsent(["samtycke_skola_behandlare"]))
        #expect(c.refusal(schoolDocuments(on: d0 + 4))?.kind == .missingConsent)

        // Revoking again: there is nothing in force.
        let again = try #require(c.refusal(.revokeConsent(consent: "samtycke_skola_behandlare", on: d0 + 4)))
        #expect(again.kind == .noValidConsent)
        #expect(again.message.sv == "Det finns inget gällande samtycke 'samtycke_skola_behandlare' att återkalla.")

        // A new consent makes the step possible again.
        try c.consent("samtycke_skola_behandlare", on: d0 + 6)
        #expect(c.item("a_skolunderlag").status == .available)
    }

    @Test func consentInputIsChecked() throws {
        let c = try referred()
        let unknown = try #require(c.refusal(.recordConsent(consent: "samtycke_allt", givenBy: "vardnadshavare-1", validFrom: d0, validUntil: nil, on: d0)))
        #expect(unknown.kind == .unknownConsent)
        #expect(unknown.message.sv == "Programmet har inget samtycke 'samtycke_allt'.")
        #expect(unknown.hint?.sv.contains("samtycke_skola_behandlare") == true)

        let nobody = try #require(c.refusal(.recordConsent(consent: "samtycke_skola_behandlare", givenBy: " ", validFrom: d0, validUntil: nil, on: d0)))
        #expect(nobody.kind == .reasonRequired)
        #expect(nobody.message.sv == "Ange vem som gav samtycket.")

        let backwards = try #require(c.refusal(.recordConsent(consent: "samtycke_skola_behandlare", givenBy: "elev", validFrom: d0, validUntil: d0 - 1, on: d0)))
        #expect(backwards.kind == .invalidDates)
    }

    @Test func consentIsJudgedOnTheDayTheStepWasDone() throws {
        // The documents were collected on day 5, but the guardian's consent was only given on day 8.
        var c = try referred()
        try c.consent("samtycke_skola_behandlare", on: d0 + 8)
        #expect(c.refusal(schoolDocuments(on: d0 + 5))?.kind == .missingConsent)
    }
}
