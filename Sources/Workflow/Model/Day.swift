/// A calendar day (no time, no time zone), stored as `YYYY-MM-DD`.
public struct Day: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var number: Int

    public init(_ number: Int) {
        self.number = number
    }

    public init?(_ iso: String) {
        guard let n = ISODate.dayNumber(iso) else { return nil }
        number = n
    }

    public var description: String { ISODate.string(fromDayNumber: number) }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }

    public static func + (day: Day, days: Int) -> Day { Day(day.number + days) }

    /// Days from `a` to `b`.
    public static func - (b: Day, a: Day) -> Int { b.number - a.number }

    /// The day `duration` after this one: months by the calendar (31 January + 1 month = 28/29
    /// February), then days.
    public func adding(_ duration: ISODuration) -> Day {
        guard duration.months != 0 else { return self + duration.days }
        let date = ISODate.civil(fromDayNumber: number)
        let total = date.year * 12 + (date.month - 1) + duration.months
        let year = total / 12, month = total % 12 + 1
        let day = min(date.day, ISODate.daysInMonth(year: year, month: month))
        return Day(ISODate.dayNumber(year: year, month: month, day: day)) + duration.days
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let n = ISODate.dayNumber(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date: \(text)")
        }
        number = n
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
