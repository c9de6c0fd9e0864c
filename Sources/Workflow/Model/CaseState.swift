/// Everything known about one case: a pure fold of its events (`CaseMachine.evolve`).
public struct CaseState: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        case active
        case paused(since: Day, reason: String)
        case closed(on: Day, reason: CloseReason)
    }

    public struct PhaseVisit: Hashable, Sendable {
        public var phase: String
        public var entered: Day
        public var left: Day?
    }

    public struct Pause: Hashable, Sendable {
        public var from: Day
        public var to: Day?
        public var reason: String
    }

    /// A departure from the manual: a skipped step, an overridden gate, or a session that deviated.
    public struct Deviation: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable {
            case stepSkipped = "steg-hoppat-over"
            case gateOverridden = "grind-forbigangen"
            case sessionDeviation = "avvikelse-i-samtal"
        }

        public var kind: Kind
        public var subject: String
        public var on: Day
        public var reason: String
        public var actor: String?
    }

    public struct Consent: Hashable, Sendable {
        public var consent: String
        public var givenBy: String
        public var validFrom: Day
        public var validUntil: Day?
        public var recordedOn: Day
        public var revokedOn: Day?

        public func isValid(on day: Day) -> Bool {
            day >= validFrom && (validUntil.map { day <= $0 } ?? true) && (revokedOn.map { day < $0 } ?? true)
        }
    }

    /// A guided session begun and not yet completed or cancelled: everything answered so far.
    public struct SessionDraft: Hashable, Sendable {
        public var id: String
        public var step: String
        public var occurrence: Int
        public var started: Day
        public var startedBy: String?
        /// Answers by form, then field (a group's value is all of its rows).
        public var answers: [String: FormAnswers] = [:]
        public var facts: SessionFacts?
        public var checklist: [String: ChecklistMark] = [:]
        public var pausedOn: Day?
        public var pausedBy: String?
        /// How many answers have been recorded (changed answers count again).
        public var answerCount = 0
    }

    /// A person put on or taken off a role in the case.
    public struct StaffChange: Hashable, Sendable {
        public var role: String
        public var person: String
        public var on: Day
        public var assigned: Bool
    }

    /// A session that did not take place, and who cancelled it.
    public struct Cancellation: Hashable, Sendable {
        public var step: String
        public var on: Day
        public var by: SessionFacts.CancelledBy
    }

    public var code: String
    public var opened: CaseOpened
    public var status: Status = .active
    public var phases: [PhaseVisit] = []
    public var completions: [String: [StepCompleted]] = [:]
    public var skipped: [String: Day] = [:]
    /// The latest submission of each form.
    public var forms: [String: FormSubmission] = [:]
    /// Form ids in the order of their latest submission, oldest first.
    public var formOrder: [String] = []
    public var deviations: [Deviation] = []
    public var pauses: [Pause] = []
    /// Staff by role.
    public var staff: [String: [String]] = [:]
    /// Every assignment and its end, for staffing over time.
    public var staffHistory: [StaffChange] = []
    public var consents: [Consent] = []
    public var concernReports: [Day] = []
    /// Guided sessions in progress, by id.
    public var sessions: [String: SessionDraft] = [:]
    public var cancellations: [Cancellation] = []
    /// The sequence number of the last event folded in.
    public var version: Int = 0

    public init(code: String, opened: CaseOpened) {
        self.code = code
        self.opened = opened
    }

    public var currentPhase: String? { phases.last?.phase }
    public var phaseEntered: Day? { phases.last?.entered }

    public var isClosed: Bool {
        if case .closed = status { return true }
        return false
    }

    public var isPaused: Bool {
        if case .paused = status { return true }
        return false
    }

    public func completedCount(_ step: String) -> Int { completions[step]?.count ?? 0 }

    /// Days within `from...to` (inclusive of `from`, exclusive of `to`) that the case was paused.
    public func pausedDays(from: Day, to: Day) -> Int {
        pauses.reduce(0) { total, pause in
            let start = max(pause.from, from)
            let end = min(pause.to ?? to, to)
            return total + max(0, end - start)
        }
    }
}
