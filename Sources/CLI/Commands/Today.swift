import Foundation
import Programme

/// Today's date for the CLI: the system clock in the local time zone, or `NARVARO_TODAY`
/// (`YYYY-MM-DD`) when set, so that tests and demos run on a fixed day.
enum Today {
    static func dayNumber(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let fixed = environment["NARVARO_TODAY"], let day = ISODate.dayNumber(fixed) { return day }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return ISODate.dayNumber(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }
}
