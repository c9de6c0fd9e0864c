/// Events are stored as JSON objects with a `type` and the event's fields.
extension CaseEvent: Codable {
    private enum Key: String, CodingKey {
        case type, event, phase, step, on, reason, unmet, role, person, consent, session, facts, item, mark, by
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "caseOpened": self = .caseOpened(try c.decode(CaseOpened.self, forKey: .event))
        case "phaseEntered": self = .phaseEntered(phase: try c.decode(String.self, forKey: .phase), on: try c.decode(Day.self, forKey: .on))
        case "stepCompleted": self = .stepCompleted(try c.decode(StepCompleted.self, forKey: .event))
        case "stepSkipped":
            self = .stepSkipped(
                step: try c.decode(String.self, forKey: .step), on: try c.decode(Day.self, forKey: .on),
                reason: try c.decode(String.self, forKey: .reason))
        case "gateOverridden":
            self = .gateOverridden(
                phase: try c.decode(String.self, forKey: .phase), unmet: try c.decode([String].self, forKey: .unmet),
                on: try c.decode(Day.self, forKey: .on), reason: try c.decode(String.self, forKey: .reason))
        case "casePaused": self = .casePaused(on: try c.decode(Day.self, forKey: .on), reason: try c.decode(String.self, forKey: .reason))
        case "caseResumed": self = .caseResumed(on: try c.decode(Day.self, forKey: .on))
        case "caseClosed": self = .caseClosed(on: try c.decode(Day.self, forKey: .on), reason: try c.decode(CloseReason.self, forKey: .reason))
        case "staffAssigned":
            self = .staffAssigned(
                role: try c.decode(String.self, forKey: .role), person: try c.decode(String.self, forKey: .person),
                on: try c.decode(Day.self, forKey: .on))
        case "staffUnassigned":
            self = .staffUnassigned(
                role: try c.decode(String.self, forKey: .role), person: try c.decode(String.self, forKey: .person),
                on: try c.decode(Day.self, forKey: .on))
        case "consentRecorded": self = .consentRecorded(try c.decode(ConsentGiven.self, forKey: .event))
        case "consentRevoked": self = .consentRevoked(consent: try c.decode(String.self, forKey: .consent), on: try c.decode(Day.self, forKey: .on))
        case "concernReported": self = .concernReported(on: try c.decode(Day.self, forKey: .on))
        case "sessionStarted": self = .sessionStarted(try c.decode(SessionStarted.self, forKey: .event))
        case "answerRecorded": self = .answerRecorded(try c.decode(AnswerRecorded.self, forKey: .event))
        case "sessionFactsRecorded":
            self = .sessionFactsRecorded(session: try c.decode(String.self, forKey: .session), facts: try c.decode(SessionFacts.self, forKey: .facts))
        case "checklistMarked":
            self = .checklistMarked(
                session: try c.decode(String.self, forKey: .session), item: try c.decode(String.self, forKey: .item),
                mark: try c.decode(ChecklistMark.self, forKey: .mark))
        case "sessionPaused": self = .sessionPaused(session: try c.decode(String.self, forKey: .session), on: try c.decode(Day.self, forKey: .on))
        case "sessionCancelled":
            self = .sessionCancelled(
                session: try c.decode(String.self, forKey: .session), on: try c.decode(Day.self, forKey: .on),
                by: try c.decode(SessionFacts.CancelledBy.self, forKey: .by))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type '\(type)'")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .caseOpened(let e): try c.encode(e, forKey: .event)
        case .phaseEntered(let phase, let on):
            try c.encode(phase, forKey: .phase)
            try c.encode(on, forKey: .on)
        case .stepCompleted(let e): try c.encode(e, forKey: .event)
        case .stepSkipped(let step, let on, let reason):
            try c.encode(step, forKey: .step)
            try c.encode(on, forKey: .on)
            try c.encode(reason, forKey: .reason)
        case .gateOverridden(let phase, let unmet, let on, let reason):
            try c.encode(phase, forKey: .phase)
            try c.encode(unmet, forKey: .unmet)
            try c.encode(on, forKey: .on)
            try c.encode(reason, forKey: .reason)
        case .casePaused(let on, let reason):
            try c.encode(on, forKey: .on)
            try c.encode(reason, forKey: .reason)
        case .caseResumed(let on): try c.encode(on, forKey: .on)
        case .caseClosed(let on, let reason):
            try c.encode(on, forKey: .on)
            try c.encode(reason, forKey: .reason)
        case .staffAssigned(let role, let person, let on), .staffUnassigned(let role, let person, let on):
            try c.encode(role, forKey: .role)
            try c.encode(person, forKey: .person)
            try c.encode(on, forKey: .on)
        case .consentRecorded(let e): try c.encode(e, forKey: .event)
        case .consentRevoked(let consent, let on):
            try c.encode(consent, forKey: .consent)
            try c.encode(on, forKey: .on)
        case .concernReported(let on): try c.encode(on, forKey: .on)
        case .sessionStarted(let e): try c.encode(e, forKey: .event)
        case .answerRecorded(let e): try c.encode(e, forKey: .event)
        case .sessionFactsRecorded(let session, let facts):
            try c.encode(session, forKey: .session)
            try c.encode(facts, forKey: .facts)
        case .checklistMarked(let session, let item, let mark):
            try c.encode(session, forKey: .session)
            try c.encode(item, forKey: .item)
            try c.encode(mark, forKey: .mark)
        case .sessionPaused(let session, let on):
            try c.encode(session, forKey: .session)
            try c.encode(on, forKey: .on)
        case .sessionCancelled(let session, let on, let by):
            try c.encode(session, forKey: .session)
            try c.encode(on, forKey: .on)
            try c.encode(by, forKey: .by)
        }
    }
}
