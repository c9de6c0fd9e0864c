/// The variables and functions of form expressions: `$field` for answers and scores of the same form,
/// and `selected()`, `count-selected()`, `today()`, `days-between()`.
///
/// Values live in slots (one per field, group and score of the form) so that an evaluation fills an
/// array instead of building a dictionary.
final class FormEnvironment: XPathEnvironment {
    /// The slot of every id the form knows; an id without a value reads as ''.
    let slots: [String: Int]
    var values: [XPathValue?]
    /// The values of the group row being evaluated, which shadow form-level ones.
    var row: [XPathValue?]?
    var today = 0

    init(slots: [String: Int]) {
        self.slots = slots
        values = Array(repeating: nil, count: slots.count)
    }

    static let names: Set<String> = ["selected", "count-selected", "today", "days-between"]

    var functionNames: Set<String> { Self.names }

    func variable(_ name: String) -> XPathValue? {
        guard let slot = slots[name] else { return nil }
        if let row, let value = row[slot] { return value }
        return values[slot] ?? .string("")
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
