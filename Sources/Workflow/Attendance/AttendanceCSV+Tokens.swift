extension AttendanceCSV {
    /// One row of the file split into fields, with the line it starts on.
    struct Row {
        var line: Int
        var fields: [String]

        var isBlank: Bool { fields.allSatisfy { $0.trimmingWhitespace.isEmpty } }
    }

    /// The file's bytes as text: without a UTF-8 byte order mark, and refused (with the line of the first
    /// bad byte) when they are not UTF-8.
    static func decode(_ bytes: [UInt8]) -> Result<String, AttendanceProblem> {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .failure(AttendanceProblem(
                line: 1,
                sv: "filen är sparad som UTF-16; spara den som UTF-8 (i Excel: \"CSV UTF-8 (kommaavgränsad)\")",
                en: "the file is saved as UTF-16; save it as UTF-8 (in Excel: \"CSV UTF-8 (Comma delimited)\")"))
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        if let text = String(validating: body, as: UTF8.self) { return .success(text) }
        var line = 1
        var start = body.startIndex
        while start < body.endIndex {
            let end = body[start...].firstIndex(of: 0x0A) ?? body.endIndex
            if String(validating: body[start..<end], as: UTF8.self) == nil { break }
            line += 1
            start = end + 1
        }
        return .failure(AttendanceProblem(
            line: line,
            sv: "filen är inte UTF-8 (den är kanske sparad som Windows-1252/ANSI); spara den som UTF-8 (i Excel: \"CSV UTF-8\")",
            en: "the file is not UTF-8 (perhaps it was saved as Windows-1252/ANSI); save it as UTF-8 (in Excel: \"CSV UTF-8\")"))
    }

    /// The separator the header line uses: `;`, `,` or a tab, whichever it has most of outside quotes
    /// (`;` when it has none).
    static func separator(of text: String) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [";": 0, ",": 0, "\t": 0]
        var quoted = false
        var seenText = false
        for c in text.unicodeScalars {
            if c == "\"" { quoted.toggle() }
            if !quoted, c == "\n" || c == "\r" {
                if seenText { break }
                continue
            }
            if !quoted, counts[c] != nil { counts[c]! += 1 }
            if c != " " { seenText = true }
        }
        return [";", "\t", ","].max { counts[$0]! < counts[$1]! } ?? ";"
    }

    /// Splits the text into rows and fields: fields in double quotes may hold the separator, line
    /// breaks and doubled quotes (`""`); lines end with LF, CRLF or CR.
    static func rows(_ text: String, separator: Unicode.Scalar) -> (rows: [Row], problems: [AttendanceProblem]) {
        let s = Array(text.unicodeScalars)
        var rows: [Row] = [], problems: [AttendanceProblem] = []
        var i = 0, line = 1
        func isEnd(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == "\r" }
        /// Steps over one line break at `i`.
        func breakLine() {
            if s[i] == "\r", i + 1 < s.count, s[i + 1] == "\n" { i += 1 }
            i += 1
            line += 1
        }
        while i < s.count {
            let start = line
            var fields: [String] = []
            var bad = false
            while true {
                var field = String.UnicodeScalarView()
                if i < s.count, s[i] == "\"" {
                    i += 1
                    var closed = false
                    while i < s.count {
                        if s[i] == "\"" {
                            if i + 1 < s.count, s[i + 1] == "\"" {
                                field.append("\"")
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if isEnd(s[i]) {
                            let crlf = s[i] == "\r" && i + 1 < s.count && s[i + 1] == "\n"
                            field.append(s[i])
                            if crlf { field.append("\n"); i += 1 }
                            i += 1
                            line += 1
                            continue
                        }
                        field.append(s[i])
                        i += 1
                    }
                    guard closed else {
                        problems.append(AttendanceProblem(
                            line: start,
                            sv: "ett citattecken (\") öppnas men stängs aldrig; resten av filen kan inte läsas",
                            en: "a quote (\") is opened but never closed; the rest of the file cannot be read"))
                        return (rows, problems)
                    }
                    while i < s.count, s[i] == " " { i += 1 }
                    if i < s.count, s[i] != separator, !isEnd(s[i]) {
                        problems.append(AttendanceProblem(
                            line: line,
                            sv: "text efter ett avslutande citattecken; skriv \"\" för ett citattecken inuti ett fält",
                            en: "text after a closing quote; write \"\" for a quote inside a field"))
                        bad = true
                        while i < s.count, !isEnd(s[i]) { i += 1 }
                    }
                } else {
                    while i < s.count, s[i] != separator, !isEnd(s[i]) {
                        field.append(s[i])
                        i += 1
                    }
                }
                fields.append(String(field))
                if i < s.count, s[i] == separator {
                    i += 1
                    continue
                }
                if i < s.count { breakLine() }
                break
            }
            if !bad { rows.append(Row(line: start, fields: fields)) }
        }
        return (rows, problems)
    }
}
