extension AttendanceCSV {
    /// Turns one data row into a record, or says everything that is wrong with it.
    struct RowReader {
        let columns: [AttendanceColumn: Int]
        let headers: [String]
        let today: Day

        /// Absence may be over scheduled time by this share (rounding in the school system).
        static let tolerance = 0.01

        func record(_ row: Row) -> (record: AttendanceRecord?, problems: [AttendanceProblem]) {
            var problems: [AttendanceProblem] = []
            func problem(_ sv: String, _ en: String) { problems.append(AttendanceProblem(line: row.line, sv: sv, en: en)) }
            let width = headers.count
            if row.fields.count < width || row.fields.dropFirst(width).contains(where: { !$0.trimmingWhitespace.isEmpty }) {
                problem(
                    "raden har \(row.fields.count) fält men rubrikraden \(width); kontrollera avgränsare och citattecken (med komma som avgränsare ska ett decimalkomma stå inom citattecken: \"12,5\")",
                    "the row has \(row.fields.count) fields but the header line \(width); check the separators and quotes (with commas as separators, quote a decimal comma: \"12,5\")")
                return (nil, problems)
            }
            func cell(_ column: AttendanceColumn) -> String { columns[column].map { row.fields[$0].trimmingWhitespace } ?? "" }
            func label(_ column: AttendanceColumn) -> String { columns[column].map { "'\(printable(headers[$0]))'" } ?? "''" }

            // The student: a personnummer (never repeated in a message) or a case code.
            var student: AttendanceRecord.Student?
            let key = cell(.student)
            if key.isEmpty {
                problem("\(label(.student)) är tom; ange personnummer eller ärendekod", "\(label(.student)) is empty; give a personnummer or a case code")
            } else if key.contains(where: \.isLetter) {
                if CaseCodePattern.matches(key.uppercased()) {
                    student = .caseCode(key.uppercased())
                } else {
                    problem(
                        "\(label(.student)) är varken ett personnummer eller en ärendekod (som HSP-2026-0001)",
                        "\(label(.student)) is neither a personnummer nor a case code (such as HSP-2026-0001)")
                }
            } else {
                switch Personnummer.parse(key, today: today.number) {
                case .success(let personnummer): student = .personnummer(personnummer)
                case .failure(let error):
                    let message = FieldError.personnummer(error).localized
                    problem("\(label(.student)): \(message.sv)", "\(label(.student)): \(message.en)")
                }
            }

            // The period: an ISO week, or from and to.
            let before = problems.count
            let weekText = cell(.week), fromText = cell(.from), toText = cell(.to)
            var week: (monday: Day, sunday: Day)?
            if !weekText.isEmpty {
                week = ISOWeek.parse(weekText)
                if week == nil {
                    problem(
                        "\(label(.week)) är ingen vecka som finns; skriv till exempel 2026-W45",
                        "\(label(.week)) is not a week that exists; write for example 2026-W45")
                }
            }
            func date(_ column: AttendanceColumn, _ text: String) -> Day? {
                guard !text.isEmpty else { return nil }
                if let day = Day(text) { return day }
                problem(
                    "\(label(column)) är inget datum som finns; skriv ÅÅÅÅ-MM-DD, till exempel 2026-11-02",
                    "\(label(column)) is not a date that exists; write YYYY-MM-DD, for example 2026-11-02")
                return nil
            }
            let from = date(.from, fromText), to = date(.to, toText)
            if fromText.isEmpty != toText.isEmpty {
                problem("ange båda datumen, \(label(.from)) och \(label(.to))", "give both dates, \(label(.from)) and \(label(.to))")
            } else if weekText.isEmpty, fromText.isEmpty {
                let sv = columns[.week] != nil ? "ange veckan" : "ange \(label(.from)) och \(label(.to))"
                let en = columns[.week] != nil ? "give the week" : "give \(label(.from)) and \(label(.to))"
                problem(sv, en)
            }
            if let from, let to, from > to {
                problem("\(label(.from)) är efter \(label(.to))", "\(label(.from)) is after \(label(.to))")
            }
            if let week, let from, let to, week.monday != from || week.sunday != to {
                problem(
                    "veckan och datumen stämmer inte överens (vecka \(week.monday)–\(week.sunday))",
                    "the week and the dates do not agree (week \(week.monday)–\(week.sunday))")
            }
            let period = problems.count == before ? (week.map { ($0.monday, $0.sunday) } ?? from.flatMap { f in to.map { (f, $0) } }) : nil

            // The unit and the figures.
            var unit = AttendanceRecord.Unit.minutes
            if !cell(.unit).isEmpty {
                switch AttendanceColumn.normalise(cell(.unit)) {
                case "minuter", "minut", "min", "minutes", "minute", "mins": unit = .minutes
                case "lektioner", "lektion", "lektionspass", "lessons", "lesson": unit = .lessons
                default:
                    problem("\(label(.unit)): skriv minuter eller lektioner", "\(label(.unit)): write minutes or lessons")
                }
            }
            func figure(_ column: AttendanceColumn, emptyIsZero: Bool) -> Double? {
                switch AttendanceCSV.number(cell(column)) {
                case .value(let n): return n
                case .empty where emptyIsZero: return 0
                case .empty:
                    problem("\(label(column)) är tom", "\(label(column)) is empty")
                case .negative:
                    problem("\(label(column)) får inte vara negativ", "\(label(column)) may not be negative")
                case .invalid:
                    problem(
                        "\(label(column)) är inget tal; skriv bara siffror, med decimalkomma eller decimalpunkt",
                        "\(label(column)) is not a number; write digits only, with a decimal comma or point")
                }
                return nil
            }
            let scheduled = figure(.scheduled, emptyIsZero: false), attended = figure(.attended, emptyIsZero: false)
            let valid = figure(.validAbsence, emptyIsZero: true), invalid = figure(.invalidAbsence, emptyIsZero: true)
            if let scheduled, let attended, attended > scheduled {
                problem(
                    "\(label(.attended)) är större än \(label(.scheduled))",
                    "\(label(.attended)) is greater than \(label(.scheduled))")
            } else if let scheduled, let attended, let valid, let invalid,
                      attended + valid + invalid > scheduled * (1 + Self.tolerance) + 1e-9 {
                problem(
                    "närvarande, giltig och ogiltig frånvaro blir tillsammans mer än \(label(.scheduled)) (mer än 1 % över)",
                    "attended, valid and invalid absence add up to more than \(label(.scheduled)) (more than 1 % over)")
            }
            guard problems.isEmpty, let student, let period, let scheduled, let attended, let valid, let invalid else { return (nil, problems) }
            let name = printable(cell(.name))
            return (AttendanceRecord(
                line: row.line, student: student, name: name.isEmpty ? nil : name, from: period.0, to: period.1, unit: unit,
                scheduled: scheduled, attended: attended, validAbsence: valid, invalidAbsence: invalid), [])
        }
    }

    /// The text without control characters (a name or header could otherwise steer the terminal it
    /// is printed on), trimmed, at most 200 characters.
    static func printable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter {
            $0.properties.generalCategory != .control && $0.properties.generalCategory != .format
        })
        return String(String(scalars).trimmingWhitespace.prefix(200))
    }

    enum Number: Equatable {
        case value(Double)
        case empty
        case negative
        case invalid
    }

    /// A count as school systems write it: `12`, `12,5` or `12.5`, spaces (also non-breaking) between
    /// groups of digits (`1 200`); no exponent, no sign other than a minus (reported as negative).
    static func number(_ text: String) -> Number {
        var s = text.unicodeScalars.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" && $0 != "\u{2009}" }
        if s.isEmpty { return .empty }
        var negative = false
        if s.first == "-" || s.first == "\u{2212}" {
            negative = true
            s.removeFirst()
        }
        var digits = "", seenPoint = false, fraction = 0
        for c in s {
            if c.properties.numericType != nil, c.isASCII {
                digits.unicodeScalars.append(c)
                if seenPoint { fraction += 1 }
            } else if c == "," || c == ".", !seenPoint, !digits.isEmpty {
                seenPoint = true
                digits.append(".")
            } else {
                return .invalid
            }
        }
        guard !digits.isEmpty, !seenPoint || fraction > 0, digits.count <= 16, let value = Double(digits) else { return .invalid }
        return negative && value != 0 ? .negative : .value(value)
    }
}
