extension FidelityAggregate {
    /// The name the team's own chain goes by among the report's chain heads.
    public static let teamChainName = "team"

    /// One criterion's outcomes summed over cases.
    struct Tally {
        var compliant = 0, total = 0, assessed = 0, notAssessable = 0
        /// Why cases were not assessable (the Swedish text) and how many: a handful of reasons at
        /// most, so a list searched in turn, cheaper per case than hashing the text.
        var counted: [(reason: String, cases: Int)] = []

        var reasons: [String: Int] { Dictionary(counted, uniquingKeysWith: +) }

        /// `reasons`: whether to count why a case was not assessable (the groups do not show it).
        mutating func add(_ outcome: CriterionOutcome, reasons keep: Bool = true) {
            if outcome.isAssessable {
                compliant += outcome.compliant
                total += outcome.total
                assessed += 1
            } else {
                notAssessable += 1
                if keep { count(outcome.notAssessable?.sv ?? "", 1) }
            }
        }

        private mutating func count(_ reason: String, _ n: Int) {
            if let i = counted.firstIndex(where: { $0.reason == reason }) {
                counted[i].cases += n
            } else {
                counted.append((reason, n))
            }
        }

        mutating func merge(_ other: Tally) {
            compliant += other.compliant
            total += other.total
            assessed += other.assessed
            notAssessable += other.notAssessable
            for (reason, n) in other.counted { count(reason, n) }
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
        var programme: Programme
        var hash: String
        /// The accumulator's slot for each criterion, by its position in the programme; nil for a
        /// repeated id (a valid programme has none), which is counted once.
        var slots: [Int?]
        /// The roles the caseload criteria count.
        var caseloadRoles: Set<String>
        var index: FidelityIndex
    }

    /// What was summed over the cases of one programme version, by the places of its phases and
    /// steps (a lookup by position per case, not by id); folded together by id when the report is
    /// finished, since versions may differ in their phases and steps.
    struct PlanTally {
        var cases = 0
        /// By position in `FidelityIndex.phases`.
        var phases: [PhaseTally]
        /// By position in `FidelityIndex.steps`: occurrences given → cases, for cases that left the
        /// step's phase (only steps with a minimum dose).
        var dosage: [[Int: Int]]

        init(_ index: FidelityIndex) {
            phases = Array(repeating: PhaseTally(), count: index.phases.count)
            dosage = Array(repeating: [:], count: index.steps.count)
        }

        mutating func merge(_ other: PlanTally) {
            cases += other.cases
            for i in phases.indices { phases[i].merge(other.phases[i]) }
            for i in dosage.indices { dosage[i].merge(other.dosage[i], uniquingKeysWith: +) }
        }
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
        /// Programme hash → place in `plans` (and `planTallies`); `lastPlan` is the previous case's,
        /// nearly always the next one's too.
        var planNumbers: [String: Int] = [:]
        var plans: [ProgrammePlan] = []
        var planTallies: [PlanTally] = []
        var lastPlan: Int?
        /// The hash of `newest`, so that versions are compared only when the programme differs.
        var newestHash: String?
        var bySchool: [String: GroupTally] = [:]
        var byMonth: [String: GroupTally] = [:]
        var deviations: [String: [String: Int]] = [:]
        var cancellations: [String: Int] = [:]
        var outcomes = OutcomeTally()
        var chainHeads = ChainHeads()
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
            let number = planNumber(c.programmeHash, c.programme)
            let plan = plans[number]
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
            planTallies[number].cases += 1
            chainHeads.append(state.code, c.head)

            let school = state.opened.school
            let month = String(state.opened.on.description.prefix(7))
            // The case's two groups are taken out for the case and put back after it: one lookup each
            // per case, not one per criterion.
            var schoolGroup = bySchool.removeValue(forKey: school) ?? GroupTally()
            var monthGroup = byMonth.removeValue(forKey: month) ?? GroupTally()
            defer {
                bySchool[school] = schoolGroup
                byMonth[month] = monthGroup
            }
            schoolGroup.cases += 1
            monthGroup.cases += 1
            // One outcome per criterion, in the programme's order.
            let facts = CaseFacts(
                state: state, programme: c.programme, index: plan.index, asOf: asOf, evaluator: evaluator, attendance: attendance, team: team)
            for (index, criterion) in plan.index.criteria.enumerated() {
                guard let slot = plan.slots[index] else { continue }
                switch criterion.kind {
                case .caseload:
                    let role = criterion.role ?? ""
                    pending[PendingCaseload(
                        criterion: criterion.id, role: role, limit: Int(criterion.max ?? 5), active: active,
                        people: Set(state.staff[role] ?? []), school: school, month: month), default: 0] += 1
                case .reach:
                    let outcome = reach(criterion.id, state, asOf: asOf)
                    overall[slot].add(outcome)
                    schoolGroup.add(outcome, slot: slot)
                    monthGroup.add(outcome, slot: slot)
                default:
                    let outcome = facts.outcome(criterion)
                    overall[slot].add(outcome)
                    schoolGroup.add(outcome, slot: slot)
                    monthGroup.add(outcome, slot: slot)
                }
            }
            addDeviations(c, plan: plan)
            addTimeliness(facts, plan: number)
            addDosage(facts, plan: number)
            self.outcomes.add(c, asOf: asOf, filter: filter, attendance: attendance)
        }

        mutating func slot(for id: String) -> Int {
            if let known = slotOf[id] { return known }
            slotOf[id] = slotIDs.count
            slotIDs.append(id)
            overall.append(Tally())
            return slotIDs.count - 1
        }

        /// The place in `plans` of the programme version with this hash, its plan made the first
        /// time it is seen.
        mutating func planNumber(_ hash: String, _ p: Programme) -> Int {
            if let last = lastPlan, plans[last].hash == hash { return last }
            if let known = planNumbers[hash] {
                lastPlan = known
                return known
            }
            var seen: Set<String> = []
            let index = FidelityIndex(p)
            plans.append(ProgrammePlan(
                programme: p, hash: hash,
                slots: p.criteria.map { seen.insert($0.id).inserted ? slot(for: $0.id) : nil },
                caseloadRoles: Set(p.criteria.filter { $0.kind == .caseload }.map { $0.role ?? "" }), index: index))
            planTallies.append(PlanTally(index))
            planNumbers[hash] = plans.count - 1
            lastPlan = plans.count - 1
            return plans.count - 1
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

        mutating func addTimeliness(_ facts: CaseFacts, plan: Int) {
            for (i, phase) in facts.index.phases.enumerated() where !phase.isFollowUp {
                let outcome = facts.timeliness(steps: phase.steps, id: phase.id)
                planTallies[plan].phases[i].onTime += outcome.compliant
                planTallies[plan].phases[i].total += outcome.total
                if outcome.total > 0 { planTallies[plan].phases[i].cases += 1 }
                if let v = facts.visits[i], let left = v.left {
                    planTallies[plan].phases[i].durations[facts.activeDays(v.entered, left), default: 0] += 1
                }
            }
        }

        mutating func addDosage(_ facts: CaseFacts, plan: Int) {
            for (i, phase) in facts.index.phases.enumerated() where !phase.isFollowUp {
                guard facts.visits[i]?.left != nil else { continue }
                for step in phase.steps where (step.recurrence?.min ?? 0) > 0 {
                    planTallies[plan].dosage[step.index][facts.done(step).count, default: 0] += 1
                }
            }
        }

        /// Every version's phase tallies and doses, by phase and step id.
        func tallies() -> (phases: [String: PhaseTally], dosage: [String: [Int: Int]]) {
            var phases: [String: PhaseTally] = [:]
            var dosage: [String: [Int: Int]] = [:]
            for (plan, t) in zip(plans, planTallies) {
                for (i, phase) in plan.index.phases.enumerated() where !phase.isFollowUp {
                    phases[phase.id, default: PhaseTally()].merge(t.phases[i])
                }
                for (i, step) in plan.index.steps.enumerated() where !t.dosage[i].isEmpty {
                    dosage[step.id, default: [:]].merge(t.dosage[i], uniquingKeysWith: +)
                }
            }
            return (phases, dosage)
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
            for (plan, t) in zip(other.plans, other.planTallies) {
                planTallies[planNumber(plan.hash, plan.programme)].merge(t)
            }
            for (kind, byPhase) in other.deviations {
                for (phase, n) in byPhase { deviations[kind, default: [:]][phase, default: 0] += n }
            }
            for (by, n) in other.cancellations { cancellations[by, default: 0] += n }
            outcomes.merge(other.outcomes)
            chainHeads.append(contentsOf: other.chainHeads)
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
            if let head = team?.head { chainHeads.append(teamChainName, head) }
            chainHeads = chainHeads.sorted()
            let (phases, dosage) = tallies()
            let versions = zip(plans, planTallies).filter { $0.1.cases > 0 }.map { plan, t in
                FidelityReport.ProgrammeVersion(
                    id: plan.programme.id, version: plan.programme.version, hash: plan.hash, title: plan.programme.title, cases: t.cases)
            }
            var titles: [String: LocalizedText] = [:]
            for p in programme.phases { titles[p.id] = p.title }
            return FidelityReport(
                programme: programme.id, versions: versions.sorted { ($0.version, $0.hash) < ($1.version, $1.hash) },
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
