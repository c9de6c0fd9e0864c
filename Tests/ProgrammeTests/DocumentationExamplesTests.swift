import Foundation
import Programme
import Testing

/// Every XML example in docs/programme-format.md loads as the document says: complete programmes
/// and fragments (spliced into docs/example-base.xml) load cleanly; examples marked
/// `<!-- expect-error: TEXT -->` fail with that text.
@Suite struct DocumentationExamplesTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var line: Int
        var xml: String
        var expectedError: String?
        var testDescription: String { "docs/programme-format.md:\(line)" }
    }

    static let examples: [Example] = {
        guard let text = try? String(contentsOf: Paths.file("docs/programme-format.md"), encoding: .utf8) else { return [] }
        let lines = text.components(separatedBy: "\n")
        var result: [Example] = []
        var i = 0
        while i < lines.count {
            if lines[i].trimmingCharacters(in: .whitespaces) == "```xml" {
                let start = i
                var body: [String] = []
                i += 1
                while i < lines.count, lines[i].trimmingCharacters(in: .whitespaces) != "```" {
                    body.append(lines[i])
                    i += 1
                }
                var expected: String?
                if start > 0, let r = lines[start - 1].range(of: "<!-- expect-error: "), let e = lines[start - 1].range(of: " -->") {
                    expected = String(lines[start - 1][r.upperBound..<e.lowerBound])
                }
                result.append(Example(line: start + 2, xml: body.joined(separator: "\n"), expectedError: expected))
            }
            i += 1
        }
        return result
    }()

    @Test func theDocumentHasExamples() {
        #expect(Self.examples.count >= 20)
        #expect(Self.examples.contains { $0.expectedError != nil })
    }

    @Test func theBaseProgrammeLoads() throws {
        let result = ProgrammeLoader.load(path: Paths.file("docs/example-base.xml").path, displayName: "docs/example-base.xml")
        if case .failure(let e) = result { Issue.record("\(e.diagnostics.map { $0.rendered(.en) })") }
    }

    @Test(arguments: examples)
    func loadsAsDocumented(_ example: Example) throws {
        let document = try Self.document(for: example.xml)
        let result = ProgrammeLoader.load(bytes: Array(document.utf8), file: "docs/programme-format.md:\(example.line)")
        switch (result, example.expectedError) {
        case (.success(let loaded), nil):
            #expect(loaded.warnings.isEmpty, "\(loaded.warnings.map { $0.rendered(.en) })")
        case (.failure(let e), nil):
            Issue.record("the example does not load:\n\(e.diagnostics.map { $0.rendered(.en) }.joined(separator: "\n"))\n--- as spliced:\n\(document)")
        case (.success, let expected?):
            Issue.record("the example loads, but the document says it fails with '\(expected)'")
        case (.failure(let e), let expected?):
            #expect(e.errors.contains { $0.message.en.contains(expected) }, "got \(e.errors.map { $0.rendered(.en) })")
        }
    }

    struct SpliceError: Error, CustomStringConvertible {
        var description: String
    }

    /// The example as a whole programme: itself, or spliced into the base by its first element.
    static func document(for xml: String) throws -> String {
        let trimmed = xml.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let nameStart = firstElementName(trimmed) else { throw SpliceError(description: "no element in the example") }
        if nameStart == "programme" || nameStart == "!DOCTYPE" { return xml }
        var base = try String(contentsOf: Paths.file("docs/example-base.xml"), encoding: .utf8)
        func insert(_ text: String, before marker: String, last: Bool = false) throws {
            let range = last ? base.range(of: marker, options: .backwards) : base.range(of: marker)
            guard let range else { throw SpliceError(description: "the base has no \(marker)") }
            base.insert(contentsOf: text + "\n", at: range.lowerBound)
        }
        func insert(_ text: String, after marker: String, last: Bool = true) throws {
            let range = last ? base.range(of: marker, options: .backwards) : base.range(of: marker)
            guard let range else { throw SpliceError(description: "the base has no \(marker)") }
            base.insert(contentsOf: "\n" + text, at: range.upperBound)
        }
        func has(_ marker: String) -> Bool { base.contains(marker) }
        switch nameStart {
        case "role": try insert(trimmed, before: "</roles>")
        case "consent":
            if has("</consents>") { try insert(trimmed, before: "</consents>") } else { try insert("<consents>\n\(trimmed)\n</consents>", after: "</roles>") }
        case "module":
            if has("</modules>") {
                try insert(trimmed, before: "</modules>")
            } else {
                try insert("<modules>\n\(trimmed)\n</modules>", after: has("</consents>") ? "</consents>" : "</roles>")
            }
        case "choice-list": try insert(trimmed, before: "<phase", last: false)
        case "phase": try insert(trimmed, after: "</phase>")
        case "step", "gate":
            guard let phaseEnd = base.range(of: "</phase>") else { throw SpliceError(description: "no phase") }
            if nameStart == "step", let gate = base.range(of: "<gate"), gate.lowerBound < phaseEnd.lowerBound {
                base.insert(contentsOf: trimmed + "\n", at: gate.lowerBound)
            } else {
                base.insert(contentsOf: trimmed + "\n", at: phaseEnd.lowerBound)
            }
        case "form":
            if has("</form>") { try insert(trimmed, after: "</form>") } else { try insert(trimmed, after: "</phase>") }
        case "field", "group", "score":
            guard let formEnd = base.range(of: "</form>") else { throw SpliceError(description: "no form") }
            if nameStart != "score", let score = base.range(of: "<score"), score.lowerBound < formEnd.lowerBound {
                base.insert(contentsOf: trimmed + "\n", at: score.lowerBound)
            } else {
                base.insert(contentsOf: trimmed + "\n", at: formEnd.lowerBound)
            }
        case "trigger":
            if has("</screening>") {
                try insert(trimmed, before: "</screening>")
            } else if has("<fidelity") {
                try insert("<screening>\n\(trimmed)\n</screening>", before: "<fidelity", last: false)
            } else {
                try insert("<screening>\n\(trimmed)\n</screening>", before: "</programme>")
            }
        case "criterion":
            if has("</fidelity>") { try insert(trimmed, before: "</fidelity>") } else { try insert("<fidelity>\n\(trimmed)\n</fidelity>", before: "</programme>") }
        default:
            throw SpliceError(description: "no rule for splicing <\(nameStart)>")
        }
        return base
    }

    /// The name of the first element, skipping the XML declaration and comments.
    static func firstElementName(_ xml: String) -> String? {
        var rest = Substring(xml)
        while let lt = rest.firstIndex(of: "<") {
            rest = rest[lt...]
            if rest.hasPrefix("<?") || rest.hasPrefix("<!--") {
                let end = rest.hasPrefix("<?") ? "?>" : "-->"
                guard let r = rest.range(of: end) else { return nil }
                rest = rest[r.upperBound...]
                continue
            }
            if rest.hasPrefix("<!") { return "!DOCTYPE" }
            let name = rest.dropFirst().prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
            return String(name)
        }
        return nil
    }
}
