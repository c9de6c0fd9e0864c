/// One criterion for one case (or, aggregated, for many): how many of the units it counts (the case,
/// its sessions, its occurrences, its gaps between meetings) complied. Missing data is "not
/// assessable", never 0 %.
public struct CriterionOutcome: Hashable, Sendable {
    public var criterion: String
    public var compliant: Int
    public var total: Int
    /// Why nothing could be assessed (when `total` is 0).
    public var notAssessable: LocalizedMessage?

    public init(criterion: String, compliant: Int, total: Int, notAssessable: LocalizedMessage? = nil) {
        self.criterion = criterion
        self.compliant = compliant
        self.total = total
        self.notAssessable = total == 0 ? (notAssessable ?? FidelityReasons.noData) : nil
    }

    public var isAssessable: Bool { total > 0 }

    /// Share of units that complied, 0–100; nil when not assessable.
    public var percent: Double? { total > 0 ? 100 * Double(compliant) / Double(total) : nil }

    static func met(_ id: String, _ ok: Bool) -> CriterionOutcome {
        CriterionOutcome(criterion: id, compliant: ok ? 1 : 0, total: 1)
    }

    static func none(_ id: String, _ why: LocalizedMessage) -> CriterionOutcome {
        CriterionOutcome(criterion: id, compliant: 0, total: 0, notAssessable: why)
    }
}

/// Why a criterion could not be assessed, in words for the report's data-quality section.
public enum FidelityReasons {
    public static let noData = LocalizedMessage(sv: "uppgifter saknas", en: "no data")
    public static let phaseNotFinished = LocalizedMessage(sv: "fasen är inte avslutad", en: "the phase is not finished")
    public static let phaseNotReached = LocalizedMessage(sv: "fasen har inte nåtts", en: "the phase has not been reached")
    public static let noSessions = LocalizedMessage(sv: "inga registrerade sessioner", en: "no recorded sessions")
    public static let notClosed = LocalizedMessage(sv: "ärendet är inte avslutat som genomfört", en: "the case is not closed as completed")
    public static let tooFewOccurrences = LocalizedMessage(sv: "färre än två tillfällen", en: "fewer than two occurrences")
    public static let noSubmissions = LocalizedMessage(sv: "formuläret har inte lämnats in", en: "the form has not been submitted")
    public static let noDeviations = LocalizedMessage(sv: "inga avvikelser", en: "no deviations")
    public static let noAttendance = LocalizedMessage(sv: "inga närvarouppgifter importerade", en: "no attendance data imported")
    public static let notActive = LocalizedMessage(sv: "ärendet är inte aktivt", en: "the case is not active")
    public static let noneInRole = LocalizedMessage(sv: "ingen är tilldelad rollen", en: "nobody is assigned to the role")
    public static let noFullPeriod = LocalizedMessage(sv: "ingen hel period att bedöma än", en: "no full period to assess yet")
    public static let noTeamMeetings = LocalizedMessage(
        sv: "inga teammöten registrerade (narvaro team meeting)", en: "no team meetings recorded (narvaro team meeting)")
    public static let noSupervision = LocalizedMessage(
        sv: "ingen handledning registrerad (narvaro team supervision)", en: "no supervision recorded (narvaro team supervision)")
    public static let reportLevel = LocalizedMessage(sv: "beräknas för hela rapporten", en: "computed for the whole report")
    public static let noProfile = LocalizedMessage(sv: "ingen SRAS-R-profil eller faktor registrerad", en: "no SRAS-R profile or factor recorded")
}
