import Foundation

/// An answers file: what a guided session accepts non-interactively, and what `narvaro form check`
/// reads. Shape (documented in docs/answers-format.md):
///
/// ```json
/// { "form": "matning", "answers": { "datum": "2026-11-22", "plats": "hem", "deltagare": ["elev"],
///   "familjekarta": [ { "relation": "mamma" } ] } }
/// ```
public struct AnswersDocument: Sendable {
    public var form: String?
    public var answers: FormAnswers
    /// The line of each top-level key in the file, for error messages.
    public var lines: [String: Int]

    public struct ReadError: Error, Sendable {
        public var line: Int?
        public var message: LocalizedMessage
    }

    private struct Envelope: Decodable {
        var form: String?
        var answers: [String: AnswerValue]
    }

    public static func parse(_ data: Data) -> Result<AnswersDocument, ReadError> {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            return .failure(ReadError(line: nil, message: jsonMessage(context)))
        } catch DecodingError.keyNotFound(let key, _) {
            return .failure(ReadError(line: nil, message: LocalizedMessage(
                sv: "filen saknar nyckeln \"\(key.stringValue)\"; formen är { \"form\": \"…\", \"answers\": { … } }",
                en: "the file has no key \"\(key.stringValue)\"; the shape is { \"form\": \"…\", \"answers\": { … } }")))
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let path = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }.joined(separator: ".")
            return .failure(ReadError(line: nil, message: LocalizedMessage(
                sv: "fel typ av värde vid \(path.isEmpty ? "filens början" : path)",
                en: "wrong kind of value at \(path.isEmpty ? "the start of the file" : path)")))
        } catch {
            return .failure(ReadError(line: nil, message: LocalizedMessage(sv: "filen kunde inte läsas som JSON", en: "the file could not be read as JSON")))
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines: [String: Int] = [:]
        for key in envelope.answers.keys {
            lines[key] = lineOfKey(key, in: text)
        }
        return .success(AnswersDocument(form: envelope.form, answers: envelope.answers, lines: lines))
    }

    private static func jsonMessage(_ context: DecodingError.Context) -> LocalizedMessage {
        let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
        return LocalizedMessage(sv: "filen är ingen giltig JSON: \(detail)", en: "the file is not valid JSON: \(detail)")
    }

    /// The 1-based line where `"key":` first appears.
    public static func lineOfKey(_ key: String, in text: String) -> Int? {
        lineOfKey(key, in: text, from: text.startIndex, line: 1)?.line
    }

    /// The line of `key` inside the object under `section` (the first `"section":` in the file), so
    /// that a checklist item named like a form field is found in the checklist; else anywhere.
    public static func lineOfKey(_ key: String, inSection section: String, of text: String) -> Int? {
        if let start = lineOfKey(section, in: text, from: text.startIndex, line: 1),
           let found = lineOfKey(key, in: text, from: text.index(after: start.index), line: start.line) {
            return found.line
        }
        return lineOfKey(key, in: text)
    }

    private static func lineOfKey(_ key: String, in text: String, from start: String.Index, line first: Int) -> (line: Int, index: String.Index)? {
        let needle = "\"\(key)\""
        var line = first
        var index = start
        while index < text.endIndex {
            if text[index] == "\n" {
                line += 1
            } else if text[index...].hasPrefix(needle) {
                var after = text.index(index, offsetBy: needle.count)
                while after < text.endIndex, text[after] == " " || text[after] == "\t" { after = text.index(after: after) }
                if after < text.endIndex, text[after] == ":" { return (line, index) }
            }
            index = text.index(after: index)
        }
        return nil
    }
}
