import Foundation
import Workflow

/// Markdown, CSV and JSON renderings of the published document.
public enum ReportRenderers {
    public static func markdown(_ d: ReportDocument) -> String {
        let lang = d.language
        var out: [String] = ["# \(d.title.text(lang))", ""]
        for (name, value) in d.facts { out.append("- **\(name.text(lang))**: \(escapeMarkdown(value))") }
        out.append("")
        out.append("**\(lang == .sv ? "Index för metodtrohet" : "Fidelity index"): \(d.headline.percent)**" + (d.headline.band.map { " (\($0.text(lang)))" } ?? ""))
        for section in d.sections {
            out.append("")
            out.append("## \(section.title.text(lang))")
            if let intro = section.intro { out.append(""); out.append(intro.text(lang)) }
            for table in section.tables {
                out.append("")
                if let title = table.title { out.append("**\(title.text(lang))**"); out.append("") }
                guard !table.rows.isEmpty else { out.append(lang == .sv ? "_Inga uppgifter._" : "_No data._"); continue }
                out.append("| " + table.headers.map { escapeMarkdown($0.text(lang)) }.joined(separator: " | ") + " |")
                out.append("|" + table.headers.map { _ in " --- |" }.joined())
                for (i, row) in table.rows.enumerated() {
                    let cells = row.map { escapeMarkdown($0.display(lang)) }
                    out.append("| " + (table.totalRows.contains(i) ? cells.map { "**\($0)**" } : cells).joined(separator: " | ") + " |")
                }
            }
        }
        out.append("")
        out.append(lang == .sv
            ? "_Antal från 1 till 4 visas som <5. I tabeller döljs fler celler (\"dolt\") så att ett litet antal inte kan räknas fram ur summorna._"
            : "_Counts from 1 to 4 are shown as <5. In tables more cells are hidden (\"hidden\") so that a small count cannot be worked out from the totals._")
        return out.joined(separator: "\n") + "\n"
    }

    static func escapeMarkdown(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Long format: one line per published value (section, table, row, column, value).
    public static func csv(_ d: ReportDocument) -> String {
        let lang = d.language
        var lines = [["section", "table", "row", "column", "value"].joined(separator: ",")]
        for (name, value) in d.facts { lines.append(row(["facts", "", name.text(lang), "", value])) }
        lines.append(row(["facts", "", lang == .sv ? "Index" : "Index", "", d.headline.percent]))
        for section in d.sections {
            for table in section.tables {
                for r in table.rows {
                    guard let first = r.first else { continue }
                    for (i, cell) in r.enumerated().dropFirst() where i < table.headers.count {
                        lines.append(row([section.id, table.title?.text(lang) ?? "", first.display(lang), table.headers[i].text(lang), cell.display(lang)]))
                    }
                }
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180: quote fields that need it, double the quotes inside.
    static func row(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }

    public static func json(_ d: ReportDocument) throws -> String {
        let lang = d.language
        func cell(_ c: ReportDocument.Cell) -> Any {
            switch c {
            case .text(let s): return s
            case .number(let n, _): return n
            case .suppressed: return "<5"
            case .hidden: return "hidden"
            }
        }
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
                        [
                            "title": t.title?.text(lang) ?? "",
                            "headers": t.headers.map { $0.text(lang) },
                            "rows": t.rows.map { $0.map(cell) },
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
