import Foundation
import Testing

@testable import Programme

/// The one-pass parse (`parseStreaming`) must give exactly the tree of the tree-building parse
/// (`parseWithTree`), and must accept a file only when the tree-building parse accepts it too;
/// otherwise the loader's results would depend on which of the two ran.
@Suite struct ParserEquivalenceTests {
    static let programmes: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.file("programmes").path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted().map { "programmes/\($0)" }
    }()

    static let brokenFixtures: [String] = {
        let dir = Paths.fixtures.appendingPathComponent("broken")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted().map { "Tests/ProgrammeTests/Fixtures/broken/\($0)" }
    }()

    /// Both parses of `bytes`; the streaming one after the tree one, as the loader would.
    static func parseBothWays(_ bytes: [UInt8]) -> (streaming: XMLNode?, tree: SecureXMLParser.Outcome) {
        LibXML2Guards.prepareThread()
        let tree = SecureXMLParser.parseWithTree(bytes, url: "t.xml", schema: EmbeddedSchema.shared)
        let streaming = SecureXMLParser.parseStreaming(bytes, url: "t.xml", schema: EmbeddedSchema.shared)
        return (streaming, tree)
    }

    /// Where two trees first differ, or nil when they are the same.
    static func difference(_ a: XMLNode, _ b: XMLNode, path: String = "") -> String? {
        let here = "\(path)/\(a.name)@\(a.line)"
        if a.name != b.name { return "\(here): name \(b.name)" }
        if a.namespace != b.namespace { return "\(here): namespace \(String(describing: a.namespace)) vs \(String(describing: b.namespace))" }
        if a.line != b.line { return "\(here): line \(b.line)" }
        if a.text != b.text { return "\(here): text \(a.text.debugDescription) vs \(b.text.debugDescription)" }
        if a.language != b.language { return "\(here): language \(String(describing: a.language)) vs \(String(describing: b.language))" }
        let attributesA = a.attributes.map { "\($0.name)=\($0.value)" }
        let attributesB = b.attributes.map { "\($0.name)=\($0.value)" }
        if attributesA != attributesB { return "\(here): attributes \(attributesA) vs \(attributesB)" }
        let childrenA = Array(a.children), childrenB = Array(b.children)
        if childrenA.count != childrenB.count { return "\(here): \(childrenA.count) vs \(childrenB.count) children" }
        for (x, y) in zip(childrenA, childrenB) {
            if let found = difference(x, y, path: here) { return found }
        }
        return nil
    }

    /// Checks one input; returns whether the streaming parse accepted it.
    @discardableResult
    static func expectEquivalent(_ bytes: [UInt8], _ name: String) -> Bool {
        let (streaming, tree) = parseBothWays(bytes)
        let treeAccepts = tree.root != nil && tree.issues.isEmpty
        guard let streaming else { return false }
        #expect(treeAccepts, "\(name): the one-pass parse accepts what the tree parse refuses: \(tree.issues)")
        if let root = tree.root, let found = difference(streaming, root) {
            Issue.record("\(name): the trees differ at \(found)")
        }
        return true
    }

    @Test(arguments: programmes)
    func theShippedProgrammesGiveTheSameTreeAndTheSameModel(_ path: String) throws {
        let bytes = try ProgrammeLoader.readFile(Paths.file(path).path).get()
        #expect(Self.expectEquivalent(bytes, path), "\(path): the one-pass parse should accept a shipped programme")
        let (streaming, tree) = Self.parseBothWays(bytes)
        let a = try #require(streaming), b = try #require(tree.root)
        var first = ProgrammeBuilder(sink: DiagnosticSink(file: path, source: SourceText(bytes)))
        var second = ProgrammeBuilder(sink: DiagnosticSink(file: path, source: SourceText(bytes)))
        let fromStreaming = first.build(a), fromTree = second.build(b)
        #expect(fromStreaming == fromTree)
        // The JSON the CLI prints (`programme show --format json`) too.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(fromStreaming) == encoder.encode(fromTree))
    }

    @Test(arguments: brokenFixtures)
    func brokenFixturesAreRefusedByBothOrGiveTheSameTree(_ path: String) throws {
        let bytes = try ProgrammeLoader.readFile(Paths.file(path).path).get()
        Self.expectEquivalent(bytes, path)
    }

    @Test func unusualButValidInputGivesTheSameTree() {
        let minimal = LoaderSecurityTests.minimal
        let variants = [
            // CDATA, character and predefined entity references, comments and processing instructions in text
            minimal.replacingOccurrences(of: "<title>Mini</title>", with: "<title>M<![CDATA[i<n>]]>i &amp; &#229;&#xe5; <!-- c --><?pi x?>x</title>"),
            // an escaped & in an attribute value (libxml2 hands it over as &#38;)
            minimal.replacingOccurrences(of: "kind=\"staff\"", with: "kind=\"staff\" xml:lang=\"s&amp;v\""),
            // xml:id, which libxml2's tree builder checks
            minimal.replacingOccurrences(of: "<owner>", with: "<owner xml:id=\"1x\">"),
            // a multi-line start tag, tabs and CR LF
            minimal.replacingOccurrences(of: "<step id=\"steg\"", with: "<step\r\n\tid=\"steg\"\n "),
            // a relative namespace URI (a libxml2 warning)
            minimal.replacingOccurrences(of: "<owner>", with: "<owner xmlns:r=\"rel\">"),
            // English beside Swedish, inherited xml:lang
            minimal.replacingOccurrences(of: "<title>Mini</title>", with: "<title>Mini</title><title xml:lang=\"en\">Mini</title>"),
            // version 1.1 (a libxml2 warning) and no XML declaration at all
            minimal.replacingOccurrences(of: "version=\"1.0\" encoding", with: "version=\"1.1\" encoding"),
            String(minimal.drop(while: { $0 != "\n" }).dropFirst()),
            // a declared encoding other than UTF-8
            minimal.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"").replacingOccurrences(of: "Mini", with: "Måndag"),
        ]
        for (i, text) in variants.enumerated() {
            Self.expectEquivalent(Array(text.utf8), "variant \(i)")
        }
    }

    @Test func damagedFilesAreRefusedByBothOrGiveTheSameTree() {
        // Deterministic damage to the minimal programme: delete, duplicate or replace one byte.
        let original = Array(LoaderSecurityTests.minimal.utf8)
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        let replacements = Array("<>/=\"' &;:x\n".utf8)
        var accepted = 0
        for round in 0..<400 {
            var bytes = original
            let at = next(bytes.count)
            switch round % 3 {
            case 0: bytes.remove(at: at)
            case 1: bytes.insert(bytes[at], at: at)
            default: bytes[at] = replacements[next(replacements.count)]
            }
            if Self.expectEquivalent(bytes, "damage \(round) at byte \(at)") { accepted += 1 }
        }
        // Some damage is harmless (inside a text); the one-pass parse must have accepted those.
        #expect(accepted > 10)
    }
}
