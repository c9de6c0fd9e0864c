import Foundation
import Testing

/// `narvaro team meeting|supervision|list`, end to end, and what `verify` and the report make of them.
@Suite struct TeamCommandTests {
    @Test func meetingsAndSupervisionAreRecordedListedAndChecked() throws {
        let store = try TestStore(today: "2026-11-23")
        try store.initialise()
        let empty = try store.ok(["team", "list"])
        #expect(empty.stdout.contains("Inga teammöten eller handledning registrerade"), "\(empty.stdout)")
        #expect(try store.ok(["team", "meeting", "--date", "2026-11-17"]).stdout.contains("Teammötet 2026-11-17 är registrerat."))
        #expect(try store.ok(["team", "meeting"]).stdout.contains("Teammötet 2026-11-23 är registrerat."))
        let supervised = try store.ok(["team", "supervision", "--person", "Bo Behandlare", "--date", "2026-11-20", "--lang", "en"])
        #expect(supervised.stdout.contains("Supervision for Bo Behandlare on 2026-11-20 is recorded."), "\(supervised.stdout)")
        let list = try store.ok(["team", "list"]).stdout
        #expect(list.components(separatedBy: "\n").filter { !$0.isEmpty } == [
            "2026-11-17  teammöte", "2026-11-20  handledning: Bo Behandlare", "2026-11-23  teammöte",
        ], "\(list)")
        let verified = try store.ok(["verify"])
        #expect(verified.stdout.contains("Kontrollerade 0 ärenden och 3 händelser."), "\(verified.stdout)")
    }

    @Test func aFutureDayOrNobodyIsRefusedAndNothingIsRecorded() throws {
        let store = try TestStore(today: "2026-11-23")
        try store.initialise()
        let future = try store.run(["team", "meeting", "--date", "2026-11-24"])
        #expect(future.status == 1)
        #expect(future.stderr.contains("fel: 2026-11-24 har inte varit än"), "\(future.stderr)")
        let nobody = try store.run(["team", "supervision", "--person", " "])
        #expect(nobody.status == 1)
        #expect(nobody.stderr.contains("Ange vem som fick handledning."), "\(nobody.stderr)")
        #expect(try store.ok(["team", "list"]).stdout.contains("Inga teammöten"))
    }
}
