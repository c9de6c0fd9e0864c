extension FidelityAggregate {
    /// The name the team's own chain goes by among the report's chain heads.
    public static let teamChainName = "team"

    /// One criterion's outcomes summed over cases.
    struct Tally {
        var compliant = 0, total = 0, assessed = 0, notAssessable = 0
        var reasons: [String: Int] = [:]

        /// `reasons`: whether to count why a case was not assessable (the groups do not show it).
        mutating func add(_ outcome: CriterionOutcome, reasons keep: Bool = true) {
            if outcome.isAssessable {
                compliant += outcome.compliant
                total += outcome.total
                assessed += 1
            } else {
                notAssessable += 1
                if keep { reasons[outcome.notAssessable?.sv ?? "", default: 0] += 1 }
            }
        }

        mutating func merge(_ other: Tally) {
            compliant += other.compliant
            total += other.total
            assessed += other.assessed
            notAssessable += other.notAssessable
            reasons.merge(other.reasons, uniquingKeysWith: +)
        }
    }

    /// A school's or a start month's cases and their tallies per criterion.
    struct GroupTally {
        var cases = 0
        /// By the accumulator's slot of each criterion id.
        var criteria: [Tally] = []

        mutating func add(_ outcome: CriterionOutcome, slot: Int) {
            if criteria.count <= slot { criteria += Array(repeating: Tally(), count: slot + 1 - criteria.count) }
            criteria[slot].add(outcome, reasons: false)
        }

        /// Takes in `other`'s tallies, whose slot `i` is this one's `slots[i]`.
        mutating func merge(_ other: GroupTally, slots: [Int]) {
            cases += other.cases
            for (i, t) in other.criteria.enumerated() {
                let slot = slots[i]
                if criteria.count <= slot { criteria += Array(repeating: Tally(), count: slot + 1 - criteria.count) }
                criteria[slot].merge(t)
            }
        }

        /// The tallies by criterion id.
        func byID(_ ids: [String]) -> [String: Tally] {
            var result: [String: Tally] = [:]
            for (slot, t) in criteria.enumerated() { result[ids[slot]] = t }
            return result
        }
    }

    /// What the accumulator needs of one programme version, worked out once instead of per case.
    struct ProgrammePlan {
        /// The accumulator's slot for each criterion, by its position in the programme; nil for a
        /// repeated id (a valid programme has none), which is counted once.
        var slots: [Int?]
        var kinds: [Criterion.Kind]
        /// The roles the caseload criteria count.
        var caseloadRoles: Set<String>
        var index: FidelityIndex
    }

    /// A phase's timeliness summed over cases.
    struct PhaseTally {
        var onTime = 0, total = 0, cases = 0
        /// The phase's length in active days → how many cases took that long (for the median).
        var durations: [Int: Int] = [:]

        mutating func merge(_ other: PhaseTally) {
            onTime += other.onTime
            total += other.total
            cases += other.cases
            durations.merge(other.durations, uniquingKeysWith: +)
        }
    }

    /// What a case's caseload outcome needs once every case's load is known. Cases alike in all of
    /// it are kept as one, with a count, so that memory does not grow with the cases.
    struct PendingCaseload: Hashable {
        var criterion: String
        var role: String
        var limit: Int
        var active: Bool
        var people: Set<String>
        var school: String
        var month: String
    }

    /// Builds the report one case at a time: it keeps sums, counts and a few small facts per case
    /// (for caseload, medians and the chain heads), never the cases themselves, so memory does not
    /// grow with the cases' events.
    ///
    /// Every case is evaluated against the programme version it is pinned to; the report is laid
    /// out (criteria, phases, steps) by the newest version among the cases it covers.
    public struct Accumulator {
        let asOf: Day
        let filter: Filter
        let attendance: AttendanceHistory?
        let team: TeamLog?
        let evaluator: XPathEvaluator

        var newest: Programme?
        var anyProgramme: Programme?
        var cases = 0
        /// By criterion slot (see `slot(for:)`).
        var overall: [Tally] = []
        /// Criterion id → slot, and back: one numbering across every programme version seen.
        var slotOf: [String: Int] = [:]
        var slotIDs: [String] = []
        var plans: [String: ProgrammePlan] = [:]
        /// The hash of `newest`, so that versions are compared only when the programme differs.
        var newestHash: String?
        var bySchool: [String: GroupTally] = [:]
        var byMonth: [String: GroupTally] = [:]
        var versions: [String: FidelityReport.ProgrammeVersion] = [:]
        var deviations: [String: [String: Int]] = [:]
        var cancellations: [String: Int] = [:]
        var phases: [String: PhaseTally] = [:]
        /// Step id → occurrences given → cases, for cases that left the step's phase.
        var dosage: [String: [Int: Int]] = [:]
        var outcomes = OutcomeTally()
        var chainHeads: [String: String] = [:]
        /// Role → person → active cases, over every case (a therapist's other schools count too).
        var load: [String: [String: Int]] = [:]
        var pending: [PendingCaseload: Int] = [:]

        /// `asOf` is the day the report looks from; with `filter.to` the earlier of the two.
        public init(
            asOf: Day, filter: Filter = Filter(), attendance: AttendanceHistory? = nil, team: TeamLog? = nil, evaluator: XPathEvaluator
        ) {
            self.asOf = filter.to.map { min($0, asOf) } ?? asOf
            self.filter = filter
            self.attendance = attendance
            self.team = team
            self.evaluator = evaluator
        }

        func includes(_ c: ReportCase) -> Bool {
            if let school = filter.school, c.state.opened.school.lowercased() != school.lowercased() { return false }
            if let to = filter.to, c.state.opened.on > to { return false }
            if let from = filter.from, case .closed(let on, _) = c.state.status, on < from { return false }
            return true
        }

        public mutating func add(_ c: ReportCase) {
            if anyProgramme == nil { anyProgramme = c.programme }
            let state = c.state
            let plan = plan(c)
            let active = isActive(state, asOf: asOf)
            if active {
                for role in plan.caseloadRoles {
                    for person in Set(state.staff[role] ?? []) { load[role, default: [:]][person, default: 0] += 1 }
                }
            }
            guard includes(c) else { return }
            cases += 1
            if newestHash != c.programmeHash, newest.map({ $0.version.compare(c.programme.version) }) ?? true {
                newest = c.programme
                newestHash = c.programmeHash
            }
            versions[c.programmeHash, default: FidelityReport.ProgrammeVersion(
                id: c.programme.id, version: c.programme.version, hash: c.programmeHash, title: c.programme.title, cases: 0)].cases += 1
            chainHeads[state.code] = c.head

            let school = state.opened.school
            let month = String(state.opened.on.description.prefix(7))
            bySchool[school, default: GroupTally()].cases += 1
            byMonth[month, default: GroupTally()].cases += 1
            // One outcome per criterion, in the programme's order.
            let facts = CaseFacts(
                state: state, programme: c.programme, index: plan.index, asOf: asOf, evaluator: evaluator, attendance: attendance, team: team)
            let outcomes = c.programme.criteria.map { facts.outcome($0) }
            for (index, outcome) in outcomes.enumerated() {
                guard let slot = plan.slots[index] else { continue }
                switch plan.kinds[index] {
                case .caseload:
                    let criterion = c.programme.criteria[index]
                    pending[PendingCaseload(
                        criterion: criterion.id, role: criterion.role ?? "", limit: Int(criterion.max ?? 5), active: active,
                        people: Set(state.staff[criterion.role ?? ""] ?? []), school: school, month: month), default: 0] += 1
                case .reach:
                    tally(reach(outcome.criterion, state, asOf: asOf), slot: slot, school: school, month: month)
                default:
                    tally(outcome, slot: slot, school: school, month: month)
                }
            }
            addDeviations(c, plan: plan)
            addTimeliness(c, facts: facts)
            addDosage(c, facts: facts)
            self.outcomes.add(c, asOf: asOf, filter: filter, attendance: attendance)
        }

        mutating func slot(for id: String) -> Int {
            if let known = slotOf[id] { return known }
            slotOf[id] = slotIDs.count
            slotIDs.append(id)
            overall.append(Tally())
            return slotIDs.count - 1
        }

        /// The plan of the case's programme version, made the first time it is seen.
        mutating func plan(_ c: ReportCase) -> ProgrammePlan {
            if let known = plans[c.programmeHash] { return known }
            let p = c.programme
            var seen: Set<String> = []
            let plan = ProgrammePlan(
                slots: p.criteria.map { seen.insert($0.id).inserted ? slot(for: $0.id) : nil }, kinds: p.criteria.map(\.kind),
                caseloadRoles: Set(p.criteria.filter { $0.kind == .caseload }.map { $0.role ?? "" }), index: FidelityIndex(p))
            plans[c.programmeHash] = plan
            return plan
        }

        mutating func tally(_ outcome: CriterionOutcome, slot: Int, school: String, month: String) {
            overall[slot].add(outcome)
            bySchool[school, default: GroupTally()].add(outcome, slot: slot)
            byMonth[month, default: GroupTally()].add(outcome, slot: slot)
        }

        mutating func addDeviations(_ c: ReportCase, plan: ProgrammePlan) {
            for d in c.state.deviations where d.on <= asOf {
                let phase: String
                switch d.kind {
                case .gateOverridden: phase = d.subject
                case .stepSkipped, .sessionDeviation: phase = plan.index.stepsByID[d.subject]?.phase ?? "?"
                }
                deviations[d.kind.rawValue, default: [:]][phase, default: 0] += 1
            }
            for x in c.state.cancellations where x.on <= asOf { cancellations[x.by.rawValue, default: 0] += 1 }
        }

        mutating func addTimeliness(_ c: ReportCase, facts: CaseFacts) {
            for phase in c.programme.phases where !phase.isFollowUp {
                let outcome = facts.timeliness(steps: facts.index.stepsByPhase[phase.id] ?? [], id: phase.id)
                var t = phases[phase.id] ?? PhaseTally()
                t.onTime += outcome.compliant
                t.total += outcome.total
                if outcome.total > 0 { t.cases += 1 }
                if let v = facts.visit(phase.id), let left = v.left { t.durations[facts.activeDays(v.entered, left), default: 0] += 1 }
                phases[phase.id] = t
            }
        }

        mutating func addDosage(_ c: ReportCase, facts: CaseFacts) {
            for phase in c.programme.phases where !phase.isFollowUp {
                guard facts.visit(phase.id)?.left != nil else { continue }
                for step in facts.index.stepsByPhase[phase.id] ?? [] where (step.recurrence?.min ?? 0) > 0 {
                    dosage[step.id, default: [:]][facts.done(step).count, default: 0] += 1
                }
            }
        }

        /// Takes in what `other` accumulated over other cases, as if this one had seen them too (every
        /// part is a sum, a count or a list whose order the report does not read), so that cases can be
        /// evaluated on several threads, one accumulator each.
        public mutating func merge(_ other: Accumulator) {
            if let theirs = other.newest, newest.map({ $0.version.compare(theirs.version) }) ?? true {
                newest = theirs
                newestHash = other.newestHash
            }
            if anyProgramme == nil { anyProgramme = other.anyProgramme }
            cases += other.cases
            let slots = other.slotIDs.map { slot(for: $0) }
            for (i, t) in other.overall.enumerated() { overall[slots[i]].merge(t) }
            for (name, g) in other.bySchool { bySchool[name, default: GroupTally()].merge(g, slots: slots) }
            for (name, g) in other.byMonth { byMonth[name, default: GroupTally()].merge(g, slots: slots) }
            for (hash, v) in other.versions {
                if versions[hash] == nil { versions[hash] = v } else { versions[hash]!.cases += v.cases }
            }
            for (kind, byPhase) in other.deviations {
                for (phase, n) in byPhase { deviations[kind, default: [:]][phase, default: 0] += n }
            }
            for (by, n) in other.cancellations { cancellations[by, default: 0] += n }
            for (id, t) in other.phases { phases[id, default: PhaseTally()].merge(t) }
            for (step, counts) in other.dosage {
                for (count, n) in counts { dosage[step, default: [:]][count, default: 0] += n }
            }
            outcomes.merge(other.outcomes)
            chainHeads.merge(other.chainHeads) { mine, _ in mine }
            for (role, people) in other.load {
                for (person, n) in people { load[role, default: [:]][person, default: 0] += n }
            }
            pending.merge(other.pending, uniquingKeysWith: +)
        }

        /// The report, or nil when the store has no cases at all.
        public func finish() -> FidelityReport? {
            guard let programme = newest ?? anyProgramme else { return nil }
            var overall: [String: Tally] = [:]
            for (slot, t) in self.overall.enumerated() { overall[slotIDs[slot]] = t }
            var bySchool = bySchool.mapValues { (cases: $0.cases, criteria: $0.byID(slotIDs)) }
            var byMonth = byMonth.mapValues { (cases: $0.cases, criteria: $0.byID(slotIDs)) }
            for (p, count) in pending {
                let outcome = caseload(p.criterion, active: p.active, people: p.people, load: load[p.role] ?? [:], limit: p.limit)
                for _ in 0..<count {
                    overall[p.criterion, default: Tally()].add(outcome)
                    bySchool[p.school, default: (0, [:])].criteria[p.criterion, default: Tally()].add(outcome)
                    byMonth[p.month, default: (0, [:])].criteria[p.criterion, default: Tally()].add(outcome)
                }
            }
            let criteria = programme.criteria
            let summaries = criteria.map { summarise($0, overall[$0.id]) }
            func groups(_ tallies: [String: (cases: Int, criteria: [String: Tally])]) -> [FidelityReport.Group] {
                tallies.keys.sorted().map { name in
                    let g = tallies[name]!
                    let sums = criteria.map { summarise($0, g.criteria[$0.id]) }
                    var percents: [String: Double] = [:]
                    for s in sums { if let p = s.percent { percents[s.id] = p } }
                    return FidelityReport.Group(name: name, cases: g.cases, composite: compositeOf(sums, cases: g.cases), criteria: percents)
                }
            }
            var chainHeads = chainHeads
            if let head = team?.head { chainHeads[teamChainName] = head }
            var titles: [String: LocalizedText] = [:]
            for p in programme.phases { titles[p.id] = p.title }
            return FidelityReport(
                programme: programme.id, versions: versions.values.sorted { ($0.version, $0.hash) < ($1.version, $1.hash) },
                asOf: asOf.description, from: filter.from?.description, to: filter.to?.description, school: filter.school,
                cases: cases, criteria: summaries, composite: compositeOf(summaries, cases: cases),
                bySchool: groups(bySchool), byStartMonth: groups(byMonth),
                deviations: deviations, cancellations: cancellations,
                timeliness: programme.phases.filter { !$0.isFollowUp }.map { phase in
                    let t = phases[phase.id] ?? PhaseTally()
                    return FidelityReport.Timeliness(
                        phase: phase.id, title: phase.title, onTime: t.onTime, total: t.total, cases: t.cases, medianDays: median(counts: t.durations),
                        nominalDays: phase.duration?.approximateDays)
                },
                dosage: programme.phases.filter { !$0.isFollowUp }.flatMap(\.steps).compactMap { step -> FidelityReport.Dosage? in
                    guard let minimum = step.recurrence?.min, minimum > 0 else { return nil }
                    let counts = dosage[step.id] ?? [:]
                    let cases = counts.values.reduce(0, +)
                    return FidelityReport.Dosage(
                        step: step.id, title: step.title, minimum: minimum, cases: cases,
                        reachedMinimum: counts.filter { $0.key >= minimum }.values.reduce(0, +),
                        meanOccurrences: cases == 0 ? nil : Double(counts.reduce(0) { $0 + $1.key * $1.value }) / Double(cases))
                },
                outcomes: outcomes.report(),
                phases: titles, phaseOrder: programme.phases.map(\.id), chainHeads: chainHeads)
        }
    }
}
