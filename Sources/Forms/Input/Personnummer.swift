/// A Swedish personnummer or samordningsnummer, validated (date and Luhn check digit) and kept in
/// canonical 12-digit form. Its `description` never shows the number.
public struct Personnummer: Hashable, Sendable, CustomStringConvertible {
    public enum Problem: Error, Hashable, Sendable {
        /// Not 10 or 12 digits with an optional '-' or '+'.
        case format
        /// The date part is not a real date (day − 60 for a samordningsnummer).
        case date
        /// The last digit does not match the Luhn check digit.
        case checkDigit
    }

    /// `YYYYMMDDNNNC`.
    public let canonical: String
    public let isSamordningsnummer: Bool

    /// Parses `YYMMDD-NNNC`, `YYMMDD+NNNC`, `YYMMDDNNNC`, `YYYYMMDD-NNNC` or `YYYYMMDDNNNC`.
    /// A 10-digit number gets its century from `today` (a day number): the most recent century in
    /// which the date is not in the future, or one more century back with '+' (100 years or older).
    public static func parse(_ input: String, today: Int) -> Result<Personnummer, Problem> {
        let trimmed = input.filter { $0 != " " }
        var separator: Character?
        var digits: [Int] = []
        for (i, c) in trimmed.enumerated() {
            if let d = c.wholeNumberValue, c.isASCII {
                digits.append(d)
            } else if (c == "-" || c == "+"), separator == nil, i == trimmed.count - 5 {
                separator = c
            } else {
                return .failure(.format)
            }
        }
        guard digits.count == 10 || digits.count == 12 else { return .failure(.format) }
        let short = Array(digits.suffix(10))
        // Luhn over the 9 digits YYMMDDNNN, weights 2, 1, 2, …
        var sum = 0
        for (i, d) in short.prefix(9).enumerated() {
            let product = d * (i % 2 == 0 ? 2 : 1)
            sum += product / 10 + product % 10
        }
        let check = (10 - sum % 10) % 10
        let yy = short[0] * 10 + short[1]
        let month = short[2] * 10 + short[3]
        var day = short[4] * 10 + short[5]
        let coordination = day > 60
        if coordination { day -= 60 }
        let year: Int
        if digits.count == 12 {
            year = digits[0] * 1000 + digits[1] * 100 + yy
            if separator == "+" { return .failure(.format) }
        } else {
            let (todayYear, todayMonth, todayDay) = Self.civil(today)
            var candidate = (todayYear / 100) * 100 + yy
            // The most recent century in which the birthday is not after today.
            if (candidate, month, day) > (todayYear, todayMonth, todayDay) { candidate -= 100 }
            if separator == "+" { candidate -= 100 }
            year = candidate
        }
        guard (1...12).contains(month), day >= 1, day <= ISODate.daysInMonth(year: year, month: month) else {
            return .failure(.date)
        }
        guard check == short[9] else { return .failure(.checkDigit) }
        var canonical = String(year)
        while canonical.count < 4 { canonical = "0" + canonical }
        canonical += short[2...].map(String.init).joined()
        return .success(Personnummer(canonical: canonical, isSamordningsnummer: coordination))
    }

    private init(canonical: String, isSamordningsnummer: Bool) {
        self.canonical = canonical
        self.isSamordningsnummer = isSamordningsnummer
    }

    /// `YYYYMMDD-****`, the form to show on screen.
    public var masked: String { String(canonical.prefix(8)) + "-****" }

    public var description: String { masked }

    private static func civil(_ dayNumber: Int) -> (Int, Int, Int) {
        let s = ISODate.string(fromDayNumber: dayNumber).split(separator: "-").compactMap { Int($0) }
        return (s[0], s[1], s[2])
    }
}
