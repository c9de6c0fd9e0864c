/// A student's attendance over a window (such as the four weeks up to today): the figures the
/// screening variables and `attendance-percent()` are computed from.
///
/// A row counts in the window when its period *ends* within it: with one row per week, a window of
/// `P4W` always holds exactly four weeks, whatever the weekday it ends on.
public struct AttendanceFigures: Hashable, Sendable, Codable {
    /// The window: its first and last day.
    public var from: Day
    public var to: Day
    /// How many rows counted.
    public var rows: Int
    /// The unit of the totals, or nil when the rows mix minutes and lessons (then only the
    /// percentages are given).
    public var unit: AttendanceRecord.Unit?
    public var scheduled: Double
    public var attended: Double
    public var validAbsence: Double
    public var invalidAbsence: Double
    /// Percent of scheduled time, 0–100.
    public var absencePercent: Double
    public var validAbsencePercent: Double
    public var invalidAbsencePercent: Double
    public var attendancePercent: Double
    /// The longest run of whole weeks (Monday to Friday) without any attendance.
    public var wholeWeeksAbsent: Int

    /// The first and last day of `window` ending on `endingOn`: `P4W` ending 2026-11-29 is
    /// 2026-11-02 … 2026-11-29.
    public static func window(_ window: ISODuration, endingOn day: Day) -> (from: Day, to: Day) {
        (day.adding(ISODuration(months: -window.months, days: -window.days)) + 1, day)
    }

    /// The figures over `window` ending on `endingOn`, or nil when the rows in it have no scheduled
    /// time (no data: nothing can be said).
    public static func compute(_ records: [AttendanceRecord], window: ISODuration, endingOn day: Day) -> AttendanceFigures? {
        let (from, to) = Self.window(window, endingOn: day)
        let inside = records.filter { $0.to >= from && $0.to <= to }
        guard inside.contains(where: { $0.scheduled > 0 }) else { return nil }
        var figures = AttendanceFigures(
            from: from, to: to, rows: inside.count, unit: nil, scheduled: 0, attended: 0, validAbsence: 0, invalidAbsence: 0,
            absencePercent: 0, validAbsencePercent: 0, invalidAbsencePercent: 0, attendancePercent: 0,
            wholeWeeksAbsent: longestAbsentRun(inside, from: from, to: to))
        // Totals per unit; with both units, each unit's percentages weigh by the days its rows cover.
        var weightSum = 0.0
        for unit in AttendanceRecord.Unit.allCases {
            let group = inside.filter { $0.unit == unit }
            let scheduled = group.reduce(0) { $0 + $1.scheduled }
            guard scheduled > 0 else { continue }
            let attended = group.reduce(0) { $0 + $1.attended }
            let valid = group.reduce(0) { $0 + $1.validAbsence }
            let invalid = group.reduce(0) { $0 + $1.invalidAbsence }
            let weight = Double(group.reduce(0) { $0 + ($1.to - $1.from + 1) })
            weightSum += weight
            figures.attendancePercent += 100 * attended / scheduled * weight
            figures.validAbsencePercent += 100 * valid / scheduled * weight
            figures.invalidAbsencePercent += 100 * invalid / scheduled * weight
            if figures.scheduled == 0, figures.unit == nil {
                figures.unit = unit
                (figures.scheduled, figures.attended, figures.validAbsence, figures.invalidAbsence) = (scheduled, attended, valid, invalid)
            } else {
                figures.unit = nil
            }
        }
        figures.attendancePercent /= weightSum
        figures.validAbsencePercent /= weightSum
        figures.invalidAbsencePercent /= weightSum
        figures.absencePercent = figures.validAbsencePercent + figures.invalidAbsencePercent
        if figures.unit == nil { (figures.scheduled, figures.attended, figures.validAbsence, figures.invalidAbsence) = (0, 0, 0, 0) }
        return figures
    }

    /// The longest run of ISO weeks whose Sunday lies in `from…to` and whose weekdays are all covered
    /// by rows with scheduled time and no attendance. A week without scheduled time (a holiday)
    /// neither counts nor breaks the run; a week with any attendance, or a weekday no row covers,
    /// breaks it.
    static func longestAbsentRun(_ records: [AttendanceRecord], from: Day, to: Day) -> Int {
        enum Mark: Int { case noSchool, absent, present }
        let firstSunday = from + (7 - ISOWeek.weekday(from))
        let earliest = firstSunday + (-6)
        var marks: [Int: Mark] = [:]
        for record in records {
            let mark: Mark = record.scheduled <= 0 ? .noSchool : record.attended > 0 ? .present : .absent
            let lower = max(record.from, earliest), upper = min(record.to, to)
            guard lower <= upper else { continue }
            for n in lower.number...upper.number where (marks[n]?.rawValue ?? -1) < mark.rawValue {
                marks[n] = mark
            }
        }
        var best = 0, run = 0
        var sunday = firstSunday
        while sunday <= to {
            let weekdays: [Mark?] = ((sunday.number - 6)...(sunday.number - 2)).map { marks[$0] }
            if weekdays.contains(where: { $0 == nil || $0 == .present }) {
                run = 0
            } else if weekdays.contains(where: { $0 == .absent }) {
                run += 1
                best = max(best, run)
            }
            sunday = sunday + 7
        }
        return best
    }
}
