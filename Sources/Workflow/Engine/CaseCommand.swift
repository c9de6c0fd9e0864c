/// Something a team member asks of a case. Time (`on`) and ids arrive on the command; the engine
/// never reads a clock.
public enum CaseCommand: Hashable, Sendable {
    case open(code: String, school: String, grade: Int, referredBy: ReferralSource, on: Day)
    case completeStep(StepRecord)
    case skipStep(step: String, reason: String, on: Day)
    /// Move to the next phase; with `override`, past unmet requirements and gates, as a deviation.
    case advance(on: Day, override: String?)
    case pause(reason: String, on: Day)
    case resume(on: Day)
    case close(reason: CloseReason, on: Day)
    case assign(role: String, person: String, on: Day)
    case unassign(role: String, person: String, on: Day)
    case recordConsent(consent: String, givenBy: String, validFrom: Day, validUntil: Day?, on: Day)
    case revokeConsent(consent: String, on: Day)
    case reportConcern(on: Day)
    /// Begin a guided session for a step (the id arrives on the command).
    case startSession(session: String, step: String, on: Day)
    case recordAnswer(session: String, form: String, field: String, value: AnswerValue?)
    case recordSessionFacts(session: String, facts: SessionFacts)
    case markChecklist(session: String, item: String, mark: ChecklistMark)
    case pauseSession(session: String, on: Day)
    /// Complete the step with everything the session recorded.
    case completeSession(session: String, on: Day, deviation: String?)
    case cancelSession(session: String, on: Day, by: SessionFacts.CancelledBy)
    /// Record at once that a planned session for a step did not take place (no guided session begun).
    case recordCancellation(session: String, step: String, on: Day, by: SessionFacts.CancelledBy)

    /// The day the command concerns; nil for the details of a session in progress.
    public var day: Day? {
        switch self {
        case .startSession(_, _, let on), .pauseSession(_, let on), .completeSession(_, let on, _), .cancelSession(_, let on, _),
             .recordCancellation(_, _, let on, _):
            on
        case .recordAnswer, .recordSessionFacts, .markChecklist: nil
        case .open(_, _, _, _, let on), .skipStep(_, _, let on), .advance(let on, _), .pause(_, let on), .resume(let on),
             .close(_, let on), .assign(_, _, let on), .unassign(_, _, let on), .recordConsent(_, _, _, _, let on),
             .revokeConsent(_, let on), .reportConcern(let on):
            on
        case .completeStep(let record): record.on
        }
    }
}

/// A step as it was carried out: its forms' answers, the session facts and the checklist.
public struct StepRecord: Hashable, Sendable {
    public var step: String
    public var on: Day
    public var forms: [String: FormAnswers]
    public var session: SessionFacts?
    public var checklist: [String: ChecklistMark]
    public var deviation: String?

    public init(step: String, on: Day, forms: [String: FormAnswers] = [:], session: SessionFacts? = nil,
                checklist: [String: ChecklistMark] = [:], deviation: String? = nil) {
        self.step = step
        self.on = on
        self.forms = forms
        self.session = session
        self.checklist = checklist
        self.deviation = deviation
    }
}
