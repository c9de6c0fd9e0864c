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

    public static func build(
        _ all: [ReportCase], asOf: Day, filter: Filter = Filter(), attendance: AttendanceHistory? = nil, evaluator: XPathEvaluator
    ) -> FidelityReport? {
        let cases = all.filter { c in
            if let school = filter.school, c.state.opened.school.lowercased() != school.lowercased() { return false }
            if let to = filter.to, c.state.opened.on > to { return false }
            if let from = filter.from, case .closed(let on, _) = c.state.status, on < from { return false }
            return true
        }
        guard let newest = cases.max(by: { $0.programme.version.compare($1.programme.version) }) ?? all.first else { return nil }
        let programme = newest.programme
        let asOf = filter.to.map { min($0, asOf) } ?? asOf
        let criteria = programme.criteria
        var outcomes: [[String: CriterionOutcome]] = []
        outcomes.reserveCapacity(cases.count)
        for c in cases {
            let list = FidelityEvaluator.evaluate(c.state, programme: c.programme, asOf: asOf, evaluator: evaluator, attendance: attendance)
            outcomes.append(Dictionary(list.map { ($0.criterion, $0) }, uniquingKeysWith: { a, _ in a }))
        }
        applyReportLevel(criteria, cases: cases, all: all, asOf: asOf, outcomes: &outcomes)
        let summaries = criteria.map { summarise($0, outcomes) }
        let composite = compositeOf(summaries, cases: cases.count)

        func group(_ key: (ReportCase) -> String) -> [FidelityReport.Group] {
            var indices: [String: [Int]] = [:]
            for (i, c) in cases.enumerated() { indices[key(c), default: []].append(i) }
            return indices.keys.sorted().map { name in
                let subset = indices[name]!.map { outcomes[$0] }
                let sums = criteria.map { summarise($0, subset) }
                var percents: [String: Double] = [:]
                for s in sums { if let p = s.percent { percents[s.id] = p } }
                return FidelityReport.Group(name: name, cases: subset.count, composite: compositeOf(sums, cases: subset.count), criteria: percents)
            }
        }

        var versions: [String: FidelityReport.ProgrammeVersion] = [:]
        for c in cases {
            versions[c.programmeHash, default: FidelityReport.ProgrammeVersion(
                id: c.programme.id, version: c.programme.version, hash: c.programmeHash, title: c.programme.title, cases: 0)].cases += 1
        }
        var deviations: [String: [String: Int]] = [:]
        var cancellations: [String: Int] = [:]
        for c in cases {
            for d in c.state.deviations where d.on <= asOf {
                let phase: String
                switch d.kind {
                case .gateOverridden: phase = d.subject
                case .stepSkipped, .sessionDeviation: phase = c.programme.phase(containingStep: d.subject)?.id ?? "?"
                }
                deviations[d.kind.rawValue, default: [:]][phase, default: 0] += 1
            }
            for x in c.state.cancellations where x.on <= asOf { cancellations[x.by.rawValue, default: 0] += 1 }
        }
        var phases: [String: LocalizedText] = [:]
        for p in programme.phases { phases[p.id] = p.title }
        return FidelityReport(
            programme: programme.id, versions: versions.values.sorted { ($0.version, $0.hash) < ($1.version, $1.hash) },
            asOf: asOf.description, from: filter.from?.description, to: filter.to?.description, school: filter.school,
            cases: cases.count, criteria: summaries, composite: composite,
            bySchool: group { $0.state.opened.school },
            byStartMonth: group { String($0.state.opened.on.description.prefix(7)) },
            deviations: deviations, cancellations: cancellations,
            timeliness: timeliness(cases, programme: programme, asOf: asOf, evaluator: evaluator),
            dosage: dosage(cases, programme: programme, asOf: asOf, evaluator: evaluator),
            outcomes: outcomesSection(cases, programme: programme, asOf: asOf, filter: filter, attendance: attendance),
            phases: phases, phaseOrder: programme.phases.map(\.id),
            chainHeads: Dictionary(cases.map { ($0.state.code, $0.head) }, uniquingKeysWith: { a, _ in a }))
    }

    static func summarise(_ c: Criterion, _ outcomes: [[String: CriterionOutcome]]) -> FidelityReport.CriterionSummary {
        var compliant = 0, total = 0, assessed = 0, notAssessable = 0
        var reasons: [String: Int] = [:]
        for o in outcomes {
            guard let outcome = o[c.id] else { continue }
            if outcome.isAssessable {
                compliant += outcome.compliant
                total += outcome.total
                assessed += 1
            } else {
                notAssessable += 1
                reasons[outcome.notAssessable?.sv ?? "", default: 0] += 1
            }
        }
        return FidelityReport.CriterionSummary(
            id: c.id, title: c.title, dimension: c.dimension.rawValue, kind: c.kind.rawValue, threshold: c.threshold, weight: c.weight,
            inComposite: c.inComposite, compliant: compliant, total: total, assessedCases: assessed, notAssessableCases: notAssessable,
            notAssessableReasons: reasons)
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
