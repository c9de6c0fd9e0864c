/// A student's periods must not overlap, or the same school days would count twice. The same period
/// again replaces the old figures; a different period that overlaps is refused.
public enum AttendancePeriods {
    /// A period already in the store.
    public struct Stored: Hashable, Sendable {
        public var from: Day
        public var to: Day
        public var file: String

        public init(from: Day, to: Day, file: String) {
            self.from = from
            self.to = to
            self.file = file
        }
    }

    /// The rows (each with the student's key) whose period overlaps another row of the file for the
    /// same student, or a different stored period of that student.
    public static func conflicts(_ rows: [(key: String, record: AttendanceRecord)], stored: [String: [Stored]]) -> [AttendanceProblem] {
        var problems: [AttendanceProblem] = []
        for (key, group) in Dictionary(grouping: rows, by: \.key) {
            let sorted = group.map(\.record).sorted { ($0.from, $0.line) < ($1.from, $1.line) }
            var reach: AttendanceRecord?
            for record in sorted {
                if let other = reach, record.from <= other.to {
                    let (early, late) = record.line < other.line ? (record, other) : (other, record)
                    if early.from == late.from, early.to == late.to {
                        problems.append(AttendanceProblem(
                            line: late.line,
                            sv: "samma elev och period som på rad \(early.line)",
                            en: "the same student and period as on line \(early.line)"))
                    } else {
                        problems.append(AttendanceProblem(
                            line: late.line,
                            sv: "perioden \(late.from)–\(late.to) överlappar \(early.from)–\(early.to) för samma elev på rad \(early.line)",
                            en: "the period \(late.from)–\(late.to) overlaps \(early.from)–\(early.to) of the same student on line \(early.line)"))
                    }
                }
                if reach == nil || record.to > reach!.to { reach = record }
            }
            for record in group.map(\.record) {
                for old in stored[key] ?? [] where old.from <= record.to && record.from <= old.to && (old.from, old.to) != (record.from, record.to) {
                    problems.append(AttendanceProblem(
                        line: record.line,
                        sv: "perioden \(record.from)–\(record.to) överlappar \(old.from)–\(old.to) som redan är inläst för samma elev (från \(old.file)); dela upp exporten per vecka",
                        en: "the period \(record.from)–\(record.to) overlaps \(old.from)–\(old.to), already imported for the same student (from \(old.file)); export one row per week"))
                    break
                }
            }
        }
        return AttendanceProblem.ordered(problems)
    }
}
