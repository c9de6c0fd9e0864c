/// Fidelity, computed, never typed in: a pure function of (programme, a case, as-of day) → one outcome
/// per criterion of the programme, generic over the criterion kinds a programme file can name.
public enum FidelityEvaluator {
    /// The outcomes of every criterion for one case. Report-level kinds (caseload, reach) come from
    /// `FidelityAggregate`. `attendance` is the imported school attendance (nil when none was
    /// imported), read by `attendance-data` criteria; `team` is the team's log of meetings and
    /// supervision (nil or empty when none was recorded), read by `team-meeting` and `supervision`.
    ///
    /// `index` is the programme's `FidelityIndex`; give it when evaluating many cases of one version.
    public static func evaluate(
        _ state: CaseState, programme: Programme, asOf: Day, evaluator: XPathEvaluator, attendance: AttendanceHistory? = nil,
        team: TeamLog? = nil, index: FidelityIndex? = nil
    ) -> [CriterionOutcome] {
        let facts = CaseFacts(
            state: state, programme: programme, index: index ?? FidelityIndex(programme), asOf: asOf, evaluator: evaluator,
            attendance: attendance, team: team)
        return facts.index.criteria.map { facts.outcome($0) }
    }
}

/// What the criteria read from one case.
struct CaseFacts {
    let state: CaseState
    let programme: Programme
    let index: FidelityIndex
    let asOf: Day
    let evaluator: XPathEvaluator
    var attendance: AttendanceHistory?
    var team: TeamLog?
    /// Each step's completions up to the report's day, by the step's place in `index.steps`
    /// (looked up once per case, not once per criterion).
    let done: [[StepCompleted]]
    /// The case's last visit to each phase, by the phase's place in `index.phases`.
    let visits: [CaseState.PhaseVisit?]
    /// Every form submitted with a completed step (whatever its day), with the step's day.
    let submitted: [(on: Day, submission: FormSubmission)]

    init(
        state: CaseState, programme: Programme, index: FidelityIndex, asOf: Day, evaluator: XPathEvaluator,
        attendance: AttendanceHistory? = nil, team: TeamLog? = nil
    ) {
        self.state = state
        self.programme = programme
        self.index = index
        self.asOf = asOf
        self.evaluator = evaluator
        self.attendance = attendance
        self.team = team
        // One pass over the case's completions (a few dozen steps), not a lookup per programme step.
        var done = [[StepCompleted]](repeating: [], count: index.steps.count)
        var submitted: [(on: Day, submission: FormSubmission)] = []
        for (step, list) in state.completions {
            if let info = index.stepsByID[step] { done[info.index] = Self.upTo(asOf, list) }
            for i in list.indices where !list[i].forms.isEmpty {
                for submission in list[i].forms { submitted.append((list[i].on, submission)) }
            }
        }
        self.done = done
        self.submitted = submitted
        visits = index.phases.map { phase in state.phases.last { $0.phase == phase.id } }
    }

    /// `all` up to `day` (nearly always all of them: then the array itself, not a copy).
    static func upTo(_ day: Day, _ all: [StepCompleted]?) -> [StepCompleted] {
        guard let all else { return [] }
        return all.contains { $0.on > day } ? all.filter { $0.on <= day } : all
    }

    /// The step's completions up to the report's day.
    func done(_ step: FidelityIndex.StepInfo) -> [StepCompleted] { done[step.index] }

    func visit(_ phase: String) -> CaseState.PhaseVisit? { state.phases.last { $0.phase == phase } }

    /// The case's last visit to the step's phase.
    func visit(of step: FidelityIndex.StepInfo) -> CaseState.PhaseVisit? { visits[step.phaseIndex] }

    func end(of visit: CaseState.PhaseVisit) -> Day { visit.left ?? asOf }

    func activeDays(_ from: Day, _ to: Day) -> Int { max(0, (to - from) - state.pausedDays(from: from, to: to)) }

    /// The completions up to the report's day of the step `step` names.
    func completions(_ step: String) -> [StepCompleted] {
        if let info = index.stepsByID[step] { return done(info) }
        return Self.upTo(asOf, state.completions[step])
    }

    /// Every form submitted by the report's day, in no particular order.
    func submissions(of form: String) -> [FormSubmission] {
        submitted.compactMap { $0.on <= asOf && $0.submission.form == form ? $0.submission : nil }
    }

    func steps(of criterion: FidelityIndex.CriterionInfo) -> [FidelityIndex.StepInfo] { index.steps(of: criterion) }

    func firstDay(of id: String) -> Day? {
        if let phase = programme.phase(id) { return visit(phase.id).map(\.entered) }
        return completions(id).first?.on
    }

    func outcome(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        let id = c.id
        switch c.kind {
        case .coverage:
            guard let phase = c.phase, let steps = index.stepsByPhase[phase], let v = visit(phase) else { return .none(id, FidelityReasons.phaseNotReached) }
            guard v.left != nil else { return .none(id, FidelityReasons.phaseNotFinished) }
            var completed = 0, required = 0
            for step in steps where step.requirement != .optional {
                let isDone = !done(step).isEmpty
                guard step.requirement == .required || isDone else { continue }
                required += 1
                if isDone { completed += 1 }
            }
            return CriterionOutcome(criterion: id, compliant: completed, total: required)
        case .sequence:
            guard let step = c.step, let before = c.before else { return .none(id, FidelityReasons.noData) }
            guard let later = firstDay(of: before) else { return .none(id, FidelityReasons.noData) }
            guard let first = completions(step).first?.on else { return .met(id, false) }
            return .met(id, first <= later)
        case .phaseDuration:
            guard let phase = c.phase, let v = visit(phase) else { return .none(id, FidelityReasons.phaseNotReached) }
            guard let left = v.left else { return .none(id, FidelityReasons.phaseNotFinished) }
            let days = activeDays(v.entered, left)
            let low = c.from?.approximateDays ?? 0, high = c.to?.approximateDays ?? Int.max
            return .met(id, days >= low && days <= high)
        case .timeliness:
            return timeliness(c)
        case .formBefore:
            guard let form = c.form, let before = c.before, let v = visit(before) else { return .none(id, FidelityReasons.phaseNotReached) }
            return .met(id, submitted.contains { $0.on <= v.entered && $0.submission.form == form })
        case .moduleMatch:
            return moduleMatch(c)
        case .participation:
            let done = completions(c.step ?? "")
            var sessions = 0, withEveryRole = 0
            for i in done.indices where done[i].session != nil {
                sessions += 1
                if c.roles.allSatisfy({ done[i].session!.participants.contains($0) }) { withEveryRole += 1 }
            }
            guard sessions > 0 else { return .none(id, FidelityReasons.noSessions) }
            return CriterionOutcome(criterion: id, compliant: withEveryRole, total: sessions)
        case .place:
            return place(c)
        case .dosage:
            return dosage(c)
        case .contactMinutes:
            guard let phase = c.phase, let steps = index.stepsByPhase[phase], let v = visit(phase) else { return .none(id, FidelityReasons.phaseNotReached) }
            guard v.left != nil else { return .none(id, FidelityReasons.phaseNotFinished) }
            var minutes = 0
            for step in steps {
                let done = done(step)
                for i in done.indices { minutes += done[i].session?.minutes ?? 0 }
            }
            return .met(id, Double(minutes) >= (c.min ?? 0))
        case .cadence:
            let days = completions(c.step ?? "").map(\.on)
            guard days.count >= 2, let gap = c.maxGap else { return .none(id, FidelityReasons.tooFewOccurrences) }
            let gaps = zip(days, days.dropFirst()).map { activeDays($0, $1) }
            return CriterionOutcome(criterion: id, compliant: gaps.filter { $0 <= gap.approximateDays }.count, total: gaps.count)
        case .checklist:
            var delivered = 0, applicable = 0
            for step in steps(of: c) where !step.requiredChecklist.isEmpty {
                let done = done(step)
                for i in done.indices where !done[i].checklist.isEmpty {
                    for item in step.requiredChecklist {
                        switch done[i].checklist[item] {
                        case .delivered?: delivered += 1; applicable += 1
                        case .notDelivered?, nil: applicable += 1
                        case .notApplicable?: break
                        }
                    }
                }
            }
            return CriterionOutcome(criterion: id, compliant: delivered, total: applicable, notAssessable: FidelityReasons.noSessions)
        case .formCompleteness:
            guard let formID = c.form, let form = programme.form(formID) else { return .none(id, FidelityReasons.noData) }
            let submissions = submissions(of: formID)
            guard !submissions.isEmpty else { return .none(id, FidelityReasons.noSubmissions) }
            let engine = FormEngine(form: form, programme: programme, evaluator: evaluator)
            let complete = submissions.filter { engine.evaluate($0.answers, today: asOf.number).isComplete }.count
            return CriterionOutcome(criterion: id, compliant: complete, total: submissions.count)
        case .responsiveness:
            // Sessions only: registrations and team decisions are not meetings the family can miss.
            let sessions = steps(of: c).filter(\.isSession)
            var held = 0
            for step in sessions {
                held += done(step).count
            }
            var cancelled = 0
            for x in state.cancellations where (x.by == .familj || x.by == .elev) && x.on <= asOf && sessions.contains(where: { $0.id == x.step }) {
                cancelled += 1
            }
            return CriterionOutcome(criterion: id, compliant: held, total: held + cancelled, notAssessable: FidelityReasons.noSessions)
        case .rating:
            guard let formID = c.form, let field = c.field else { return .none(id, FidelityReasons.noData) }
            let values = submissions(of: formID).compactMap { $0.answers[field]?.numericValue ?? $0.scores[field].flatMap(Double.init) }
            return CriterionOutcome(criterion: id, compliant: values.filter { $0 >= (c.min ?? 0) }.count, total: values.count, notAssessable: FidelityReasons.noSubmissions)
        case .deviations:
            let deviations = state.deviations.filter { $0.on <= asOf }
            return CriterionOutcome(
                criterion: id, compliant: deviations.filter { $0.reason.trimmingWhitespace.count >= 2 }.count, total: deviations.count,
                notAssessable: FidelityReasons.noDeviations)
        case .completedBeforeClosure:
            guard case .closed(let on, let reason) = state.status, reason.isCompletion, on <= asOf else { return .none(id, FidelityReasons.notClosed) }
            return .met(id, c.steps.allSatisfy { step in completions(step).contains { $0.on <= on } })
        case .gateEvidence:
            guard let phase = c.phase, let v = visit(phase) else { return .none(id, FidelityReasons.phaseNotReached) }
            // The engine lets a case into a phase only with its gates holding or an override with a
            // documented reason, so every entry is explained; an override without a reason would not be.
            let previous = programme.phases.firstIndex { $0.id == phase }.flatMap { $0 > 0 ? programme.phases[$0 - 1].id : nil }
            let override = state.deviations.first { $0.kind == .gateOverridden && $0.subject == previous && $0.on == v.entered }
            return .met(id, override.map { $0.reason.trimmingWhitespace.count >= 2 } ?? true)
        case .attendanceData:
            return attendanceData(c)
        case .staffing:
            return staffing(c)
        case .consent:
            var ok = 0, total = 0
            for step in index.consentSteps {
                let done = done(step)
                guard !done.isEmpty else { continue }
                // The case's consents of each id the step needs, matched once per step, not per completion.
                let needed = step.consents.map { id in state.consents.filter { $0.consent == id } }
                for i in done.indices {
                    total += 1
                    let on = done[i].on
                    if needed.allSatisfy({ consents in consents.contains { $0.isValid(on: on) } }) { ok += 1 }
                }
            }
            return CriterionOutcome(criterion: id, compliant: ok, total: total, notAssessable: FidelityReasons.noSessions)
        case .teamMeeting:
            return teamMeetings(c)
        case .supervision:
            return supervision(c)
        case .caseload, .reach:
            return .none(id, FidelityReasons.reportLevel)
        }
    }
}
