import Foundation
import Testing

@testable import Programme

/// Hostile and broken input: each gets a clear error with file and line, quickly, with bounded
/// memory, and reads no other file.
@Suite struct LoaderSecurityTests {
    static let minimal = """
        <?xml version="1.0" encoding="UTF-8"?>
        <programme xmlns="urn:narvaro:programme:1" id="mini" version="1.0.0" xml:lang="sv">
          <title>Mini</title>
          <owner>Exempelkommunen</owner>
          <provenance>Testfil</provenance>
          <roles><role id="behandlare" kind="staff"><title>Behandlare</title></role></roles>
          <phase id="fas"><title>Fas</title>
            <step id="steg" performed-by="behandlare" domain="skola"><title>Steg</title></step>
          </phase>
        </programme>
        """

    func load(_ text: String, file: String = "test.xml") -> Result<LoadedProgramme, ProgrammeLoadError> {
        ProgrammeLoader.load(bytes: Array(text.utf8), file: file)
    }

    func errors(_ result: Result<LoadedProgramme, ProgrammeLoadError>) -> [Diagnostic] {
        if case .failure(let e) = result { return e.errors }
        return []
    }

    @Test func theMinimalProgrammeLoads() throws {
        let loaded = try load(Self.minimal).get()
        #expect(loaded.programme.steps.map(\.id) == ["steg"])
    }

    @Test func externalEntityIsRefusedAtTheDoctypeAndNothingIsRead() throws {
        let dir = try Paths.temporaryDirectory()
        let token = "SENTINEL-\(UInt64.random(in: 0...UInt64.max))"
        let sentinel = dir.appendingPathComponent("sentinel.txt")
        try token.write(to: sentinel, atomically: true, encoding: .utf8)
        let before = externalLoaderCalls.load(ordering: .relaxed)
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE programme [<!ENTITY x SYSTEM "file://\(sentinel.path)">]>
            <programme xmlns="urn:narvaro:programme:1" id="x" version="1.0.0">&x;</programme>
            """
        let found = errors(load(text))
        #expect(found.count == 1)
        #expect(found.first?.location.line == 2)
        #expect(found.first?.message.en.contains("DOCTYPE not allowed") == true)
        #expect(!found.map { $0.rendered(.en) + $0.rendered(.sv) }.joined().contains(token))
        #expect(externalLoaderCalls.load(ordering: .relaxed) == before)
    }

    @Test func externalDTDIsRefused() {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE programme SYSTEM \"http://example.invalid/p.dtd\">\n<programme/>\n"
        let found = errors(load(text))
        #expect(found.map(\.location.line) == [2])
        #expect(found.first?.message.en.contains("DOCTYPE") == true)
    }

    @Test func parameterEntityIsRefused() {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY % e SYSTEM \"file:///etc/passwd\"> %e;]>\n<programme/>\n"
        #expect(errors(load(text)).map(\.location.line) == [2])
    }

    static func billionLaughs() -> String {
        var s = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for i in 1...9 {
            let inner = i == 1 ? "&lol;" : "&lol\(i - 1);"
            s += " <!ENTITY lol\(i) \"\(String(repeating: inner, count: 10))\">\n"
        }
        return s + "]>\n<lolz>&lol9;</lolz>\n"
    }

    static func quadraticBlowup() -> String {
        let entity = String(repeating: "a", count: 50_000)
        return "<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY a \"\(entity)\">]>\n<p>"
            + String(repeating: "&a;", count: 20_000) + "</p>\n"
    }

    static func nestedEntities() -> String {
        var s = "<?xml version=\"1.0\"?>\n<!DOCTYPE p [\n<!ENTITY e0 \"x\">\n"
        for i in 1...100 { s += "<!ENTITY e\(i) \"&e\(i - 1);\">\n" }
        return s + "]>\n<p>&e100;</p>\n"
    }

    @Test(arguments: [("billion laughs", billionLaughs()), ("quadratic blowup", quadraticBlowup()), ("nested entities", nestedEntities())])
    func entityBombsAreRefusedQuickly(_ name: String, _ text: String) {
        let clock = ContinuousClock()
        var found: [Diagnostic] = []
        let elapsed = clock.measure { found = errors(load(text)) }
        #expect(found.map(\.location.line) == [2], "\(name)")
        // A generous bound: the refusal happens at the DOCTYPE line, long before any expansion.
        #expect(elapsed < .seconds(2), "\(name) took \(elapsed)")
    }

    @Test func undeclaredEntityIsAnErrorWithItsLine() {
        let text = Self.minimal.replacingOccurrences(of: "<title>Mini</title>", with: "<title>Mini&nbsp;</title>")
        let found = errors(load(text))
        #expect(found.first?.location.line == 3)
        #expect(found.first?.message.en.contains("nbsp") == true)
    }

    @Test func xincludeIsRefusedWithoutReadingAnything() {
        let text = Self.minimal.replacingOccurrences(
            of: "<owner>", with: "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" parse=\"text\"/><owner>")
        let found = errors(load(text))
        #expect(found.map(\.location.line) == [4])
        #expect(found.first?.message.en.contains("XInclude") == true)
        #expect(!found.map { $0.rendered(.en) }.joined().contains("root:"))
    }

    @Test(arguments: [300, 5_000])
    func deepNestingIsRefusedAtTheLineWhereItGoesTooDeep(_ depth: Int) {
        let text = "<?xml version=\"1.0\"?>\n<programme xmlns=\"urn:narvaro:programme:1\">\n"
            + String(repeating: "<a>\n", count: depth) + String(repeating: "</a>", count: depth) + "</programme>\n"
        let found = errors(load(text))
        #expect(found.count == 1)
        // <programme> is level 1 on line 2; level 65 opens on line 66.
        #expect(found.first?.location.line == SecureXMLParser.maximumDepth + 2)
        #expect(found.first?.message.en.contains("nested deeper than 64") == true)
    }

    @Test func aFortyMebibyteFileIsRefusedBeforeReading() throws {
        let dir = try Paths.temporaryDirectory()
        let url = dir.appendingPathComponent("big.xml")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 40 << 20)
        try handle.close()
        let result = ProgrammeLoader.load(path: url.path, displayName: "big.xml")
        let found = errors(result)
        #expect(found.count == 1)
        #expect(found.first?.message.en.contains("file too large") == true)
        #expect(found.first?.location.description == "big.xml")
    }

    @Test func aTruncatedFileSaysWhereItEnds() {
        let text = String(Self.minimal.prefix(while: { $0 != "/" }).dropLast())  // stops inside <title>
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let found = errors(load(text))
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.location.line >= 1 && $0.location.line <= lines })
    }

    @Test func invalidUTF8IsReportedWithLineAndColumn() {
        var bytes = Array(Self.minimal.utf8)
        let index = bytes.firstIndex(of: UInt8(ascii: "M"))!  // the M of <title>Mini on line 3
        bytes[index] = 0xE5  // Latin-1 'å'
        let found = errors(ProgrammeLoader.load(bytes: bytes, file: "latin1.xml"))
        #expect(found.count == 1)
        #expect(found.first?.location.line == 3)
        #expect(found.first?.location.column == 10)
        #expect(found.first?.message.en.contains("invalid UTF-8") == true)
    }

    @Test(arguments: ["", "   \n\n"])
    func anEmptyFileIsReported(_ text: String) {
        let found = errors(load(text))
        #expect(found.first?.message.en == "the file is empty")
        #expect(found.first?.location.line == 1)
    }

    @Test func aBinaryFileIsReported() {
        let bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]
        let found = errors(ProgrammeLoader.load(bytes: bytes, file: "a.out"))
        #expect(found.first?.message.en.contains("not a text file") == true)
    }

    @Test func aDirectoryOrMissingFileIsAClearError() throws {
        let dir = try Paths.temporaryDirectory()
        #expect(errors(ProgrammeLoader.load(path: dir.path)).first?.message.en.contains("not a regular file") == true)
        #expect(errors(ProgrammeLoader.load(path: dir.path + "/nope.xml")).first?.message.en.contains("cannot read the file") == true)
    }

    @Test func theParserOptionsAreTheApprovedSetOnly() {
        // NONET | NOERROR | NOWARNING | NOCDATA | BIG_LINES: never NOENT, DTDLOAD, DTDATTR, DTDVALID, HUGE, XINCLUDE, RECOVER.
        #expect(LibXML2Guards.parserOptions == 2048 | 32 | 64 | 16384 | 4_194_304)
    }

    @Test func concurrentLoadsGiveTheSameResultsAsSequentialOnes() async {
        let inputs = [Self.minimal, Self.billionLaughs(), Self.minimal.replacingOccurrences(of: "</title>", with: "</titel>")]
        let sequential = inputs.map { errors(load($0)).map { $0.rendered(.en) } }
        await withTaskGroup(of: (Int, [String]).self) { group in
            for round in 0..<60 {
                let i = round % inputs.count
                let text = inputs[i]
                group.addTask { (i, self.errors(self.load(text)).map { $0.rendered(.en) }) }
            }
            for await (i, rendered) in group {
                #expect(rendered == sequential[i])
            }
        }
    }
}
