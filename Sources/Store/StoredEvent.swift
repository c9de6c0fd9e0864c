import Workflow

/// An event as the store keeps it: with its place in the case's log, who recorded it and when, and
/// its link in the hash chain.
public struct StoredEvent: Hashable, Sendable {
    public var caseCode: String
    public var seq: Int
    public var commandID: String
    public var actor: String
    public var recordedAt: String
    public var programmeVersion: String
    public var event: CaseEvent
    public var previousHash: String
    public var hash: String
}

/// What a command did: the events it appended (or, for a repeated command, the ones it appended the
/// first time) and the case afterwards.
public struct CommandOutcome: Sendable {
    public var code: String
    public var events: [StoredEvent]
    public var state: CaseState
    public var programme: Programme
    /// True when the command id had been applied before: nothing new was written.
    public var wasRepeat: Bool
}

/// Who did what, when: the stamp the store puts on every event.
public struct Stamp: Sendable {
    public var commandID: String
    public var actor: String
    /// An ISO 8601 timestamp from the caller's clock.
    public var recordedAt: String
    public var today: Day

    public init(commandID: String, actor: String, recordedAt: String, today: Day) {
        self.commandID = commandID
        self.actor = actor
        self.recordedAt = recordedAt
        self.today = today
    }
}
