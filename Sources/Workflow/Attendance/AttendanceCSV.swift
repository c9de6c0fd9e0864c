/// Reads the attendance export of a school system (docs/attendance.md): a header line, then one row
/// per student and period. Every problem is reported with its 1-based line; nothing is guessed.
///
/// Messages never repeat what a cell holds: a column that slipped could put a personnummer there.
public enum AttendanceCSV {
    /// The rows that could be read and the problems of the others. A file is usable only when
    /// `problems` is empty.
    public struct Parsed: Sendable {
        public var file: String
        public var records: [AttendanceRecord]
        public var problems: [AttendanceProblem]
    }

    /// Files larger than this are refused (a school's whole year is far smaller).
    public static let maxBytes = 32 << 20

    /// Parses the file's bytes. `today` gives a 10-digit personnummer its century.
    public static func parse(_ bytes: [UInt8], file: String, today: Day) -> Parsed {
        var parsed = Parsed(file: file, records: [], problems: [])
        guard bytes.count <= maxBytes else {
            parsed.problems.append(AttendanceProblem(
                line: 1, sv: "filen är större än \(maxBytes >> 20) MiB; dela upp den", en: "the file is larger than \(maxBytes >> 20) MiB; split it"))
            return parsed
        }
        let text: String
        switch decode(bytes) {
        case .success(let decoded): text = decoded
        case .failure(let problem):
            parsed.problems.append(problem)
            return parsed
        }
        let (rows, tokenProblems) = rows(text, separator: separator(of: text))
        parsed.problems = tokenProblems
        let content = rows.filter { !$0.isBlank }
        guard let header = content.first else {
            parsed.problems.append(AttendanceProblem(line: 1, sv: "filen är tom", en: "the file is empty"))
            return parsed
        }
        let columns: [AttendanceColumn: Int]
        switch Self.columns(header) {
        case .success(let found): columns = found
        case .failure(let problem):
            parsed.problems.append(problem)
            parsed.problems = AttendanceProblem.ordered(parsed.problems)
            return parsed
        }
        let reader = RowReader(columns: columns, headers: header.fields, today: today)
        for row in content.dropFirst() {
            let (record, problems) = reader.record(row)
            if let record { parsed.records.append(record) }
            parsed.problems += problems
        }
        parsed.problems = AttendanceProblem.ordered(parsed.problems)
        return parsed
    }

    /// Where each column is, or what is wrong with the header.
    static func columns(_ header: Row) -> Result<[AttendanceColumn: Int], AttendanceProblem> {
        var found: [AttendanceColumn: Int] = [:]
        for (index, text) in header.fields.enumerated() {
            guard let column = AttendanceColumn(header: text) else { continue }
            if let first = found[column] {
                let a = printable(header.fields[first]), b = printable(text)
                return .failure(AttendanceProblem(
                    line: header.line,
                    sv: "kolumnerna '\(a)' och '\(b)' betyder båda \(column.names.sv); ta bort eller byt namn på den ena (för elevens namn: 'namn')",
                    en: "the columns '\(a)' and '\(b)' both mean \(column.names.en); remove or rename one (for the student's name: 'name')"))
            }
            found[column] = index
        }
        var missing: [AttendanceColumn] = found[.student] == nil ? [.student] : []
        if found[.week] == nil {
            switch (found[.from], found[.to]) {
            case (nil, nil): missing.append(.week)
            case (nil, _): missing.append(.from)
            case (_, nil): missing.append(.to)
            default: break
            }
        }
        let counts: [AttendanceColumn] = [.scheduled, .attended, .validAbsence, .invalidAbsence]
        missing += counts.filter { found[$0] == nil }
        guard missing.isEmpty else {
            let sv = missing.map { column -> String in
                column == .week ? "'vecka' (eller 'från' och 'till')" : "'\(column.names.sv)'"
            }
            let en = missing.map { column -> String in
                column == .week ? "'week' (or 'from' and 'to')" : "'\(column.names.en)'"
            }
            return .failure(AttendanceProblem(
                line: header.line,
                sv: "rubrikraden saknar \(sv.count == 1 ? "kolumnen" : "kolumnerna") \(sv.joined(separator: ", ")) (se docs/attendance.md)",
                en: "the header line lacks the \(en.count == 1 ? "column" : "columns") \(en.joined(separator: ", ")) (see docs/attendance.md)"))
        }
        return .success(found)
    }
}
