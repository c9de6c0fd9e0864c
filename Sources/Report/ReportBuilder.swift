import Workflow

/// Turns the computed report into the published document: tables with small counts hidden (with
/// complementary suppression), percentages hidden where they rest on fewer than five cases, charts,
/// and the integrity section that anchors every case's chain.
public struct ReportBuilder {
    let report: FidelityReport
    let language: Language

    public init(report: FidelityReport, language: Language) {
        self.report = report
        self.language = language
    }

    func l(_ sv: String, _ en: String) -> LocalizedText { LocalizedText(sv: sv, en: en) }
    func t(_ sv: String, _ en: String) -> String { language == .sv ? sv : en }

    func percent(_ p: Double?) -> ReportDocument.Cell {
        guard let p else { return .text(t("ej bedömbart", "not assessable")) }
        return .number(p, "\(Int(p.rounded())) %")
    }

    func count(_ n: Int) -> ReportDocument.Cell {
        SmallCount.published(n).map { .number(Double($0), "\($0)") } ?? .suppressed
    }

    func bandName(_ band: FidelityReport.Band?) -> LocalizedText? {
        switch band {
        case .low?: l("låg", "low")
        case .moderate?: l("måttlig", "moderate")
        case .high?: l("hög", "high")
        case nil: nil
        }
    }

    /// A table of counts with margins, hidden as `SuppressedTable` decides.
    func countTable(title: LocalizedText?, rowNames: [String], columnNames: [LocalizedText], counts: [[Int]], totals: Bool = true) -> ReportDocument.Table {
        let table = SuppressedTable(counts)
        var rows: [[ReportDocument.Cell]] = []
        func cell(_ r: Int, _ c: Int) -> ReportDocument.Cell {
            table.published(r, c).map { .number(Double($0), "\($0)") } ?? .hidden
        }
        for (r, name) in rowNames.enumerated() {
            rows.append([.text(name)] + (0..<columnNames.count).map { cell(r, $0) } + (totals && columnNames.count > 1 ? [cell(r, columnNames.count)] : []))
        }
        var totalRows: Set<Int> = []
        if totals {
            totalRows.insert(rows.count)
            rows.append([.text(t("Totalt", "Total"))] + (0..<columnNames.count).map { cell(rowNames.count, $0) }
                + (columnNames.count > 1 ? [cell(rowNames.count, columnNames.count)] : []))
        }
        var headers = [l("", "")] + columnNames
        if totals, columnNames.count > 1 { headers.append(l("Totalt", "Total")) }
        return ReportDocument.Table(title: title, headers: headers, rows: rows, totalRows: totalRows)
    }

    public func build() -> ReportDocument {
        let r = report
        let programmeTitle = r.versions.first?.title.text(language) ?? r.programme
        var facts: [(LocalizedText, String)] = [
            (l("Program", "Programme"), programmeTitle),
            (l("Versioner", "Versions"), r.versions.map { "\($0.id) \($0.version) (\($0.hash.prefix(12)))" }.joined(separator: ", ")),
            (l("Per dag", "As of"), r.asOf),
            (l("Ärenden", "Cases"), count(r.cases).display(language)),
        ]
        if r.from != nil || r.to != nil { facts.append((l("Period", "Period"), "\(r.from ?? "…") – \(r.to ?? "…")")) }
        if let school = r.school { facts.append((l("Skolenhet", "School unit"), school)) }
        let enoughCases = r.cases >= SuppressedTable.threshold
        let headline = enoughCases ? percent(r.composite.percent).display(language) : "<5"
        return ReportDocument(
            title: l("Trohetsrapport", "Fidelity report"), facts: facts,
            headline: (headline, enoughCases ? bandName(r.composite.band) : nil),
            sections: [criteriaSection(), groupsSection(), deviationsSection(), timelinessSection(), dosageSection(), outcomesSection(),
                       dataQualitySection(), integritySection()],
            language: language)
    }
}
