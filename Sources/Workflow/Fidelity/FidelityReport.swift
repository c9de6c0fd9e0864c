/// What the management report says: fidelity per criterion and as a composite, by school unit and by
/// start month, deviations, timeliness, dosage, outcomes and data quality. No names, personnummer or
/// free text; cases only as pseudonyms (in `chainHeads`); counts from 1 to 4 are hidden when rendered.
public struct FidelityReport: Sendable, Codable {
    public struct ProgrammeVersion: Sendable, Codable, Hashable {
        public var id: String
        public var version: String
        public var hash: String
        public var title: LocalizedText
        public var cases: Int
    }

    public struct CriterionSummary: Sendable, Codable, Hashable {
        public var id: String
        public var title: LocalizedText
        public var dimension: String
        public var kind: String
        public var threshold: Double
        public var weight: Double
        public var inComposite: Bool
        public var compliant: Int
        public var total: Int
        /// Cases where the criterion could be assessed, and where it could not.
        public var assessedCases: Int
        public var notAssessableCases: Int
        public var notAssessableReasons: [String: Int]

        public var percent: Double? { total > 0 ? 100 * Double(compliant) / Double(total) : nil }
        public var isMet: Bool? { percent.map { $0 >= threshold } }
    }

    public enum Band: String, Sendable, Codable, Hashable {
        case low = "låg"
        case moderate = "måttlig"
        case high = "hög"

        /// 0–50 low, 51–79 moderate, 80–100 high (DOMAIN §10.2), on the whole percent as shown.
        public init(percent: Double) {
            let shown = percent.rounded()
            self = shown >= 80 ? .high : shown > 50 ? .moderate : .low
        }
    }

    public struct Composite: Sendable, Codable, Hashable {
        public var percent: Double?
        public var band: Band?
        public var cases: Int

        public init(percent: Double?, cases: Int) {
            self.percent = percent
            self.band = percent.map(Band.init(percent:))
            self.cases = cases
        }
    }

    public struct Group: Sendable, Codable, Hashable {
        public var name: String
        public var cases: Int
        public var composite: Composite
        /// Criterion id → percent (nil when not assessable in the group).
        public var criteria: [String: Double]
    }

    public struct Timeliness: Sendable, Codable, Hashable {
        public var phase: String
        public var title: LocalizedText
        public var onTime: Int
        public var total: Int
        /// Cases that contributed occurrences (percentages rest on cases, not occurrences).
        public var cases: Int
        /// Median days in the phase (pauses excluded) for cases that finished it.
        public var medianDays: Double?
        public var nominalDays: Int?
    }

    public struct Dosage: Sendable, Codable, Hashable {
        public var step: String
        public var title: LocalizedText
        public var minimum: Int
        /// Cases that finished the step's phase, and how many reached the minimum.
        public var cases: Int
        public var reachedMinimum: Int
        public var meanOccurrences: Double?
    }

    public struct Outcomes: Sendable, Codable, Hashable {
        /// Share of scheduled time attended before the case (12 weeks), during it, and after closure.
        public var attendanceBefore: Double?
        public var attendanceDuring: Double?
        public var attendanceAfter: Double?
        /// Cases with attendance data for each of the three.
        public var casesWithAttendance: [Int]
        /// Students absent four weeks or more in a row at the start, and in the last four weeks.
        public var longAbsenceAtStart: Int
        public var longAbsenceNow: Int
        public var casesPerPhase: [String: Int]
        public var studentsReached: Int
        public var closedByReason: [String: Int]
    }

    public var programme: String
    public var versions: [ProgrammeVersion]
    public var asOf: String
    public var from: String?
    public var to: String?
    public var school: String?
    public var cases: Int
    public var criteria: [CriterionSummary]
    public var composite: Composite
    public var bySchool: [Group]
    public var byStartMonth: [Group]
    /// Deviation kind → phase → count.
    public var deviations: [String: [String: Int]]
    public var cancellations: [String: Int]
    public var timeliness: [Timeliness]
    public var dosage: [Dosage]
    public var outcomes: Outcomes
    /// Phase ids in programme order, with their titles.
    public var phases: [String: LocalizedText]
    public var phaseOrder: [String]
    /// The last hash of every covered case's chain, so that `narvaro verify` can later prove nothing changed.
    public var chainHeads: ChainHeads
}
