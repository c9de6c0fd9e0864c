/// What is due, overdue, waiting and done in a case's current phase, and why.
public struct CaseAgenda: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public enum Status: Hashable, Sendable {
            /// Can be done now.
            case available
            /// Waits for these steps to be completed first.
            case waiting(for: [String])
            /// Needs these consents, valid today, before it can start.
            case needsConsent([String])
            /// The step's condition is false for this case (for example a module not chosen).
            case notApplicable
            /// Done (a repeated step with its maximum reached, too).
            case done
            /// Skipped with a documented reason.
            case skipped
        }

        public var step: String
        public var phase: String
        public var status: Status
        /// Counts the step towards the phase's requirements.
        public var isRequired: Bool
        /// The occurrence that comes next (1 for the first), and how many the manual asks for.
        public var nextOccurrence: Int
        public var minimumOccurrences: Int?
        public var completed: Int
        /// When the next occurrence is due, and from when it may be held.
        public var due: Day?
        public var earliest: Day?
        public var isOverdue: Bool
    }

    public var phase: String?
    public var items: [Item]

    /// Steps that can be done now, overdue first, then by due date.
    public var actionable: [Item] {
        items.filter { if case .available = $0.status { true } else { false } }
            .sorted { a, b in
                if a.isOverdue != b.isOverdue { return a.isOverdue }
                return (a.due?.number ?? Int.max, a.step) < (b.due?.number ?? Int.max, b.step)
            }
    }

    public var overdue: [Item] { items.filter(\.isOverdue) }

    /// Required steps of the phase that are neither done (at least their minimum) nor skipped.
    public var unmetRequirements: [Item] {
        items.filter { item in
            guard item.isRequired else { return false }
            switch item.status {
            case .skipped, .notApplicable: return false
            case .done: return false
            case .available, .waiting, .needsConsent:
                return item.completed < max(1, item.minimumOccurrences ?? 1)
            }
        }
    }
}

extension CaseMachine {
    /// The agenda of the case's current phase on `today`.
    public static func agenda(
        _ state: CaseState, programme: Programme, today: Day, evaluator: XPathEvaluator, attendance: AttendanceSource? = nil
    ) -> CaseAgenda {
        guard let phaseID = state.currentPhase, let phase = programme.phase(phaseID) else {
            return CaseAgenda(phase: state.currentPhase, items: [])
        }
        // A case closed without going on to follow-up has nothing more to do.
        if state.isClosed, !phase.isFollowUp { return CaseAgenda(phase: phaseID, items: []) }
        let environment = CaseEnvironment(state: state, programme: programme, today: today, attendance: attendance)
        let items = phase.steps.map { step in
            agendaItem(step, phase: phase, state: state, programme: programme, today: today, environment: environment, evaluator: evaluator)
        }
        return CaseAgenda(phase: phaseID, items: items)
    }

    /// `consentDay` is the day consents must be valid on (the day of the session being recorded;
    /// today when only looking).
    static func agendaItem(
        _ step: Step, phase: Phase, state: CaseState, programme: Programme, today: Day, environment: CaseEnvironment,
        evaluator: XPathEvaluator, consentDay: Day? = nil
    ) -> CaseAgenda.Item {
        let completed = state.completedCount(step.id)
        let applies: Bool
        switch step.requirement {
        case .conditional:
            applies = step.condition.map { (try? evaluator.test($0.source, in: environment)) == true } ?? false
        case .required, .optional:
            applies = true
        }
        let minimum = step.recurrence.map { $0.min ?? 1 }
        var status: CaseAgenda.Item.Status
        if state.skipped[step.id] != nil {
            status = .skipped
        } else if !applies {
            status = .notApplicable
        } else if let recurrence = step.recurrence {
            let maxReached = recurrence.max.map { completed >= $0 } ?? false
            let stillWanted = completed == 0 || (recurrence.whileCondition.map { (try? evaluator.test($0.source, in: environment)) == true } ?? true)
            status = maxReached || !stillWanted ? .done : .available
        } else {
            status = completed > 0 ? .done : .available
        }
        if status == .available {
            let waiting = step.after.filter { state.completedCount($0) == 0 && state.skipped[$0] == nil }
            let consentDay = consentDay ?? today
            let missingConsent = step.consents.filter { id in !state.consents.contains { $0.consent == id && $0.isValid(on: consentDay) } }
            if !waiting.isEmpty {
                status = .waiting(for: waiting)
            } else if !missingConsent.isEmpty {
                status = .needsConsent(missingConsent)
            }
        }
        let (due, earliest) = dueDates(step, phase: phase, state: state, completed: completed, today: today)
        let open: Bool
        switch status {
        case .available, .needsConsent, .waiting: open = true
        case .done, .skipped, .notApplicable: open = false
        }
        return CaseAgenda.Item(
            step: step.id, phase: phase.id, status: status,
            isRequired: step.requirement == .required || (step.requirement == .conditional && applies),
            nextOccurrence: completed + 1, minimumOccurrences: minimum, completed: completed, due: due, earliest: earliest,
            isOverdue: open && !state.isPaused && (due.map { $0 < today } ?? false))
    }

    /// When the next occurrence is due: the first from the step's window (net of paused days), later
    /// ones of a repeated step `every` after the previous.
    static func dueDates(_ step: Step, phase: Phase, state: CaseState, completed: Int, today: Day) -> (Day?, Day?) {
        let phaseStart = state.phases.last(where: { $0.phase == phase.id })?.entered
        if let recurrence = step.recurrence, completed > 0, let last = state.completions[step.id]?.last?.on {
            return (state.shifted(last, by: recurrence.every), nil)
        }
        guard let due = step.due, let anchor = state.anchorDay(of: due, phaseStart: phaseStart) else { return (nil, nil) }
        return (state.shifted(anchor, by: due.to), due.from.map { state.shifted(anchor, by: $0) })
    }
}
