/// Calendar dates written `YYYY-MM-DD`, as plain day numbers (no time zones, no Foundation).
public enum ISODate {
    /// Days since 1970-01-01 for a valid `YYYY-MM-DD`; nil for anything else, including 2026-02-30.
    public static func dayNumber(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { b -> Int? in
            guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for i in range {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                    value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
                }
                return value
            }
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
                  (1...12).contains(m), d >= 1, d <= daysInMonth(year: y, month: m)
            else { return nil }
            return dayNumber(year: y, month: m, day: d)
        }
    }

    public static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), from Howard Hinnant's days_from_civil.
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The calendar date of a day number (days since 1970-01-01).
    public static func civil(fromDayNumber z: Int) -> (year: Int, month: Int, day: Int) {
        let z = z + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD` for a day number.
    public static func string(fromDayNumber z: Int) -> String {
        let (y, m, d) = civil(fromDayNumber: z)
        guard (0...9999).contains(y) else {
            func pad(_ n: Int, _ width: Int) -> String {
                let s = String(n)
                return String(repeating: "0", count: max(0, width - s.count)) + s
            }
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        }
        let digits: [UInt8] = [
            UInt8(48 + y / 1000), UInt8(48 + y / 100 % 10), UInt8(48 + y / 10 % 10), UInt8(48 + y % 10), UInt8(ascii: "-"),
            UInt8(48 + m / 10), UInt8(48 + m % 10), UInt8(ascii: "-"), UInt8(48 + d / 10), UInt8(48 + d % 10),
        ]
        return String(decoding: digits, as: UTF8.self)
    }
}
