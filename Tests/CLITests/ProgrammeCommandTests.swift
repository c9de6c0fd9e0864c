import Foundation
import Programme
import Testing

@Suite struct ProgrammeCommandTests {
    @Test func validateAcceptsTheShippedProgrammes() throws {
        let r = try CLIRunner.run(["programme", "validate", "programmes/hsp.xml", "programmes/processledare.xml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("programmes/hsp.xml: giltigt"))
        #expect(r.stdout.contains("programmes/processledare.xml: giltigt"))
    }

    @Test func validateReportsEveryFileAndExitsOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-cli-\(getpid())-\(Int.random(in: 0...1_000_000))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("bad.xml")
        try "<?xml version=\"1.0\"?>\n<programme xmlns=\"urn:narvaro:programme:1\">\n<titel>x</title>\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["programme", "validate", "--lang", "en", "programmes/hsp.xml", bad.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("programmes/hsp.xml: valid"))
        #expect(r.stderr.contains("\(bad.path):3:"))
        #expect(r.stderr.contains("error:"))
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test func validateSpeaksSwedishByDefault() throws {
        let r = try CLIRunner.run(["programme", "validate", "/nonexistent/programme.xml"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("fel: filen kunde inte läsas"))
    }

    @Test func showPrintsAnOutline() throws {
        let r = try CLIRunner.run(["programme", "show", "programmes/hsp.xml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("FAS 1"))
        #expect(r.stdout.contains("TROHETSKRITERIER"))
        #expect(r.stdout.contains("Checklista:"))
        let en = try CLIRunner.run(["programme", "show", "programmes/hsp.xml", "--lang", "en"])
        #expect(en.stdout.contains("PHASE 1"))
        #expect(en.stdout.contains("FIDELITY CRITERIA"))
    }

    @Test func theOutlineFitsEightyColumns() throws {
        for file in ["programmes/hsp.xml", "programmes/processledare.xml"] {
            let r = try CLIRunner.run(["programme", "show", file])
            let wide = r.stdout.split(separator: "\n").filter { $0.count > 80 }
            #expect(wide.count <= r.stdout.split(separator: "\n").count / 20, "\(file): \(wide.prefix(5))")
        }
    }

    @Test(arguments: ["programmes/hsp.xml", "programmes/processledare.xml"])
    func theModelRoundTripsThroughJSON(_ file: String) throws {
        let r = try CLIRunner.run(["programme", "show", file, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let decoded = try JSONDecoder().decode(Programme.self, from: Data(r.stdout.utf8))
        let loaded = try ProgrammeLoader.load(path: CLIRunner.packageRoot.appendingPathComponent(file).path, displayName: file).get()
        #expect(decoded == loaded.programme)
    }

    @Test func helpIsPlainAndBilingual() throws {
        let r = try CLIRunner.run(["programme", "validate", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Kontrollera programfiler"))
        #expect(r.stdout.contains("(Check"))
        #expect(r.stdout.contains("Exit code 0"))
    }

    @Test func aWrongArgumentPrintsUsageNotABacktrace() throws {
        let r = try CLIRunner.run(["programme", "show", "programmes/hsp.xml", "--format", "pdf"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("Usage") || r.stderr.contains("usage"))
        #expect(!r.stderr.contains("Fatal error"))
    }
}
