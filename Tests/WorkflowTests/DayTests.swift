import Testing
@testable import Workflow

/// Calendar arithmetic on days: months by the calendar, the day kept where the month has it.
@Suite("Days")
struct DayTests {
    /// The rule written out on the date's text: move the month, keep the day unless the month is
    /// shorter, then add the days.
    static func byText(_ day: Day, months: Int, days: Int) -> Day {
        let parts = day.description.split(separator: "-").compactMap { Int($0) }
        let total = parts[0] * 12 + (parts[1] - 1) + months
        let year = total / 12, month = total % 12 + 1
        let d = min(parts[2], ISODate.daysInMonth(year: year, month: month))
        return Day(ISODate.dayNumber(year: year, month: month, day: d)) + days
    }

    @Test func addingMonthsFollowsTheCalendar() {
        #expect(Day("2026-01-31")!.adding(ISODuration(months: 1, days: 0)) == Day("2026-02-28")!)
        #expect(Day("2028-01-31")!.adding(ISODuration(months: 1, days: 0)) == Day("2028-02-29")!)
        #expect(Day("2026-03-31")!.adding(ISODuration(months: -1, days: 0)) == Day("2026-02-28")!)
        #expect(Day("2026-11-15")!.adding(ISODuration(months: 3, days: 2)) == Day("2027-02-17")!)
        // Every day of four years (a leap year among them), moved by -13 to 40 months.
        let first = Day("2026-01-01")!
        for offset in 0..<(4 * 366) {
            let day = first + offset
            for months in [-13, -1, 1, 2, 6, 11, 12, 25, 40] {
                #expect(day.adding(ISODuration(months: months, days: 3)) == Self.byText(day, months: months, days: 3), "\(day) + \(months) months")
            }
        }
    }
}
