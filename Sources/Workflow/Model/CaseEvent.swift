@_exported import Forms

/// Why a case was closed (DOMAIN.md §9.1: avslutad, or avbruten with a reason code).
public enum CloseReason: String, Hashable, Sendable, Codable, CaseIterable {
    case completed = "genomfort"
    case declined = "tackat-nej"
    case moved = "flyttat"
    case consentWithdrawn = "samtycke-aterkallat"
    case referredElsewhere = "annan-insats"
    case placement = "placering"
    case droppedOut = "avbrutet"
    case other = "annat"

    /// Closed because the programme was delivered, not broken off.
    public var isCompletion: Bool { self == .completed }
}

/// Who referred the case.
public enum ReferralSource: String, Hashable, Sendable, Codable, CaseIterable {
    case eht
    case socialtjanst
    case bup
    case vardnadshavare
}

/// A form filled in during a step, with the scores the forms engine computed when it was submitted.
public struct FormSubmission: Hashable, Sendable, Codable {
    public var form: String
    public var answers: FormAnswers
    /// Numeric scores by id; profiles as their ids joined by spaces.
    public var scores: [String: String]

    public init(form: String, answers: FormAnswers, scores: [String: String] = [:]) {
        self.form = form
        self.answers = answers
        self.scores = scores
    }
}

/// What happened at a session: the facts the fidelity report needs.
public struct SessionFacts: Hashable, Sendable, Codable {
    public enum Place: String, Hashable, Sendable, Codable, CaseIterable {
        case hem, skola, kontor, digitalt, telefon
    }

    public enum CancelledBy: String, Hashable, Sendable, Codable, CaseIterable {
        case familj, elev, skola, team
    }

    public var minutes: Int?
    public var start: String?
    public var place: Place?
    public var participants: [String]
    public var bothPractitioners: Bool?
    public var cancelledBy: CancelledBy?

    public init(minutes: Int? = nil, start: String? = nil, place: Place? = nil, participants: [String] = [],
                bothPractitioners: Bool? = nil, cancelledBy: CancelledBy? = nil) {
        self.minutes = minutes
        self.start = start
        self.place = place
        self.participants = participants
        self.bothPractitioners = bothPractitioners
        self.cancelledBy = cancelledBy
    }
}

/// A checklist item as the practitioner marked it.
public enum ChecklistMark: String, Hashable, Sendable, Codable, CaseIterable {
    case delivered = "gjort"
    case notDelivered = "inte-gjort"
    case notApplicable = "ej-aktuellt"
}

public struct CaseOpened: Hashable, Sendable, Codable {
    /// The pseudonymous case code, such as HSP-2026-0007 (never the student's name or personnummer).
    public var code: String
    public var programmeID: String
    public var programmeVersion: String
    public var programmeHash: String
    public var school: String
    public var grade: Int
    public var referredBy: ReferralSource
    public var on: Day
}

public struct StepCompleted: Hashable, Sendable, Codable {
    public var step: String
    public var occurrence: Int
    public var on: Day
    public var forms: [FormSubmission]
    public var session: SessionFacts?
    public var checklist: [String: ChecklistMark]
    /// A departure from the manual in this session, with its documented reason.
    public var deviation: String?
    /// The guided session this completes, when it was done as one.
    public var sessionID: String?
}

/// A guided session begun for a step: its answers are recorded one by one until it is completed,
/// cancelled or left for later.
public struct SessionStarted: Hashable, Sendable, Codable {
    public var session: String
    public var step: String
    public var occurrence: Int
    public var on: Day
}

/// One answer given in a guided session, stored the moment it was accepted. `value` nil clears it.
public struct AnswerRecorded: Hashable, Sendable, Codable {
    public var session: String
    public var form: String
    /// The field, or for a repeat group the group (its value is then all of its rows).
    public var field: String
    public var value: AnswerValue?
}

public struct ConsentGiven: Hashable, Sendable, Codable {
    public var consent: String
    /// Who gave it: vardnadshavare-1, vardnadshavare-2, elev.
    public var givenBy: String
    public var validFrom: Day
    public var validUntil: Day?
    public var on: Day
}

/// A fact in a case's history. Events are never changed or removed; state is a fold of them.
public enum CaseEvent: Hashable, Sendable {
    case caseOpened(CaseOpened)
    case phaseEntered(phase: String, on: Day)
    case stepCompleted(StepCompleted)
    case stepSkipped(step: String, on: Day, reason: String)
    case gateOverridden(phase: String, unmet: [String], on: Day, reason: String)
    case casePaused(on: Day, reason: String)
    case caseResumed(on: Day)
    case caseClosed(on: Day, reason: CloseReason)
    case staffAssigned(role: String, person: String, on: Day)
    case staffUnassigned(role: String, person: String, on: Day)
    case consentRecorded(ConsentGiven)
    case consentRevoked(consent: String, on: Day)
    /// An orosanmälan was filed: only the fact and the date, never its content; never blocked.
    case concernReported(on: Day)
    case sessionStarted(SessionStarted)
    case answerRecorded(AnswerRecorded)
    case sessionFactsRecorded(session: String, facts: SessionFacts)
    case checklistMarked(session: String, item: String, mark: ChecklistMark)
    case sessionPaused(session: String, on: Day)
    case sessionCancelled(session: String, on: Day, by: SessionFacts.CancelledBy)

    /// The event's type name as stored.
    public var type: String {
        switch self {
        case .caseOpened: "caseOpened"
        case .phaseEntered: "phaseEntered"
        case .stepCompleted: "stepCompleted"
        case .stepSkipped: "stepSkipped"
        case .gateOverridden: "gateOverridden"
        case .casePaused: "casePaused"
        case .caseResumed: "caseResumed"
        case .caseClosed: "caseClosed"
        case .staffAssigned: "staffAssigned"
        case .staffUnassigned: "staffUnassigned"
        case .consentRecorded: "consentRecorded"
        case .consentRevoked: "consentRevoked"
        case .concernReported: "concernReported"
        case .sessionStarted: "sessionStarted"
        case .answerRecorded: "answerRecorded"
        case .sessionFactsRecorded: "sessionFactsRecorded"
        case .checklistMarked: "checklistMarked"
        case .sessionPaused: "sessionPaused"
        case .sessionCancelled: "sessionCancelled"
        }
    }

    /// The day the event happened; nil for the details of a guided session (an answer, a checklist
    /// mark), which belong to their session's day.
    public var day: Day? {
        switch self {
        case .sessionStarted(let e): e.on
        case .sessionPaused(_, let on), .sessionCancelled(_, let on, _): on
        case .answerRecorded, .sessionFactsRecorded, .checklistMarked: nil
        case .caseOpened(let e): e.on
        case .phaseEntered(_, let on), .stepSkipped(_, let on, _), .gateOverridden(_, _, let on, _),
             .casePaused(let on, _), .caseResumed(let on), .caseClosed(let on, _), .staffAssigned(_, _, let on),
             .staffUnassigned(_, _, let on), .consentRevoked(_, let on), .concernReported(let on):
            on
        case .stepCompleted(let e): e.on
        case .consentRecorded(let e): e.on
        }
    }
}
