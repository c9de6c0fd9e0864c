/// A fidelity criterion: how management is shown whether the manual was followed.
public struct Criterion: Hashable, Sendable, Codable {
    public enum Dimension: String, Hashable, Sendable, Codable, CaseIterable {
        case adherence = "A"
        case sequence = "S"
        case dose = "D"
        case timing = "T"
        case coverage = "C"
        case quality = "Q"
        case responsiveness = "R"
        case differentiation = "X"
        case structural = "St"
        case legal = "L"

        /// Adherence, sequence, dose and timing enter the composite index by default.
        public var isInCompositeByDefault: Bool {
            switch self {
            case .adherence, .sequence, .dose, .timing: true
            case .coverage, .quality, .responsiveness, .differentiation, .structural, .legal: false
            }
        }
    }

    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case coverage
        case sequence
        case phaseDuration = "phase-duration"
        case timeliness
        case formBefore = "form-before"
        case moduleMatch = "module-match"
        case participation
        case place
        case dosage
        case contactMinutes = "contact-minutes"
        case cadence
        case checklist
        case formCompleteness = "form-completeness"
        case responsiveness
        case rating
        case deviations
        case completedBeforeClosure = "completed-before-closure"
        case gateEvidence = "gate-evidence"
        case attendanceData = "attendance-data"
        case staffing
        case caseload
        case teamMeeting = "team-meeting"
        case supervision
        case reach
        case consent
    }

    public var id: String
    public var dimension: Dimension
    public var kind: Kind
    public var title: LocalizedText
    public var description: LocalizedText?
    public var phase: String?
    public var step: String?
    public var steps: [String]
    public var before: String?
    public var form: String?
    public var field: String?
    public var role: String?
    public var roles: [String]
    public var place: String?
    public var min: Double?
    public var max: Double?
    public var from: ISODuration?
    public var to: ISODuration?
    public var per: ISODuration?
    public var maxGap: ISODuration?
    /// Percent (0–100) of cases, sessions or occasions that must comply.
    public var threshold: Double
    public var weight: Double
    public var inComposite: Bool
    public var location: SourceLocation
}
