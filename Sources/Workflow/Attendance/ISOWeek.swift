/// ISO 8601 weeks: Monday to Sunday, week 1 holds the year's first Thursday.
public enum ISOWeek {
    /// 1 = Monday … 7 = Sunday.
    public static func weekday(_ day: Day) -> Int {
        ((day.number % 7) + 7 + 3) % 7 + 1
    }

    /// The Monday of week 1 of `year`.
    static func firstMonday(_ year: Int) -> Day {
        let january4 = Day(ISODate.dayNumber(year: year, month: 1, day: 4))
        return january4 + (1 - weekday(january4))
    }

    /// 52 or 53.
    public static func weeks(in year: Int) -> Int {
        (firstMonday(year + 1) - firstMonday(year)) / 7
    }

    /// The Monday and Sunday of week `week` of `year`, or nil when the year has no such week.
    public static func days(year: Int, week: Int) -> (monday: Day, sunday: Day)? {
        guard (1...9999).contains(year), week >= 1, week <= weeks(in: year) else { return nil }
        let monday = firstMonday(year) + 7 * (week - 1)
        return (monday, monday + 6)
    }

    /// Reads `2026-W45`, `2026W45` or `2026-45` (a leading zero is optional).
    public static func parse(_ text: String) -> (monday: Day, sunday: Day)? {
        let t = text.uppercased()
        let year: Substring, week: Substring
        if let w = t.firstIndex(of: "W") {
            var head = t[..<w]
            if head.hasSuffix("-") { head = head.dropLast() }
            year = head
            week = t[t.index(after: w)...]
        } else {
            let parts = t.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            year = parts[0]
            week = parts[1]
        }
        guard year.count == 4, (1...2).contains(week.count),
              year.allSatisfy({ $0.isASCII && $0.isNumber }), week.allSatisfy({ $0.isASCII && $0.isNumber }),
              let y = Int(year), let n = Int(week)
        else { return nil }
        return days(year: y, week: n)
    }
}
