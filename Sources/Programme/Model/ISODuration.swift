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
        var rest = Substring(text)
        guard rest.first == "P", rest.count > 1 else { return nil }
        rest = rest.dropFirst()
        var months = 0, days = 0
        var lastUnitRank = -1
        let ranks: [Character: Int] = ["Y": 0, "M": 1, "W": 2, "D": 3]
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, digits.count <= 5, let n = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let rank = ranks[unit], rank > lastUnitRank else { return nil }
            lastUnitRank = rank
            rest = rest.dropFirst()
            switch unit {
            case "Y": months += 12 * n
            case "M": months += n
            case "W": days += 7 * n
            default: days += n
            }
        }
        self.months = months
        self.days = days
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
