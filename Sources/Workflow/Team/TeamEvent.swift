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

/// The team's log as the report reads it: meeting days and each person's supervision days, sorted,
/// so that the report (which asks for every week of every case) finds a day by halving.
public struct TeamLog: Sendable {
    public private(set) var meetings: [Day] = []
    public private(set) var supervision: [String: [Day]] = [:]
    /// The hash of the last event on the team's chain, named in the report beside the cases' heads.
    public var head: String?

    public init(_ events: [TeamEvent] = [], head: String? = nil) {
        for event in events {
            switch event {
            case .meetingHeld(let on): meetings.append(on)
            case .supervisionHeld(let person, let on): supervision[person, default: []].append(on)
            }
        }
        meetings.sort()
        for person in supervision.keys { supervision[person]?.sort() }
        self.head = head
    }

    /// Whether a meeting was held in `from..<to`.
    func meetingHeld(from: Day, to: Day) -> Bool {
        Self.any(meetings, from: from, below: to)
    }

    /// Whether `person` had supervision in `from...to`.
    func supervised(_ person: String, from: Day, to: Day) -> Bool {
        supervision[person].map { Self.any($0, from: from, below: to + 1) } ?? false
    }

    var hasSupervision: Bool { !supervision.isEmpty }

    /// Whether sorted `days` hold one in `from..<below`.
    private static func any(_ days: [Day], from: Day, below: Day) -> Bool {
        var low = 0, high = days.count
        while low < high {
            let mid = (low + high) / 2
            if days[mid] < from { low = mid + 1 } else { high = mid }
        }
        return low < days.count && days[low] < below
    }
}
