import Foundation
import Testing

/// `narvaro verify --report FILE`: the chain heads a fidelity report named, compared with the store.
@Suite struct VerifyReportTests {
    @Test func aReportInAnyFormatIsCheckedAgainstTheStore() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        try store.ok(["case", "complete", code, "--step", "a_remiss"])
        try store.ok(["team", "meeting"])
        var reports: [String] = []
        for format in ["html", "md", "csv", "json"] {
            let path = store.dir.appendingPathComponent("rapport.\(format)").path
            try store.ok(["report", "fidelity", "--out", path])
            reports.append(path)
            let checked = try store.ok(["verify", "--report", path])
            #expect(checked.stdout.contains("nämner 2 kedjor: alla är oförändrade fram till rapporten (0 har fått nya händelser sedan dess)."),
                    "\(format): \(checked.stdout)")
        }
        // New events after the report are allowed, and counted.
        try store.ok(["case", "assign", code, "--role", "behandlare", "--person", "Bo Behandlare"])
        let later = try store.ok(["verify", "--report", reports[1], "--lang", "en"])
        #expect(later.stdout.contains("names 2 chains: all are unchanged up to the report (1 have new events since)."), "\(later.stdout)")

        // A report whose hash for the case is not in the chain: named, exit 1.
        let text = try String(contentsOfFile: reports[1], encoding: .utf8)
        let row = try #require(text.range(of: "| \(code) | "))
        let first = text[row.upperBound]
        var doctoredText = text
        doctoredText.replaceSubrange(row.upperBound...row.upperBound, with: first == "0" ? "1" : "0")
        let doctored = store.dir.appendingPathComponent("ändrad.md").path
        try Data(doctoredText.utf8).write(to: URL(fileURLWithPath: doctored))
        let refused = try store.run(["verify", "--report", doctored])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(code): kedjan innehåller inte rapportens hash"), "\(refused.stderr)")
        #expect(refused.stderr.contains("1 av rapportens 2 kedjor stämmer inte med lagringen."), "\(refused.stderr)")

        // A report whose hash was cut short: the chain is named as unreadable, not skipped.
        let cut = store.dir.appendingPathComponent("kapad.md").path
        try Data(text.replacingOccurrences(of: "| \(code) | ", with: "| \(code) | x").utf8).write(to: URL(fileURLWithPath: cut))
        let unreadable = try store.run(["verify", "--report", cut])
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr.contains("\(code): rapporten anger ingen läsbar hash för kedjan"), "\(unreadable.stderr)")

        // Not a report at all.
        let junk = store.dir.appendingPathComponent("anteckning.txt").path
        try Data("Inget här.\n".utf8).write(to: URL(fileURLWithPath: junk))
        let none = try store.run(["verify", "--report", junk])
        #expect(none.status == 1)
        #expect(none.stderr.contains("filen nämner inga ärendekedjor"), "\(none.stderr)")
    }
}
