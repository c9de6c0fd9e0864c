@_exported import Programme

/// An answer in its canonical stored form.
///
/// - `text`: text, long text, a date (`YYYY-MM-DD`), a choice value, a personnummer (12 digits)
/// - `number`: integer, decimal, minutes, percent, scale
/// - `bool`: ja/nej
/// - `list`: the values of a multiple choice
/// - `rows`: a repeat group, one dictionary of answers per row
public enum AnswerValue: Hashable, Sendable {
    case text(String)
    case number(Double)
    case bool(Bool)
    case list([String])
    case rows([[String: AnswerValue]])

    /// The value as XPath sees it: ja/nej as the text 'true' or 'false' (write `$x = 'true'`),
    /// multiple choices as space-separated values, groups as their row count.
    public var xpathValue: XPathValue {
        switch self {
        case .text(let s): .string(s)
        case .number(let n): .number(n)
        case .bool(let b): .string(b ? "true" : "false")
        case .list(let values): .string(values.joined(separator: " "))
        case .rows(let rows): .number(Double(rows.count))
        }
    }

    /// A number for scoring: numbers as they are, booleans as 1 and 0.
    public var numericValue: Double? {
        switch self {
        case .number(let n): n
        case .bool(let b): b ? 1 : 0
        case .text, .list, .rows: nil
        }
    }

    /// True for an answer that says nothing (empty text, no choices, no rows).
    public var isEmpty: Bool {
        switch self {
        case .text(let s): s.isEmpty
        case .list(let l): l.isEmpty
        case .rows(let r): r.isEmpty
        case .number, .bool: false
        }
    }
}

/// The answers to one form, by field id.
public typealias FormAnswers = [String: AnswerValue]

extension AnswerValue: Codable {
    /// JSON: strings, numbers, booleans, arrays of strings (multiple choice) and arrays of objects (groups).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? container.decode(Double.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .text(s)
        } else if let l = try? container.decode([String].self) {
            self = .list(l)
        } else if let rows = try? container.decode([[String: AnswerValue]].self) {
            self = .rows(rows)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an answer value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let s): try container.encode(s)
        case .number(let n): try container.encode(n)
        case .bool(let b): try container.encode(b)
        case .list(let l): try container.encode(l)
        case .rows(let r): try container.encode(r)
        }
    }
}
