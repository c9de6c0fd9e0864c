import Foundation
import Testing

@testable import CLI

/// The demo as a new user runs it, and the privacy of every report format built from it.
@Suite struct DemoTests {
    @Test func theDemoMakesAStoreAndAReportWithoutPersonalData() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-demo-\(getpid())-\(Int.random(in: 0...1_000_000))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = 15
        let demo = try CLIRunner.run(["demo", "--dir", dir.path, "--cases", "\(cases)"], environment: ["NARVARO_TODAY": "2026-11-23"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("rapport.html"))
        let store = dir.appendingPathComponent("narvaro.sqlite").path
        #expect(FileManager.default.fileExists(atPath: store))

        // Every format of the report.
        var texts: [String: String] = [:]
        for format in ["html", "md", "csv", "json"] {
            let out = dir.appendingPathComponent("r.\(format)").path
            let r = try CLIRunner.run(["report", "fidelity", "--store", store, "--format", format, "--out", out], environment: ["NARVARO_TODAY": "2026-11-23"])
            #expect(r.status == 0, "\(format): \(r.stderr)")
            texts[format] = try String(contentsOfFile: out, encoding: .utf8)
            let mode = (try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) ?? 0
            #expect(mode & 0o077 == 0, "\(format) report is readable by others")
        }
        // Without --format, the file's ending decides.
        let byEnding = dir.appendingPathComponent("utan-format.md").path
        #expect(try CLIRunner.run(["report", "fidelity", "--store", store, "--out", byEnding], environment: ["NARVARO_TODAY": "2026-11-23"]).status == 0)
        #expect(try String(contentsOfFile: byEnding, encoding: .utf8) == texts["md"])
        texts["demo html"] = try String(contentsOf: dir.appendingPathComponent("rapport.html"), encoding: .utf8)
        texts["demo md"] = try String(contentsOf: dir.appendingPathComponent("rapport.md"), encoding: .utf8)

        // The demo's names, personnummer (12 and 10 digits, with and without the dash) and free text.
        var secrets = [SyntheticAnswers.freeTextMarker]
        for n in 0..<cases {
            let p = DemoPeople.personnummer(n).canonical
            secrets += [DemoPeople.name(n), p, String(p.dropFirst(2)), String(p.prefix(8)) + "-" + String(p.suffix(4)), String(p.dropFirst(2).prefix(6)) + "-" + String(p.suffix(4))]
        }
        secrets += DemoCohort.reasons
        for (format, text) in texts {
            for secret in secrets {
                #expect(!text.contains(secret), "\(format) contains '\(secret)'")
            }
            #expect(text.contains("HSP-"), "\(format) names no case at all")
        }
        // The cases are there, and the store verifies.
        let list = try CLIRunner.run(["case", "list", "--store", store, "--format", "json"], environment: ["NARVARO_TODAY": "2026-11-23"])
        let rows = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == cases)
        #expect(try CLIRunner.run(["verify", "--store", store]).status == 0)
        // Running it again in the same folder replaces the demo; a folder with other files is refused.
        let again = try CLIRunner.run(["demo", "--dir", dir.path, "--cases", "5"], environment: ["NARVARO_TODAY": "2026-11-23"])
        #expect(again.status == 1, "the folder now holds the test's own report files")
        #expect(again.stderr.contains("innehåller annat"))
    }
}
