import Foundation
import Programme
import Testing

/// Every broken programme in Fixtures/broken says, in comments at its top, exactly which errors it
/// must produce: `<!-- expect: LINE[:COLUMN] TEXT -->`, where TEXT is part of the English message.
@Suite struct GoldenDiagnosticsTests {
    struct Expectation: CustomStringConvertible {
        var line: Int
        var column: Int?
        var text: String
        var description: String { "\(line)\(column.map { ":\($0)" } ?? "") \(text)" }
    }

    static let files: [String] = {
        let dir = Paths.fixtures.appendingPathComponent("broken")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted()
    }()

    static func expectations(in text: String) -> [Expectation] {
        text.split(separator: "\n").compactMap { line -> Expectation? in
            guard let range = line.range(of: "<!-- expect: "), let end = line.range(of: " -->") else { return nil }
            let body = line[range.upperBound..<end.lowerBound]
            guard let space = body.firstIndex(of: " ") else { return nil }
            let position = body[..<space].split(separator: ":")
            guard let lineNumber = Int(position[0]) else { return nil }
            return Expectation(
                line: lineNumber, column: position.count > 1 ? Int(position[1]) : nil,
                text: String(body[body.index(after: space)...]))
        }
    }

    @Test func thereAreAtLeastTwentyBrokenFiles() {
        #expect(Self.files.count >= 20)
    }

    @Test(arguments: files)
    func reportsExactlyTheExpectedErrors(_ name: String) throws {
        let url = Paths.fixtures.appendingPathComponent("broken").appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let expected = Self.expectations(in: text)
        try #require(!expected.isEmpty, "\(name) has no <!-- expect: … --> comment")
        let result = ProgrammeLoader.load(path: url.path, displayName: "broken/\(name)")
        guard case .failure(let failure) = result else {
            Issue.record("\(name) loaded, but it should fail with \(expected)")
            return
        }
        let errors = failure.errors
        for e in errors {
            #expect(e.location.line > 0, "\(name): an error without a line: \(e.rendered(.en))")
            #expect(e.location.file == "broken/\(name)")
        }
        #expect(errors.count == expected.count, "\(name): got \(errors.map { $0.rendered(.en) })")
        for expectation in expected {
            let match = errors.contains { e in
                e.location.line == expectation.line
                    && (expectation.column == nil || e.location.column == expectation.column)
                    && e.message.en.contains(expectation.text)
            }
            #expect(match, "\(name): expected \(expectation), got \(errors.map { $0.rendered(.en) })")
        }
        // Swedish is the default language: every message has a Swedish text too.
        for e in errors { #expect(!e.message.sv.isEmpty) }
    }
}
