/// A phase of the programme (kartläggning, behandling, vidmakthållande, …) with its steps and gates.
public struct Phase: Hashable, Sendable, Codable {
    public var id: String
    public var title: LocalizedText
    public var purpose: LocalizedText?
    public var duration: ISODuration?
    public var minDuration: ISODuration?
    public var maxDuration: ISODuration?
    /// A follow-up phase comes after the case is closed.
    public var isFollowUp: Bool
    public var steps: [Step]
    public var gates: [Gate]
    public var location: SourceLocation
}

/// A condition that must hold before the case leaves the phase, or be overridden with a reason.
public struct Gate: Hashable, Sendable, Codable {
    public var id: String
    public var test: Expression
    public var message: LocalizedText
    public var location: SourceLocation
}

/// One step of the manual: usually a session with participants, forms and a checklist.
public struct Step: Hashable, Sendable, Codable {
    public enum Requirement: String, Hashable, Sendable, Codable {
        case required
        case optional
        case conditional
    }

    public var id: String
    public var title: LocalizedText
    public var purpose: LocalizedText?
    public var agenda: [ChecklistItem]
    public var requirement: Requirement
    public var condition: Expression?
    public var after: [String]
    public var performedBy: [String]
    public var participants: [String]
    public var module: String?
    public var domain: SecrecyDomain
    public var consents: [String]
    /// False for steps that are not meetings (a registration, a team decision).
    public var isSession: Bool
    public var due: DueWindow?
    public var recurrence: Recurrence?
    public var forms: [String]
    public var checklist: [ChecklistItem]
    public var location: SourceLocation
}

/// When a step is due, relative to an anchor.
public struct DueWindow: Hashable, Sendable, Codable {
    public enum Anchor: String, Hashable, Sendable, Codable {
        case phaseStart = "phase-start"
        case caseStart = "case-start"
        case step
        case previous
        case caseClosed = "case-closed"
    }

    public var anchor: Anchor
    public var step: String?
    public var from: ISODuration?
    public var to: ISODuration
    public var location: SourceLocation
}

/// A repeated step: every N days or weeks, a minimum dose, optionally while a condition holds.
public struct Recurrence: Hashable, Sendable, Codable {
    public var every: ISODuration
    public var min: Int?
    public var max: Int?
    public var whileCondition: Expression?
    public var location: SourceLocation
}

/// An agenda point or a checklist item (a manual component the practitioner delivers).
public struct ChecklistItem: Hashable, Sendable, Codable {
    public var id: String?
    public var text: LocalizedText
    public var isRequired: Bool
    public var location: SourceLocation
}
