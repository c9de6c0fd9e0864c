import Foundation
import Workflow

/// Markdown, CSV and JSON renderings of the published document.
public enum ReportRenderers {
    public static func markdown(_ d: ReportDocument) throws -> String {
        var text = ""
        try markdown(d) { text += $0 }
        return text
    }

    /// The Markdown, a line at a time.
    public static func markdown(_ d: ReportDocument, to write: (String) throws -> Void) throws {
        let lang = d.language
        func line(_ text: String) throws { try write(text + "\n") }
        try line("# \(d.title.text(lang))")
        try line("")
        for (name, value) in d.facts { try line("- **\(name.text(lang))**: \(escapeMarkdown(value))") }
        try line("")
        try line("**\(lang == .sv ? "Index för metodtrohet" : "Fidelity index"): \(d.headline.percent)**" + (d.headline.band.map { " (\($0.text(lang)))" } ?? ""))
        for section in d.sections {
            try line("")
            try line("## \(section.title.text(lang))")
            if let intro = section.intro {
                try line("")
                try line(intro.text(lang))
            }
            for table in section.tables {
                try line("")
                if let title = table.title {
                    try line("**\(title.text(lang))**")
                    try line("")
                }
                guard table.rowCount > 0 else {
                    try line(lang == .sv ? "_Inga uppgifter._" : "_No data._")
                    continue
                }
                try line("| " + table.headers.map { escapeMarkdown($0.text(lang)) }.joined(separator: " | ") + " |")
                try line("|" + table.headers.map { _ in " --- |" }.joined())
                try table.forEachRow { i, row in
                    let cells = row.map { escapeMarkdown($0.display(lang)) }
                    try line("| " + (table.totalRows.contains(i) ? cells.map { "**\($0)**" } : cells).joined(separator: " | ") + " |")
                }
            }
        }
        try line("")
        try line(lang == .sv
            ? "_Antal från 1 till 4 visas som <5. I tabeller döljs fler celler (\"dolt\") så att ett litet antal inte kan räknas fram ur summorna._"
            : "_Counts from 1 to 4 are shown as <5. In tables more cells are hidden (\"hidden\") so that a small count cannot be worked out from the totals._")
    }

    static func escapeMarkdown(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Long format: one line per published value (section, table, row, column, value).
    public static func csv(_ d: ReportDocument) throws -> String {
        var text = ""
        try csv(d) { text += $0 }
        return text
    }

    /// The CSV, a line at a time.
    public static func csv(_ d: ReportDocument, to write: (String) throws -> Void) throws {
        let lang = d.language
        func line(_ fields: [String]) throws { try write(row(fields) + "\r\n") }
        try line(["section", "table", "row", "column", "value"])
        for (name, value) in d.facts { try line(["facts", "", name.text(lang), "", value]) }
        try line(["facts", "", lang == .sv ? "Index" : "Index", "", d.headline.percent])
        for section in d.sections {
            for table in section.tables {
                try table.forEachRow { _, r in
                    guard let first = r.first else { return }
                    for (i, cell) in r.enumerated().dropFirst() where i < table.headers.count {
                        try line([section.id, table.title?.text(lang) ?? "", first.display(lang), table.headers[i].text(lang), cell.display(lang)])
                    }
                }
            }
        }
    }

    /// RFC 4180: quote fields that need it, double the quotes inside.
    static func row(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }

    public static func json(_ d: ReportDocument) throws -> String {
        var text = ""
        try json(d) { text += $0 }
        return text
    }

    /// The JSON. The rows of a streamed table are written one at a time where the document has them,
    /// each as `JSONSerialization` writes it, indented to its place.
    public static func json(_ d: ReportDocument, to write: (String) throws -> Void) throws {
        let lang = d.language
        func cell(_ c: ReportDocument.Cell) -> Any {
            switch c {
            case .text(let s): return s
            case .number(let n, _): return n
            case .suppressed: return "<5"
            case .hidden: return "hidden"
            }
        }
        var streamed: [ReportDocument.Table] = []
        let object: [String: Any] = [
            "title": d.title.text(lang),
            "facts": Dictionary(d.facts.map { ($0.0.text(lang), $0.1) }, uniquingKeysWith: { a, _ in a }),
            "index": d.headline.percent,
            "band": d.headline.band?.text(lang) ?? NSNull(),
            "suppression": lang == .sv ? "antal från 1 till 4 visas som \"<5\"" : "counts from 1 to 4 are shown as \"<5\"",
            "sections": d.sections.map { s in
                [
                    "id": s.id, "title": s.title.text(lang),
                    "tables": s.tables.map { t in
                        let rows: Any
                        if t.streamed != nil {
                            rows = marker(streamed.count)
                            streamed.append(t)
                        } else {
                            rows = t.rows.map { $0.map(cell) }
                        }
                        return [
                            "title": t.title?.text(lang) ?? "",
                            "headers": t.headers.map { $0.text(lang) },
                            "rows": rows,
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
        ]
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var rest = String(decoding: try JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self) + "\n"
        for (n, table) in streamed.enumerated() {
            // The marker is a JSON text on its own line: what is before it on that line is the indent.
            let quoted = "\"" + marker(n) + "\""
            guard let at = rest.range(of: quoted) else { continue }
            let lineStart = rest[..<at.lowerBound].lastIndex(of: "\n").map { rest.index(after: $0) } ?? rest.startIndex
            let indent = String(rest[lineStart..<at.lowerBound].prefix { $0 == " " })
            try write(String(rest[..<at.lowerBound]))
            try write("[\n")
            var first = true
            try table.forEachRow { _, row in
                let one = String(decoding: try JSONSerialization.data(withJSONObject: row.map(cell), options: options), as: UTF8.self)
                try write((first ? "" : ",\n") + one.split(separator: "\n", omittingEmptySubsequences: false).map { indent + "  " + $0 }.joined(separator: "\n"))
                first = false
            }
            try write("\n" + indent + "]")
            rest = String(rest[at.upperBound...])
        }
        try write(rest)
    }

    /// Stands for the rows of the `n`th streamed table until they are written.
    static func marker(_ n: Int) -> String { "@@narvaro-streamed-rows-\(n)@@" }
}
