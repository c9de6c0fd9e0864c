/// Screening: which of a programme's triggers a student's attendance meets on a day. Each trigger is
/// tested on the figures over its own window; no data in the window means not triggered.
public enum Screening {
    /// A trigger a student meets, with the figures it was tested on.
    public struct Match: Hashable, Sendable {
        public var trigger: Trigger
        public var figures: AttendanceFigures
    }

    /// The triggers `records` meet on `asOf`, in the programme's order. A test that cannot be
    /// evaluated counts as not met.
    public static func matches(
        _ triggers: [Trigger], records: [AttendanceRecord], asOf: Day, evaluator: XPathEvaluator
    ) -> [Match] {
        triggers.compactMap { trigger in
            guard let figures = AttendanceFigures.compute(records, window: trigger.window, endingOn: asOf) else { return nil }
            let met = (try? evaluator.test(trigger.test.source, in: ScreeningEnvironment(figures))) ?? false
            return met ? Match(trigger: trigger, figures: figures) : nil
        }
    }
}

/// The screening variables (`ExpressionScope.triggerVariables`) for one student's figures.
public final class ScreeningEnvironment: XPathEnvironment {
    let figures: AttendanceFigures

    public init(_ figures: AttendanceFigures) {
        self.figures = figures
    }

    public var functionNames: Set<String> { [] }

    public func variable(_ name: String) -> XPathValue? {
        switch name {
        case "franvaro_procent": .number(figures.absencePercent)
        case "giltig_franvaro_procent": .number(figures.validAbsencePercent)
        case "ogiltig_franvaro_procent": .number(figures.invalidAbsencePercent)
        case "narvaro_procent": .number(figures.attendancePercent)
        case "veckor_helt_franvarande": .number(Double(figures.wholeWeeksAbsent))
        default: nil
        }
    }

    public func call(_ name: String, _ arguments: [XPathValue]) -> XPathValue? { nil }
}
