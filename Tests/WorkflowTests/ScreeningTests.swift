import Foundation
import Testing
@testable import Workflow

/// Screening figures over hand-computed windows, and the triggers of the shipped programmes.
@Suite struct ScreeningTests {
    static let student = AttendanceRecord.Student.caseCode("HSP-2026-0001")

    /// A week's row: scheduled, attended, valid and invalid absence in minutes.
    func week(_ week: Int, _ scheduled: Double, _ attended: Double, _ valid: Double, _ invalid: Double, unit: AttendanceRecord.Unit = .minutes) -> AttendanceRecord {
        guard let days = ISOWeek.days(year: 2026, week: week) else { preconditionFailure("no week \(week)") }
        return AttendanceRecord(
            student: Self.student, from: days.monday, to: days.sunday, unit: unit, scheduled: scheduled, attended: attended,
            validAbsence: valid, invalidAbsence: invalid)
    }

    func present(_ n: Int) -> AttendanceRecord { week(n, 1000, 900, 50, 50) }
    func absent(_ n: Int) -> AttendanceRecord { week(n, 1000, 0, 0, 1000) }
    func holiday(_ n: Int) -> AttendanceRecord { week(n, 0, 0, 0, 0) }

    static let processledare: Programme = {
        let path = HSP.packageRoot.appendingPathComponent("programmes/processledare.xml").path
        switch ProgrammeLoader.load(path: path) {
        case .success(let loaded): return loaded.programme
        case .failure(let error): fatalError("programmes/processledare.xml does not load: \(error.diagnostics.map { $0.rendered(.en) })")
        }
    }()

    func met(_ programme: Programme, _ records: [AttendanceRecord], on asOf: String) -> [String] {
        Screening.matches(programme.triggers, records: records, asOf: day(asOf), evaluator: XPathEvaluator()).map(\.trigger.id)
    }

    // MARK: - Windows

    @Test func windows() {
        #expect(AttendanceFigures.window(ISODuration(days: 28), endingOn: day("2026-11-29")) == (day("2026-11-02"), day("2026-11-29")))
        #expect(AttendanceFigures.window(ISODuration(days: 28), endingOn: day("2026-11-25")) == (day("2026-10-29"), day("2026-11-25")))
        #expect(AttendanceFigures.window(ISODuration(months: 1), endingOn: day("2026-03-31")) == (day("2026-03-01"), day("2026-03-31")))
        #expect(AttendanceFigures.window(ISODuration(months: 3), endingOn: day("2026-05-31")) == (day("2026-03-01"), day("2026-05-31")))
    }

    /// Four weekly rows in `P4W` ending on a Sunday; the week before ends outside the window.
    @Test func percentagesOverFourWeeks() throws {
        let records = [week(44, 1000, 0, 500, 500), week(45, 1000, 800, 100, 100), week(46, 1000, 600, 200, 200), week(47, 1000, 1000, 0, 0), week(48, 1000, 0, 500, 500)]
        let f = try #require(AttendanceFigures.compute(records, window: ISODuration(days: 28), endingOn: day("2026-11-29")))
        #expect(f.rows == 4)
        #expect(f.unit == .minutes)
        #expect(f.scheduled == 4000 && f.attended == 2400 && f.validAbsence == 800 && f.invalidAbsence == 800)
        #expect(f.attendancePercent == 60)
        #expect(f.validAbsencePercent == 20 && f.invalidAbsencePercent == 20 && f.absencePercent == 40)
        #expect(f.wholeWeeksAbsent == 1)
    }

    /// Ending on a Wednesday: the rows whose period ends in the window are weeks 44–47 (week 48 ends
    /// on the Sunday after).
    @Test func aRowCountsWhenItsPeriodEndsInTheWindow() throws {
        let records = [week(43, 1000, 1000, 0, 0), week(44, 1000, 0, 500, 500), week(45, 1000, 800, 100, 100), week(46, 1000, 600, 200, 200),
                       week(47, 1000, 1000, 0, 0), week(48, 1000, 0, 500, 500)]
        let f = try #require(AttendanceFigures.compute(records, window: ISODuration(days: 28), endingOn: day("2026-11-25")))
        #expect(f.from == day("2026-10-29") && f.to == day("2026-11-25"))
        #expect(f.rows == 4)
        #expect(f.attendancePercent == 60 && f.absencePercent == 40)
        #expect(f.wholeWeeksAbsent == 1)
    }

    @Test func mixedUnitsWeighByDays() throws {
        let records = [week(47, 1000, 500, 250, 250), week(48, 20, 20, 0, 0, unit: .lessons)]
        let f = try #require(AttendanceFigures.compute(records, window: ISODuration(days: 28), endingOn: day("2026-11-29")))
        #expect(f.attendancePercent == 75 && f.absencePercent == 25)
        #expect(f.unit == nil && f.scheduled == 0)
    }

    @Test func noDataIsNoFigures() {
        #expect(AttendanceFigures.compute([], window: ISODuration(days: 28), endingOn: day("2026-11-29")) == nil)
        #expect(AttendanceFigures.compute([holiday(47), holiday(48)], window: ISODuration(days: 28), endingOn: day("2026-11-29")) == nil)
        #expect(AttendanceFigures.compute([absent(40)], window: ISODuration(days: 28), endingOn: day("2026-11-29")) == nil)
    }

    // MARK: - Whole weeks without attendance

    @Test func fourWeeksInARow() throws {
        let records = [present(41), present(42), absent(43), absent(44), absent(45), absent(46), present(47), present(48)]
        let f = try #require(AttendanceFigures.compute(records, window: ISODuration(days: 56), endingOn: day("2026-11-29")))
        #expect(f.wholeWeeksAbsent == 4)
        #expect(met(Self.processledare, records, on: "2026-11-29").contains("fyra-veckor-utan-narvaro"))
        // Four weeks later the run has left the eight-week window in part: weeks 45–52 hold two.
        let later = records + [present(49), present(50), present(51), present(52)]
        #expect(!met(Self.processledare, later, on: "2026-12-27").contains("fyra-veckor-utan-narvaro"))
    }

    @Test func aWeekWithAttendanceBreaksTheRun() throws {
        let records = [present(41), present(42), absent(43), absent(44), week(45, 1000, 30, 0, 970), absent(46), absent(47), present(48)]
        let f = try #require(AttendanceFigures.compute(records, window: ISODuration(days: 56), endingOn: day("2026-11-29")))
        #expect(f.wholeWeeksAbsent == 2)
        #expect(!met(Self.processledare, records, on: "2026-11-29").contains("fyra-veckor-utan-narvaro"))
    }

    @Test func aHolidayWeekNeitherCountsNorBreaks() throws {
        let records = [present(41), absent(42), absent(43), holiday(44), absent(45), absent(46), present(47), present(48)]
        let f = try #require(AttendanceFigures.compute(records, window: ISODuration(days: 56), endingOn: day("2026-11-29")))
        #expect(f.wholeWeeksAbsent == 4)
    }

    @Test func aWeekWithoutDataBreaksTheRun() throws {
        let records = [present(41), absent(42), absent(43), absent(45), absent(46), present(47), present(48)]
        let f = try #require(AttendanceFigures.compute(records, window: ISODuration(days: 56), endingOn: day("2026-11-29")))
        #expect(f.wholeWeeksAbsent == 2)
    }

    /// One row from Monday of week 43 to Friday of week 46 covers the weekdays of four weeks.
    @Test func aDateRangeCoversWholeWeeks() throws {
        let range = AttendanceRecord(
            student: Self.student, from: day("2026-10-19"), to: day("2026-11-13"), unit: .lessons, scheduled: 120, attended: 0,
            validAbsence: 20, invalidAbsence: 100)
        let records = [present(41), present(42), range, present(47), present(48)]
        let f = try #require(AttendanceFigures.compute(records, window: ISODuration(days: 56), endingOn: day("2026-11-29")))
        #expect(f.wholeWeeksAbsent == 4)
        #expect(f.unit == nil)
    }

    // MARK: - Triggers

    /// Processledare: at least 20 % absence over four weeks.
    @Test func twentyPercentOverFourWeeks() {
        // 760 and 800 of 4000 scheduled minutes in weeks 45–48: 19 % and 20 %.
        let below = (45...48).map { week($0, 1000, 810, 95, 95) }
        #expect(met(Self.processledare, below, on: "2026-11-29") == [])
        let at = (45...48).map { week($0, 1000, 800, 100, 100) }
        #expect(met(Self.processledare, at, on: "2026-11-29") == ["franvaro-20"])
    }

    /// HSP: three whole weeks over six weeks, and at least 50 % over twelve weeks.
    @Test func hspTriggers() {
        let records = (37...45).map(present) + [absent(46), absent(47), absent(48)]
        #expect(met(HSP.programme, records, on: "2026-11-29") == ["tre-veckor-utan-narvaro"])
        let half = (37...42).map(present) + (43...48).map(absent)
        #expect(met(HSP.programme, half, on: "2026-11-29") == ["tre-veckor-utan-narvaro", "franvaro-50"])
    }

    /// Without data nothing is met, even a test that would hold for "not a number".
    @Test func missingDataIsNotTriggered() throws {
        let source = """
            <?xml version="1.0" encoding="UTF-8"?>
            <programme xmlns="urn:narvaro:programme:1" id="mini" version="1.0.0" xml:lang="sv">
              <title>Mini</title>
              <owner>Test</owner>
              <provenance>Test.</provenance>
              <roles><role id="behandlare" kind="staff"><title>Behandlare</title></role></roles>
              <phase id="fas" duration="P4W">
                <title>Fas</title>
                <step id="steg" performed-by="behandlare" domain="skola"><title>Steg</title></step>
              </phase>
              <screening>
                <trigger id="inte-80" window="P4W" test="not($narvaro_procent &gt;= 80)"><title>Under 80 procent närvaro</title></trigger>
                <trigger id="ogiltig-10" window="P3M" test="$ogiltig_franvaro_procent &gt;= 10 and $narvaro_procent &lt; 85">
                  <title>Ogiltig frånvaro</title>
                </trigger>
              </screening>
            </programme>
            """
        let programme: Programme
        switch ProgrammeLoader.load(bytes: Array(source.utf8), file: "mini.xml") {
        case .success(let loaded): programme = loaded.programme
        case .failure(let error):
            Issue.record("mini.xml: \(error.diagnostics.map { $0.rendered(.en) })")
            return
        }
        #expect(met(programme, [], on: "2026-11-29") == [])
        #expect(met(programme, [holiday(47), holiday(48)], on: "2026-11-29") == [])
        // Weeks 37–48 (the rows ending in the three months to 2026-11-29): 12 % invalid, 78 % attended.
        let records = (37...48).map { week($0, 1000, 780, 100, 120) }
        #expect(met(programme, records, on: "2026-11-29") == ["inte-80", "ogiltig-10"])
    }
}
