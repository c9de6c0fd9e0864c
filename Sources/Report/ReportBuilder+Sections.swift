import Workflow

extension ReportBuilder {
    /// One decimal, with a decimal comma in Swedish.
    func decimal(_ value: Double) -> String {
        let s = String(format: "%.1f", value)
        return language == .sv ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    /// Assessed and not-assessable cases per criterion, hidden together (the two add up to the cases).
    var assessment: SuppressedTable { SuppressedTable(report.criteria.map { [$0.assessedCases, $0.notAssessableCases] }) }

    func assessmentCell(_ row: Int, _ column: Int, _ table: SuppressedTable) -> ReportDocument.Cell {
        table.published(row, column).map { .number(Double($0), "\($0)") } ?? .hidden
    }

    func criteriaSection() -> ReportDocument.Section {
        let enough = report.cases >= SuppressedTable.threshold
        let assessment = self.assessment
        var rows: [[ReportDocument.Cell]] = []
        var bars: [ReportDocument.Bar] = []
        for (index, c) in report.criteria.enumerated() {
            let shown = enough && c.assessedCases >= SuppressedTable.threshold && assessment.published(index, 0) != nil
            let value = shown ? percent(c.percent) : (c.assessedCases == 0 ? percent(nil) : .hidden)
            let met: String
            switch (shown, c.isMet) {
            case (true, true?): met = t("ja", "yes")
            case (true, false?): met = t("nej", "no")
            default: met = "–"
            }
            rows.append([
                .text(c.id), .text(c.title.text(language)), .text(c.dimension), .text("≥ \(Int(c.threshold)) %"), value, .text(met),
                assessmentCell(index, 0, assessment), .text(c.inComposite ? t("ja", "yes") : t("nej", "no")),
            ])
            bars.append(ReportDocument.Bar(label: c.id, value: shown ? c.percent : nil, note: shown ? nil : "–"))
        }
        let table = ReportDocument.Table(
            title: nil,
            headers: [l("Id", "Id"), l("Kriterium", "Criterion"), l("Dim.", "Dim."), l("Tröskel", "Threshold"), l("Resultat", "Result"),
                      l("Uppfyllt", "Met"), l("Bedömda ärenden", "Cases assessed"), l("I index", "In index")],
            rows: rows)
        let composite = enough ? percent(report.composite.percent).display(language) : "<5"
        let band = enough ? bandName(report.composite.band)?.text(language) ?? "–" : "–"
        return ReportDocument.Section(
            id: "trohet", title: l("Metodtrohet per kriterium", "Fidelity per criterion"),
            intro: l(
                "Indexet (\(composite), \(band)) är ett viktat medelvärde av kriterierna för innehåll, ordning, dos och tid (A, S, D, T). Läs det alltid tillsammans med kriterierna nedan. Band: låg 0–50 %, måttlig 51–79 %, hög 80–100 %. Ett kriterium som saknar uppgifter räknas som ej bedömbart, aldrig som 0 %.",
                "The index (\(composite), \(band)) is a weighted mean of the criteria for adherence, sequence, dose and timing (A, S, D, T). Always read it with the criteria below. Bands: low 0–50 %, moderate 51–79 %, high 80–100 %. A criterion without data is not assessable, never 0 %."),
            tables: [table],
            charts: [ReportDocument.Chart(title: l("Andel som följer manualen, per kriterium", "Share that follows the manual, per criterion"), bars: bars,
                                          marks: report.criteria.map { $0.threshold })])
    }

    func groupsSection() -> ReportDocument.Section {
        func table(_ groups: [FidelityReport.Group], _ name: LocalizedText) -> ReportDocument.Table {
            let composite = report.criteria.filter(\.inComposite).prefix(6)
            // The groups' counts add up to all cases: hide them as one table, so a small group's count
            // cannot be worked out as the total minus the others.
            let counts = SuppressedTable(groups.map { [$0.cases] })
            var rows: [[ReportDocument.Cell]] = []
            for (i, g) in groups.enumerated() {
                let shown = g.cases >= SuppressedTable.threshold && counts.published(i, 0) != nil
                let casesCell: ReportDocument.Cell = counts.published(i, 0).map { .number(Double($0), "\($0)") } ?? .hidden
                rows.append([.text(g.name), casesCell, shown ? percent(g.composite.percent) : .hidden]
                    + composite.map { c in shown ? percent(g.criteria[c.id]) : .hidden })
            }
            return ReportDocument.Table(
                title: name, headers: [name, l("Ärenden", "Cases"), l("Index", "Index")] + composite.map { LocalizedText(sv: $0.id, en: $0.id) },
                rows: rows)
        }
        return ReportDocument.Section(
            id: "enheter", title: l("Per skolenhet och startmånad", "By school unit and start month"),
            intro: l("Enheter eller månader med färre än fem ärenden visas inte med resultat.", "Units or months with fewer than five cases are not shown with results."),
            tables: [table(report.bySchool, l("Skolenhet", "School unit")), table(report.byStartMonth, l("Startmånad", "Start month"))])
    }

    func deviationsSection() -> ReportDocument.Section {
        let kinds: [(String, LocalizedText)] = [
            ("steg-hoppat-over", l("Steg överhoppat", "Step skipped")), ("grind-forbigangen", l("Grind förbigången", "Gate overridden")),
            ("avvikelse-i-samtal", l("Avvikelse i session", "Deviation in a session")),
        ]
        let phases = report.phaseOrder
        let counts = kinds.map { kind in phases.map { report.deviations[kind.0]?[$0] ?? 0 } }
        let deviations = countTable(
            title: l("Avvikelser per slag och fas (alla med dokumenterat skäl)", "Deviations by kind and phase (all with a documented reason)"),
            rowNames: kinds.map { $0.1.text(language) }, columnNames: phases.map { report.phases[$0] ?? LocalizedText(sv: $0) }, counts: counts)
        let who: [(String, LocalizedText)] = [("familj", l("Familjen", "The family")), ("elev", l("Eleven", "The student")),
                                               ("skola", l("Skolan", "The school")), ("team", l("Teamet", "The team"))]
        let cancellations = countTable(
            title: l("Inställda sessioner, per vem som ställde in", "Cancelled sessions, by who cancelled"),
            rowNames: who.map { $0.1.text(language) }, columnNames: [l("Antal", "Number")], counts: who.map { [report.cancellations[$0.0] ?? 0] })
        return ReportDocument.Section(
            id: "avvikelser", title: l("Avvikelser från manualen", "Deviations from the manual"),
            intro: l("Skälen är fritext och visas inte i rapporten; de finns i varje ärende.", "The reasons are free text and are not shown in the report; they are in each case."),
            tables: [deviations, cancellations])
    }

    func timelinessSection() -> ReportDocument.Section {
        var rows: [[ReportDocument.Cell]] = []
        var bars: [ReportDocument.Bar] = []
        for p in report.timeliness {
            // A percentage rests on cases, not occurrences: fewer than five cases, no percentage.
            let enough = p.cases >= SuppressedTable.threshold && report.cases >= SuppressedTable.threshold
            let share = enough ? percent(p.total > 0 ? 100 * Double(p.onTime) / Double(p.total) : nil) : (p.total == 0 ? percent(nil) : .hidden)
            rows.append([
                .text(p.title.text(language)), share, count(p.total),
                enough ? p.medianDays.map { .number($0, "\(Int($0.rounded()))") } ?? .text("–") : .hidden,
                p.nominalDays.map { .number(Double($0), "\($0)") } ?? .text("–"),
            ])
            bars.append(ReportDocument.Bar(label: p.title.text(language), value: enough && p.total > 0 ? 100 * Double(p.onTime) / Double(p.total) : nil))
        }
        return ReportDocument.Section(
            id: "tid", title: l("Tider per fas", "Timeliness per phase"),
            intro: l("Andel steg och tillfällen som gjordes inom programmets tidsram (pausade dagar räknas inte), och fasernas längd i dagar.",
                     "Share of steps and occurrences done within the programme's window (paused days not counted), and the phases' length in days."),
            tables: [ReportDocument.Table(
                title: nil,
                headers: [l("Fas", "Phase"), l("I tid", "On time"), l("Tillfällen", "Occurrences"), l("Median dagar", "Median days"), l("Normalt", "Nominal")],
                rows: rows)],
            charts: [ReportDocument.Chart(title: l("Andel i tid per fas", "Share on time per phase"), bars: bars)])
    }

    func dosageSection() -> ReportDocument.Section {
        let rows: [[ReportDocument.Cell]] = report.dosage.map { d in
            let shown = d.cases >= SuppressedTable.threshold
            return [
                .text(d.title.text(language)), .number(Double(d.minimum), "\(d.minimum)"), count(d.cases),
                shown ? percent(d.cases > 0 ? 100 * Double(d.reachedMinimum) / Double(d.cases) : nil) : (d.cases == 0 ? percent(nil) : .hidden),
                shown ? d.meanOccurrences.map { .number($0, decimal($0)) } ?? .text("–") : .hidden,
            ]
        }
        return ReportDocument.Section(
            id: "dos", title: l("Dos: upprepade moment", "Dose: repeated components"),
            intro: l("För ärenden som har lämnat fasen: hur många gånger momentet gavs, mot manualens minsta antal.",
                     "For cases that have left the phase: how often the component was given, against the manual's minimum."),
            tables: [ReportDocument.Table(
                title: nil,
                headers: [l("Moment", "Component"), l("Minst", "Minimum"), l("Ärenden", "Cases"), l("Nådde minst", "Reached minimum"), l("Medel", "Mean")],
                rows: rows)])
    }
}
