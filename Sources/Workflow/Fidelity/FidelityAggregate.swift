/// Attendance over time, from imported school data, for the outcomes section.
public protocol AttendanceHistory: Sendable {
    /// Scheduled and attended time for a case's student over `from..<to`, or nil without data.
    func totals(caseCode: String, from: Day, to: Day) -> (scheduled: Double, attended: Double)?
}

/// One case as the report sees it: its state, the programme it is pinned to and its chain's head.
public struct ReportCase: Sendable {
    public var state: CaseState
    public var programme: Programme
    public var programmeHash: String
    public var head: String

    public init(state: CaseState, programme: Programme, programmeHash: String, head: String) {
        self.state = state
        self.programme = programme
        self.programmeHash = programmeHash
        self.head = head
    }
}

/// Builds the management report from every case's outcomes.
public enum FidelityAggregate {
    public struct Filter: Sendable {
        public var from: Day?
        public var to: Day?
        public var school: String?

        public init(from: Day? = nil, to: Day? = nil, school: String? = nil) {
            self.from = from
            self.to = to
            self.school = school
        }
    }

    /// The report over `all` cases (see `Accumulator`, which builds it one case at a time).
    public static func build(
        _ all: [ReportCase], asOf: Day, filter: Filter = Filter(), attendance: AttendanceHistory? = nil, team: TeamLog? = nil,
        evaluator: XPathEvaluator
    ) -> FidelityReport? {
        var accumulator = Accumulator(asOf: asOf, filter: filter, attendance: attendance, team: team, evaluator: evaluator)
        for c in all { accumulator.add(c) }
        return accumulator.finish()
    }

    static func summarise(_ c: Criterion, _ tally: Tally?) -> FidelityReport.CriterionSummary {
        let t = tally ?? Tally()
        return FidelityReport.CriterionSummary(
            id: c.id, title: c.title, dimension: c.dimension.rawValue, kind: c.kind.rawValue, threshold: c.threshold, weight: c.weight,
            inComposite: c.inComposite, compliant: t.compliant, total: t.total, assessedCases: t.assessed, notAssessableCases: t.notAssessable,
            notAssessableReasons: t.reasons)
    }

    /// The weighted mean of the assessable criteria that enter the index (A, S, D and T by default).
    static func compositeOf(_ summaries: [FidelityReport.CriterionSummary], cases: Int) -> FidelityReport.Composite {
        var weighted = 0.0, weights = 0.0
        for s in summaries where s.inComposite {
            guard let p = s.percent, s.weight > 0 else { continue }
            weighted += s.weight * p
            weights += s.weight
        }
        return FidelityReport.Composite(percent: weights > 0 ? weighted / weights : nil, cases: cases)
    }
}

extension String {
    /// Compares semantic versions ("1.10.0" after "1.9.0").
    func compare(_ other: String) -> Bool {
        let a = split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        let b = other.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        return a.lexicographicallyPrecedes(b)
    }
}
