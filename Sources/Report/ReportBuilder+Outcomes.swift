import Workflow

extension ReportBuilder {
    func outcomesSection() -> ReportDocument.Section {
        let o = report.outcomes
        let names = [l("Före (12 veckor)", "Before (12 weeks)"), l("Under", "During"), l("Efter avslut", "After closure")]
        let values = [o.attendanceBefore, o.attendanceDuring, o.attendanceAfter]
        var rows: [[ReportDocument.Cell]] = []
        var bars: [ReportDocument.Bar] = []
        for i in 0..<3 {
            let shown = o.casesWithAttendance[i] >= SuppressedTable.threshold
            rows.append([.text(names[i].text(language)), shown ? percent(values[i]) : (o.casesWithAttendance[i] == 0 ? percent(nil) : .hidden), count(o.casesWithAttendance[i])])
            bars.append(ReportDocument.Bar(label: names[i].text(language), value: shown ? values[i] : nil))
        }
        let attendance = ReportDocument.Table(
            title: l("Närvaro: andel av schemalagd tid", "Attendance: share of scheduled time"),
            headers: [l("När", "When"), l("Närvaro", "Attendance"), l("Ärenden med uppgifter", "Cases with data")], rows: rows)
        let longAbsence = ReportDocument.Table(
            title: l("Elever frånvarande fyra veckor i följd eller mer", "Students absent four weeks in a row or more"),
            headers: [l("", ""), l("Elever", "Students")],
            rows: [[.text(t("Vid ärendets start", "At the start of the case")), count(o.longAbsenceAtStart)],
                   [.text(t("De senaste fyra veckorna", "The last four weeks")), count(o.longAbsenceNow)]])
        let phaseIDs = report.phaseOrder.filter { o.casesPerPhase[$0] != nil } + (o.casesPerPhase["avslutade"] != nil ? ["avslutade"] : [])
        let perPhase = countTable(
            title: l("Ärenden per fas", "Cases per phase"),
            rowNames: phaseIDs.map { report.phases[$0]?.text(language) ?? t("Avslutade utan uppföljning", "Closed without follow-up") },
            columnNames: [l("Ärenden", "Cases")], counts: phaseIDs.map { [o.casesPerPhase[$0] ?? 0] })
        let reasons = o.closedByReason.keys.sorted()
        let closed = countTable(
            title: l("Avslutade ärenden per skäl", "Closed cases by reason"), rowNames: reasons, columnNames: [l("Ärenden", "Cases")],
            counts: reasons.map { [o.closedByReason[$0] ?? 0] })
        let reached = ReportDocument.Table(
            title: nil, headers: [l("", ""), l("Antal", "Number")],
            rows: [[.text(t("Elever som nåtts (ärenden startade)", "Students reached (cases started)")), count(o.studentsReached)]])
        return ReportDocument.Section(
            id: "utfall", title: l("Utfall", "Outcomes"),
            intro: l("Närvaron kommer från skolans importerade närvarodata. Utfallen är beskrivande; de visar inte att programmet orsakade förändringen.",
                     "Attendance comes from the school's imported attendance data. The outcomes are descriptive; they do not show that the programme caused the change."),
            tables: [attendance, longAbsence, perPhase, closed, reached],
            charts: [ReportDocument.Chart(title: l("Närvaro före, under och efter", "Attendance before, during and after"), bars: bars)])
    }

    func dataQualitySection() -> ReportDocument.Section {
        let assessment = self.assessment
        let rows: [[ReportDocument.Cell]] = report.criteria.enumerated().filter { $0.element.notAssessableCases > 0 }.map { index, c in
            let reasons = c.notAssessableReasons.sorted { $0.value > $1.value }.map { reason, n in
                (language == .sv ? reason : FidelityReasons.english(reason)) + " (\(SmallCount.published(n).map(String.init) ?? "<5"))"
            }
            return [.text(c.id), .text(c.title.text(language)), assessmentCell(index, 1, assessment), .text(reasons.joined(separator: "; "))]
        }
        return ReportDocument.Section(
            id: "datakvalitet", title: l("Datakvalitet: vad som inte kunde bedömas", "Data quality: what could not be assessed"),
            intro: l("Ärenden där ett kriterium saknar underlag räknas inte med i kriteriets resultat.",
                     "Cases where a criterion lacks data are left out of the criterion's result."),
            tables: [ReportDocument.Table(
                title: nil, headers: [l("Id", "Id"), l("Kriterium", "Criterion"), l("Ärenden", "Cases"), l("Varför", "Why")], rows: rows)])
    }

    func integritySection() -> ReportDocument.Section {
        let versions = ReportDocument.Table(
            title: l("Programversioner", "Programme versions"),
            headers: [l("Program", "Programme"), l("Version", "Version"), l("SHA-256", "SHA-256"), l("Ärenden", "Cases")],
            rows: report.versions.map { [.text($0.id), .text($0.version), .text($0.hash), count($0.cases)] })
        let chainHeads = report.chainHeads
        let team = l("Teamloggen (möten, handledning)", "The team log (meetings, supervision)").text(language)
        let heads = ReportDocument.Table(
            title: l("Kedjornas sista hash", "The last hash of each chain"),
            headers: [l("Ärende", "Case"), l("Hash", "Hash")], rows: [],
            streamed: .init(count: chainHeads.count) { body in
                try chainHeads.forEach { code, hash in try body([.text(code == FidelityAggregate.teamChainName ? team : code), .text(hash)]) }
            })
        return ReportDocument.Section(
            id: "integritet", title: l("Spårbarhet", "Integrity"),
            intro: l("Kör narvaro verify --report med den här filen: den jämför hasharna med lagringen och säger om något i ärendena har ändrats sedan rapporten skrevs. Ärendena anges bara med pseudonym.",
                     "Run narvaro verify --report with this file: it compares the hashes with the store and tells whether anything in the cases has changed since the report was written. Cases appear only as pseudonyms."),
            tables: [versions, heads])
    }
}

extension FidelityReasons {
    /// The English text of a reason stored in Swedish.
    public static func english(_ sv: String) -> String {
        let all = [noData, phaseNotFinished, phaseNotReached, noSessions, notClosed, tooFewOccurrences, noSubmissions, noDeviations,
                   noAttendance, noFullPeriod, notActive, noneInRole, noTeamMeetings, noSupervision, reportLevel, noProfile]
        return all.first { $0.sv == sv }?.en ?? sv
    }
}
