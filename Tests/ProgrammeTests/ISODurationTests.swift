import Testing

@testable import Programme

@Suite struct ISODurationTests {
    @Test(arguments: [
        ("P3W", 0, 21), ("P10D", 0, 10), ("P6M", 6, 0), ("P1Y", 12, 0), ("P1Y2M3W4D", 14, 25), ("P0D", 0, 0),
    ])
    func parsesTheSubset(_ text: String, _ months: Int, _ days: Int) {
        #expect(ISODuration(parsing: text) == ISODuration(months: months, days: days))
    }

    @Test(arguments: ["", "P", "3W", "PT1H", "P1H", "P-1D", "P1D2W", "P1.5W", "p3w", "P3W ", "P999999D"])
    func refusesEverythingElse(_ text: String) {
        #expect(ISODuration(parsing: text) == nil)
    }

    @Test func spellsForPeople() {
        #expect(ISODuration(parsing: "P3W")!.spelled(.sv) == "3 veckor")
        #expect(ISODuration(parsing: "P1W")!.spelled(.en) == "1 week")
        #expect(ISODuration(parsing: "P6M")!.spelled(.sv) == "6 månader")
        #expect(ISODuration(parsing: "P10D")!.spelled(.en) == "10 days")
    }
}

@Suite struct ISODateTests {
    @Test(arguments: ["2026-11-22", "2024-02-29", "2000-02-29", "1970-01-01"])
    func acceptsRealDates(_ text: String) {
        let day = ISODate.dayNumber(text)
        #expect(day != nil)
        #expect(day.map(ISODate.string(fromDayNumber:)) == text)
    }

    @Test(arguments: ["2026-02-29", "1900-02-29", "2026-13-01", "2026-04-31", "2026-1-01", "26-01-01", "2026-01-00", "abcd-ef-gh",
                       "２０２６-01-01", "2026-01-01 ", " 2026-01-01", "2026/01/01", "2026-0a-01", "+026-01-01", "2026-01-1٣"])
    func refusesImpossibleDates(_ text: String) {
        #expect(ISODate.dayNumber(text) == nil)
    }

    @Test func dayNumbersCountDays() {
        #expect(ISODate.dayNumber("1970-01-01") == 0)
        #expect(ISODate.dayNumber("2026-03-01")! - ISODate.dayNumber("2026-02-28")! == 1)
        #expect(ISODate.dayNumber("2024-03-01")! - ISODate.dayNumber("2024-02-28")! == 2)
    }

    @Test func everyDayOfTwoCenturiesGoesThereAndBack() {
        let first = ISODate.dayNumber("1900-01-01")!, last = ISODate.dayNumber("2099-12-31")!
        var previous: String?
        for n in first...last {
            let text = ISODate.string(fromDayNumber: n)
            #expect(ISODate.dayNumber(text) == n)
            if let previous { #expect(previous < text) }
            previous = text
        }
        #expect(last - first + 1 == 73_049)
    }
}
