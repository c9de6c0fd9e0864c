import Forms
import Foundation

extension AnswersCheck {
    /// The report `narvaro form check` prints. Answers themselves are never printed (they may be
    /// personal data); only problems, calculated values and scores.
    func text(file: String, language: Language) -> String {
        let sv = language == .sv
        var out: [String] = []
        out.append((sv ? "Formulär: " : "Form: ") + "\(form.title.text(language)) [\(form.id)]")
        if problems.isEmpty {
            out.append(sv ? "Svaren är giltiga och kompletta." : "The answers are valid and complete.")
        } else {
            out.append(sv ? "\(problems.count) problem:" : "\(problems.count) problem\(problems.count == 1 ? "" : "s"):")
            for p in problems {
                let place = p.line.map { "\(file):\($0): " } ?? "\(file): "
                out.append("  \(place)\(p.path): \(p.message.text(language))")
            }
        }
        if !evaluation.calculated.isEmpty {
            out.append(sv ? "Uträknat:" : "Calculated:")
            for (id, value) in evaluation.calculated.sorted(by: { $0.key < $1.key }) {
                let label = form.field(id)?.label.text(language) ?? id
                out.append("  \(label) [\(id)]: \(Self.show(value, language))")
            }
        }
        if !form.scores.isEmpty {
            out.append(sv ? "Poäng:" : "Scores:")
            for score in form.scores {
                let result = evaluation.scores[score.id] ?? ScoreResult()
                var line = "  \(score.label.text(language)) [\(score.id)]: "
                if let value = result.value {
                    line += Self.number(value, language)
                    if let band = result.band { line += " – \(band.label.text(language))" }
                } else if let profile = result.profile {
                    line += profile.joined(separator: ", ")
                } else {
                    line += sv ? "kan inte räknas ut än" : "cannot be computed yet"
                }
                out.append(line)
            }
        }
        return out.joined(separator: "\n")
    }

    func json(language: Language) throws -> String {
        struct Output: Encodable {
            struct ProblemOut: Encodable { var field: String; var line: Int?; var message: String }
            struct ScoreOut: Encodable { var value: Double?; var profile: [String]?; var band: String? }
            var form: String
            var complete: Bool
            var problems: [ProblemOut]
            var calculated: [String: AnswerValue]
            var scores: [String: ScoreOut]
        }
        var scores: [String: Output.ScoreOut] = [:]
        for score in form.scores {
            let r = evaluation.scores[score.id] ?? ScoreResult()
            scores[score.id] = Output.ScoreOut(value: r.value, profile: r.profile, band: r.band?.code)
        }
        let output = Output(
            form: form.id, complete: isValidAndComplete,
            problems: problems.map { Output.ProblemOut(field: $0.path.description, line: $0.line, message: $0.message.text(language)) },
            calculated: evaluation.calculated, scores: scores)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }

    static func number(_ value: Double, _ language: Language) -> String {
        var s = value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
        if language == .sv { s = s.replacingOccurrences(of: ".", with: ",") }
        return s
    }

    static func show(_ value: AnswerValue, _ language: Language) -> String {
        switch value {
        case .number(let n): number(n, language)
        case .bool(let b): language == .sv ? (b ? "ja" : "nej") : (b ? "yes" : "no")
        case .text(let s): s
        case .list(let l): l.joined(separator: ", ")
        case .rows(let r): "\(r.count)"
        }
    }
}
