/// A value in an XPath 1.0 expression: a string, a number or a boolean (no node-sets: programme
/// expressions never touch a document).
public enum XPathValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case boolean(Bool)

    /// XPath's boolean(): a non-empty string, a number other than 0 and NaN.
    public var boolValue: Bool {
        switch self {
        case .string(let s): !s.isEmpty
        case .number(let n): n != 0 && !n.isNaN
        case .boolean(let b): b
        }
    }

    /// XPath's number(): NaN for text that is not a number.
    public var numberValue: Double {
        switch self {
        case .string(let s): Double(s.trimmingWhitespace) ?? .nan
        case .number(let n): n
        case .boolean(let b): b ? 1 : 0
        }
    }

    /// XPath's string(): integers without a decimal point.
    public var stringValue: String {
        switch self {
        case .string(let s): s
        case .boolean(let b): b ? "true" : "false"
        case .number(let n):
            if n.isNaN { "NaN" } else if n.isInfinite { n > 0 ? "Infinity" : "-Infinity" } else if n == n.rounded(), abs(n) < 1e15 {
                String(Int(n))
            } else {
                String(n)
            }
        }
    }

    public var description: String { stringValue }
}

/// What an expression's variables and extra functions mean where it is evaluated.
public protocol XPathEnvironment: AnyObject {
    /// The value of `$name`, or nil when the name is unknown (an evaluation error).
    func variable(_ name: String) -> XPathValue?
    /// The result of calling `name(arguments…)`, or nil when the function is not this environment's.
    func call(_ name: String, _ arguments: [XPathValue]) -> XPathValue?
    /// The names `call` answers to (others are XPath's own functions).
    var functionNames: Set<String> { get }
}
