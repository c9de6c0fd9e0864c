/// The variables and functions of programme-level expressions (step conditions, repeat conditions,
/// gates) for one case: `$form.field` from the latest submission, and the case facts
/// `completed()`, `skipped()`, `module-selected()`, `consent-valid()`, `days-in-phase()`,
/// `attendance-percent()`, besides the form functions.
final class CaseEnvironment: XPathEnvironment {
    let state: CaseState
    let programme: Programme
    let today: Day
    let attendance: AttendanceSource?

    init(state: CaseState, programme: Programme, today: Day, attendance: AttendanceSource?) {
        self.state = state
        self.programme = programme
        self.today = today
        self.attendance = attendance
    }

    static let names: Set<String> = StandardFunctions.names.union(ExpressionScope.caseFunctions.keys)

    var functionNames: Set<String> { Self.names }

    func variable(_ name: String) -> XPathValue? {
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let formID = String(name[..<dot]), fieldID = String(name[name.index(after: dot)...])
        guard let submission = state.forms[formID] else {
            return programme.form(formID) == nil ? nil : .string("")
        }
        if let value = submission.answers[fieldID] { return value.xpathValue }
        if let score = submission.scores[fieldID] { return Double(score).map(XPathValue.number) ?? .string(score) }
        return .string("")
    }

    func call(_ name: String, _ arguments: [XPathValue]) -> XPathValue? {
        if let standard = StandardFunctions.call(name, arguments, today: today.number) { return standard }
        switch (name, arguments.count) {
        case ("completed", 1):
            return .number(Double(state.completedCount(arguments[0].stringValue)))
        case ("skipped", 1):
            return .boolean(state.skipped[arguments[0].stringValue] != nil)
        case ("module-selected", 1):
            return .boolean(selectedModules.contains(arguments[0].stringValue))
        case ("staff-count", 1):
            return .number(Double(state.staff[arguments[0].stringValue]?.count ?? 0))
        case ("consent-valid", 1):
            let id = arguments[0].stringValue
            return .boolean(state.consents.contains { $0.consent == id && $0.isValid(on: today) })
        case ("days-in-phase", 0):
            guard let entered = state.phaseEntered else { return .number(.nan) }
            return .number(Double(today - entered - state.pausedDays(from: entered, to: today)))
        case ("attendance-percent", 1):
            guard let window = ISODuration(parsing: arguments[0].stringValue),
                  let percent = attendance?.attendancePercent(caseCode: state.code, window: window, endingOn: today)
            else { return .number(.nan) }
            return .number(percent)
        default:
            return nil
        }
    }

    /// The modules chosen in the most recently submitted form that chooses modules (a field whose
    /// choices are the programme's modules): the treatment plan, which comes after the functional
    /// analysis that only recommends them.
    var selectedModules: Set<String> {
        for formID in state.formOrder.reversed() {
            guard let form = programme.form(formID), let submission = state.forms[formID] else { continue }
            let fields = form.fields.filter { $0.choiceSource == .modules }
            guard !fields.isEmpty else { continue }
            var result: Set<String> = []
            for field in fields {
                switch submission.answers[field.id] {
                case .list(let values)?: result.formUnion(values)
                case .text(let value)?: result.insert(value)
                default: break
                }
            }
            return result
        }
        return []
    }
}

/// Where attendance figures come from (imported school data; see `narvaro attendance import`).
public protocol AttendanceSource: Sendable {
    /// The share of scheduled time attended (0–100) over `window` ending on `endingOn`, or nil when
    /// there is no data.
    func attendancePercent(caseCode: String, window: ISODuration, endingOn: Day) -> Double?
}
