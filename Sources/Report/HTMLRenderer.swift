import Foundation
import Mustache
import Workflow

/// The report as one self-contained HTML file: inline CSS and SVG charts, no scripts, readable on
/// screen and printed on A4. Every text goes through Mustache's HTML escaping; the SVG is built here
/// from escaped labels and numbers.
public enum HTMLRenderer {
    public static func render(_ d: ReportDocument) throws -> String {
        var text = ""
        try render(d) { text += $0 }
        return text
    }

    /// The page, in parts: the rows of a streamed table are written one at a time where the
    /// template has them.
    public static func render(_ d: ReportDocument, to write: (String) throws -> Void) throws {
        let lang = d.language
        var streamed: [ReportDocument.Table] = []
        let sections: [[String: Any]] = d.sections.map { s in
            [
                "id": s.id,
                "title": s.title.text(lang),
                "intro": s.intro?.text(lang) ?? "",
                "charts": s.charts.map { ["svg": svg($0, lang)] },
                "tables": s.tables.map { t in
                    var rows = rowsHTML(t, lang)
                    if t.streamed != nil {
                        rows += ReportRenderers.marker(streamed.count)
                        streamed.append(t)
                    }
                    return [
                        "title": t.title?.text(lang) ?? "",
                        "headers": t.headers.map { ["text": $0.text(lang)] },
                        "empty": t.rowCount == 0,
                        "rows": rows,
                    ] as [String: Any]
                },
            ]
        }
        let context: [String: Any] = [
            "lang": lang.rawValue,
            "title": d.title.text(lang),
            "facts": d.facts.map { ["name": $0.0.text(lang), "value": $0.1] },
            "index": d.headline.percent,
            "band": d.headline.band?.text(lang) ?? "",
            "indexLabel": lang == .sv ? "Index för metodtrohet" : "Fidelity index",
            "suppression": lang == .sv ? "Antal från 1 till 4 visas som <5, och fler celler döljs så att de inte kan räknas fram ur summorna. Inga namn, personnummer eller fritext."
                : "Counts from 1 to 4 are shown as <5, and more cells are hidden so that they cannot be worked out from the totals. No names, personnummer or free text.",
            "noData": lang == .sv ? "Inga uppgifter." : "No data.",
            "sections": sections,
        ]
        let template = try MustacheTemplate(string: page)
        var rest = template.render(context)
        for (n, table) in streamed.enumerated() {
            guard let at = rest.range(of: ReportRenderers.marker(n)) else { continue }
            try write(String(rest[..<at.lowerBound]))
            var i = 0
            try table.streamed?.each { row in
                try write(((table.rows.isEmpty && i == 0) ? "" : "\n") + rowHTML(row, total: false, lang))
                i += 1
            }
            rest = String(rest[at.upperBound...])
        }
        try write(rest)
    }

    /// A table's rows as HTML, written here rather than through the template: a report over many
    /// cases has a row per case chain, and a dictionary per cell made that the largest part of its
    /// memory. Every text is escaped as Mustache escapes (`& < > " '`).
    static func rowsHTML(_ table: ReportDocument.Table, _ lang: Language) -> String {
        var out = ""
        for (i, row) in table.rows.enumerated() {
            if i > 0 { out += "\n" }
            out += rowHTML(row, total: table.totalRows.contains(i), lang)
        }
        return out
    }

    static func rowHTML(_ row: [ReportDocument.Cell], total: Bool, _ lang: Language) -> String {
        var out = total ? "<tr class=\"total\">" : "<tr>"
        for cell in row {
            switch cell {
            case .number, .suppressed, .hidden: out += "<td class=\"number\">"
            default: out += "<td>"
            }
            out += escape(cell.display(lang))
            out += "</td>"
        }
        out += "</tr>"
        return out
    }

    /// Text for HTML and SVG, escaped as Mustache escapes (`& < > " '`).
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else {
            return text
        }
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A horizontal bar chart, 0–100 %, with an optional mark per bar (the criterion's threshold).
    static func svg(_ chart: ReportDocument.Chart, _ lang: Language) -> String {
        let rowHeight = 22, labelWidth = 170, barWidth = 420, top = 8
        let height = top + chart.bars.count * rowHeight + 24
        var parts: [String] = []
        parts.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(labelWidth + barWidth + 60) \(height)\" width=\"100%\" aria-label=\"\(escape(chart.title.text(lang)))\">")
        parts.append("<title>\(escape(chart.title.text(lang)))</title>")
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = labelWidth + barWidth * tick / 100
            parts.append("<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(height - 20)\" class=\"grid\"/>")
            parts.append("<text x=\"\(x)\" y=\"\(height - 6)\" class=\"tick\">\(tick) %</text>")
        }
        for (i, bar) in chart.bars.enumerated() {
            let y = top + i * rowHeight
            let label = bar.label.count > 26 ? String(bar.label.prefix(25)) + "…" : bar.label
            parts.append("<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" class=\"label\">\(escape(label))</text>")
            if let value = bar.value {
                let w = max(1, Int(Double(barWidth) * min(max(value, 0), 100) / 100))
                parts.append("<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowHeight - 8)\" class=\"bar\"/>")
                parts.append("<text x=\"\(labelWidth + w + 4)\" y=\"\(y + 15)\" class=\"value\">\(Int(value.rounded())) %</text>")
            } else {
                parts.append("<text x=\"\(labelWidth + 4)\" y=\"\(y + 15)\" class=\"value muted\">\(escape(bar.note ?? (lang == .sv ? "ej bedömbart" : "not assessable")))</text>")
            }
            if i < chart.marks.count, let mark = chart.marks[i] {
                let x = labelWidth + Int(Double(barWidth) * mark / 100)
                parts.append("<line x1=\"\(x)\" y1=\"\(y + 1)\" x2=\"\(x)\" y2=\"\(y + rowHeight - 3)\" class=\"mark\"/>")
            }
        }
        parts.append("</svg>")
        return parts.joined()
    }

    static let page = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        @page { size: A4; margin: 16mm 14mm; }
        * { box-sizing: border-box; }
        body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1d232a; margin: 0 auto; max-width: 60rem; padding: 1.5rem; line-height: 1.45; font-size: 11pt; }
        h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #2c6e6a; padding-bottom: .2rem; break-after: avoid; }
        h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; break-after: avoid; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
        .facts dt { font-weight: bold; } .facts dd { margin: 0; word-break: break-all; }
        .headline { display: inline-block; background: #e6f1f0; border: 1px solid #2c6e6a; border-radius: 6px; padding: .6rem 1rem; margin: .5rem 0 1rem; }
        .headline strong { font-size: 1.8rem; }
        table { border-collapse: collapse; width: 100%; margin: .3rem 0 1rem; font-size: .9rem; break-inside: auto; }
        tr { break-inside: avoid; }
        th, td { border: 1px solid #c9d1d6; padding: .25rem .45rem; text-align: left; vertical-align: top; }
        th { background: #f1f4f6; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.total td { font-weight: bold; background: #fafbfc; }
        .note { color: #4a555f; font-size: .85rem; }
        svg { max-width: 100%; height: auto; margin: .3rem 0 1rem; break-inside: avoid; }
        svg .bar { fill: #2c6e6a; } svg .grid { stroke: #dde3e6; } svg .mark { stroke: #b4451f; stroke-width: 2; }
        svg text { font-size: 11px; fill: #1d232a; } svg .label { text-anchor: end; } svg .tick { text-anchor: middle; fill: #5b6770; } svg .muted { fill: #7a858d; }
        @media print { body { padding: 0; max-width: none; } .headline { border-color: #888; } }
        </style>
        </head>
        <body>
        <h1>{{title}}</h1>
        <dl class="facts">{{#facts}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/facts}}</dl>
        <div class="headline">{{indexLabel}}: <strong>{{index}}</strong> {{#band}}({{band}}){{/band}}</div>
        <p class="note">{{suppression}}</p>
        {{#sections}}
        <section id="{{id}}">
        <h2>{{title}}</h2>
        {{#intro}}<p>{{intro}}</p>{{/intro}}
        {{#charts}}{{{svg}}}{{/charts}}
        {{#tables}}
        {{#title}}<h3>{{title}}</h3>{{/title}}
        {{#empty}}<p class="note">{{noData}}</p>{{/empty}}
        {{^empty}}
        <table>
        <thead><tr>{{#headers}}<th>{{text}}</th>{{/headers}}</tr></thead>
        <tbody>
        {{{rows}}}
        </tbody>
        </table>
        {{/empty}}
        {{/tables}}
        </section>
        {{/sections}}
        </body>
        </html>
        """
}
