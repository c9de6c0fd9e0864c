/// A fact about the team rather than one case (DOMAIN.md §10.1: `TeamMeetingHeld`, `SupervisionHeld`):
/// what the team-level fidelity criteria (weekly team meeting, supervision) are computed from.
/// It names staff only, never a student.
public enum TeamEvent: Hashable, Sendable, Codable {
    /// A team meeting (teamträff, ärendedragning) was held.
    case meetingHeld(on: Day)
    /// `person` had supervision (handledning).
    case supervisionHeld(person: String, on: Day)

    public var type: String {
        switch self {
        case .meetingHeld: "teamMeetingHeld"
        case .supervisionHeld: "supervisionHeld"
        }
    }

    public var day: Day {
        switch self {
        case .meetingHeld(let on), .supervisionHeld(_, let on): on
        }
    }

    enum Key: String, CodingKey { case type, on, person }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .type) {
        case "teamMeetingHeld": self = .meetingHeld(on: try c.decode(Day.self, forKey: .on))
        case "supervisionHeld": self = .supervisionHeld(person: try c.decode(String.self, forKey: .person), on: try c.decode(Day.self, forKey: .on))
        case let other: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown team event \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .meetingHeld(let on):
            try c.encode(on, forKey: .on)
        case .supervisionHeld(let person, let on):
            try c.encode(person, forKey: .person)
            try c.encode(on, forKey: .on)
        }
    }
}

/// The team's log as the report reads it: meeting days and each person's supervision days.
public struct TeamLog: Sendable {
    public private(set) var meetings: [Day] = []
    public private(set) var supervision: [String: [Day]] = [:]
    /// The hash of the last event on the team's chain, named in the report beside the cases' heads.
    public var head: String?

    public init(_ events: [TeamEvent] = [], head: String? = nil) {
        for event in events { add(event) }
        self.head = head
    }

    public mutating func add(_ event: TeamEvent) {
        switch event {
        case .meetingHeld(let on):
            meetings.append(on)
        case .supervisionHeld(let person, let on):
            supervision[person, default: []].append(on)
        }
    }

    /// Whether a meeting was held in `from..<to`.
    func meetingHeld(from: Day, to: Day) -> Bool {
        meetings.contains { $0 >= from && $0 < to }
    }

    /// Whether `person` had supervision in `from...to`.
    func supervised(_ person: String, from: Day, to: Day) -> Bool {
        supervision[person]?.contains { $0 >= from && $0 <= to } ?? false
    }

    var hasSupervision: Bool { !supervision.isEmpty }
}
