/// A calendar duration from the ISO 8601 subset `P[nY][nM][nW][nD]` (for example `P3W`, `P6M`).
public struct ISODuration: Hashable, Sendable, Codable, CustomStringConvertible {
    public var months: Int
    public var days: Int

    public init(months: Int = 0, days: Int = 0) {
        self.months = months
        self.days = days
    }

    /// Parses `P1Y2M3W4D` and its subsets; nil for anything else (`P`, `PT1H`, `3W`, `P-1D`).
    public init?(parsing text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    /// The parse over UTF-8 bytes: the format is ASCII, so any other byte makes the text invalid
    /// (as a non-ASCII character does), and no `Character` or dictionary is needed per call.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ISODuration? {
        guard bytes.count > 1, bytes[0] == UInt8(ascii: "P") else { return nil }
        var months = 0, days = 0
        var lastUnitRank = -1
        var i = 1
        while i < bytes.count {
            var n = 0, digits = 0
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                guard digits < 5 else { return nil }
                n = n * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                digits += 1
                i += 1
            }
            guard digits > 0, i < bytes.count else { return nil }
            let rank: Int
            switch bytes[i] {
            case UInt8(ascii: "Y"): rank = 0; months += 12 * n
            case UInt8(ascii: "M"): rank = 1; months += n
            case UInt8(ascii: "W"): rank = 2; days += 7 * n
            case UInt8(ascii: "D"): rank = 3; days += n
            default: return nil
            }
            guard rank > lastUnitRank else { return nil }
            lastUnitRank = rank
            i += 1
        }
        return ISODuration(months: months, days: days)
    }

    /// Days for comparing two durations; a month counts as 30 days, a year as 360.
    public var approximateDays: Int { months * 30 + days }

    public var description: String {
        var s = "P"
        if months >= 12, months % 12 == 0 { s += "\(months / 12)Y" } else if months > 0 { s += "\(months)M" }
        if days > 0, days % 7 == 0 { s += "\(days / 7)W" } else if days > 0 { s += "\(days)D" }
        return s == "P" ? "P0D" : s
    }

    /// A reading for people: "3 veckor" / "3 weeks".
    public func spelled(_ language: Language) -> String {
        var parts: [String] = []
        func unit(_ n: Int, _ sv1: String, _ svN: String, _ en1: String, _ enN: String) {
            guard n > 0 else { return }
            switch language {
            case .sv: parts.append("\(n) \(n == 1 ? sv1 : svN)")
            case .en: parts.append("\(n) \(n == 1 ? en1 : enN)")
            }
        }
        let years = months % 12 == 0 ? months / 12 : 0
        unit(years, "år", "år", "year", "years")
        unit(years > 0 ? 0 : months, "månad", "månader", "month", "months")
        let weeks = days % 7 == 0 ? days / 7 : 0
        unit(weeks, "vecka", "veckor", "week", "weeks")
        unit(weeks > 0 ? 0 : days, "dag", "dagar", "day", "days")
        if parts.isEmpty { return language == .sv ? "0 dagar" : "0 days" }
        return parts.joined(separator: " ")
    }
}
