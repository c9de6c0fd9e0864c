import Foundation
import Testing

@Suite struct FormCommandTests {
    let today = ["NARVARO_TODAY": "2026-11-22"]

    @Test func aCompleteAnswersFileIsValid() throws {
        let r = try CLIRunner.run(
            ["form", "check", "programmes/hsp.xml", "--form", "matning", "--answers", "docs/examples/matning-t1.json"], environment: today)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("Svaren är giltiga och kompletta."))
        #expect(r.stdout.contains("[sras_profil]: f1, f4"))
    }

    @Test func everyProblemIsReportedWithItsLine() throws {
        let r = try CLIRunner.run(
            ["form", "check", "programmes/hsp.xml", "--form", "matning", "--answers", "docs/examples/matning-three-errors.json", "--lang", "en"],
            environment: today)
        #expect(r.status == 1)
        #expect(r.stdout.contains("3 problems:"))
        #expect(r.stdout.contains("matning-three-errors.json:5: matdatum: The date 2026-02-30 does not exist."))
        #expect(r.stdout.contains("matning-three-errors.json:8: helt_franvarande: Answer yes or no."))
        #expect(r.stdout.contains("matning-three-errors.json:10: stege_elev: The value may not be greater than 10."))
    }

    @Test func jsonOutputCarriesTheSameFacts() throws {
        let r = try CLIRunner.run(
            ["form", "check", "programmes/hsp.xml", "--form", "matning", "--answers", "docs/examples/matning-t1.json", "--format", "json"],
            environment: today)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["complete"] as? Bool == true)
        let scores = object?["scores"] as? [String: Any]
        let f1 = scores?["f1"] as? [String: Any]
        #expect(f1?["value"] as? Double == 3.75)
    }

    @Test func anUnknownFormOrBrokenFileIsAClearError() throws {
        let unknown = try CLIRunner.run(["form", "check", "programmes/hsp.xml", "--form", "nope", "--answers", "docs/examples/matning-t1.json"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("programmet har inget formulär 'nope'"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-form-\(getpid())-\(Int.random(in: 0...1_000_000))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let broken = dir.appendingPathComponent("broken.json")
        try "{ \"answers\": { \"tidpunkt\": \"t1\", }".write(to: broken, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["form", "check", "programmes/hsp.xml", "--form", "matning", "--answers", broken.path, "--lang", "en"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("the file is not valid JSON"))
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test func aPersonnummerIsNeverEchoed() throws {
        // The test programme has no personnummer field in matning, so use an unknown field holding one:
        // the error names the field, never its value.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-pnr-\(getpid())-\(Int.random(in: 0...1_000_000))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("a.json")
        try "{ \"answers\": { \"pnr\": \"121212-1212\" } }".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["form", "check", "programmes/hsp.xml", "--form", "matning", "--answers", file.path], environment: today)
        #expect(r.status == 1)
        #expect(!(r.stdout + r.stderr).contains("1212"))
    }
}
