/// The variables and functions of form expressions: `$field` for answers and scores of the same form,
/// and `selected()`, `count-selected()`, `today()`, `days-between()`.
final class FormEnvironment: XPathEnvironment {
    /// Every id the form knows; an unanswered one reads as ''.
    let known: Set<String>
    var values: [String: XPathValue] = [:]
    /// The answers of the group row being evaluated, which shadow form-level names.
    var row: [String: XPathValue]?
    var today = 0

    init(known: Set<String>) {
        self.known = known
    }

    static let names: Set<String> = ["selected", "count-selected", "today", "days-between"]

    var functionNames: Set<String> { Self.names }

    func variable(_ name: String) -> XPathValue? {
        if let row, let value = row[name] { return value }
        if let value = values[name] { return value }
        return known.contains(name) ? .string("") : nil
    }

    func call(_ name: String, _ arguments: [XPathValue]) -> XPathValue? {
        Self.standardFunction(name, arguments, today: today)
    }

    /// The form functions, shared with the case environment of the workflow engine.
    static func standardFunction(_ name: String, _ arguments: [XPathValue], today: Int) -> XPathValue? {
        switch (name, arguments.count) {
        case ("selected", 2):
            let values = arguments[0].stringValue.split(separator: " ")
            return .boolean(values.contains { $0 == arguments[1].stringValue })
        case ("count-selected", 1):
            return .number(Double(arguments[0].stringValue.split(separator: " ").count))
        case ("today", 0):
            return .string(ISODate.string(fromDayNumber: today))
        case ("days-between", 2):
            guard let a = ISODate.dayNumber(arguments[0].stringValue), let b = ISODate.dayNumber(arguments[1].stringValue) else {
                return .number(.nan)
            }
            return .number(Double(b - a))
        default:
            return nil
        }
    }
}

/// The form functions, for other environments (the workflow engine's case facts add to them).
public enum StandardFunctions {
    public static let names = FormEnvironment.names

    public static func call(_ name: String, _ arguments: [XPathValue], today: Int) -> XPathValue? {
        FormEnvironment.standardFunction(name, arguments, today: today)
    }
}
