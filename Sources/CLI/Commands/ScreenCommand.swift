import ArgumentParser
import Foundation
import Store
import Workflow

/// `narvaro screen`: students whose imported attendance meets a screening trigger of a registered
/// programme and who have no open case.
struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Elever utan öppet ärende vars närvaro möter ett programs villkor. (Students without an open case whose attendance meets a programme's criteria.)",
        discussion: """
            Varje villkor (trigger) i de registrerade programmens <screening> prövas på närvarodatan över villkorets
            period fram till datumet. Ett villkor är en signal att pröva en aktualisering, inget beslut.
            Each trigger in the registered programmes' <screening> is tested on the attendance data over the trigger's
            period up to the date. A trigger is a signal to consider a referral, not a decision.
            """)

    @Option(help: "text eller json. (text or json.)") var format: OutputFormat = .text
    @Option(help: "Dagen screeningen gäller, standard i dag. (The day to screen on; default today.)") var date: DayArgument?
    @OptionGroup var options: StoreOptions

    struct Hit {
        var student: AttendanceStudent
        var matches: [(programme: Programme, match: Screening.Match)]
    }

    func run() throws {
        let store = try options.openStore()
        let asOf = date?.day ?? Day(Today.dayNumber())
        var hits: [Hit] = []
        var withCase = 0
        let latestData: Day?
        do {
            var latest: [String: RegisteredProgramme] = [:]
            for registered in try store.registeredProgrammes() { latest[registered.id] = registered }
            let programmes = try latest.keys.sorted().compactMap { id in try latest[id].map { try store.programme(hash: $0.hash) } }
            let triggers = programmes.flatMap(\.triggers)
            latestData = try store.attendanceSummary().latest
            if triggers.isEmpty {
                Console.error(options.t(
                    "Inget registrerat program har screeningvillkor (<screening>).", "No registered programme has screening triggers (<screening>)."))
            }
            let earliest = triggers.map { AttendanceFigures.window($0.window, endingOn: asOf).from }.min() ?? asOf
            let evaluator = XPathEvaluator()
            for student in try store.attendanceStudents(endingFrom: earliest, to: asOf) {
                let matches = programmes.flatMap { programme in
                    Screening.matches(programme.triggers, records: student.records, asOf: asOf, evaluator: evaluator).map { (programme, $0) }
                }
                guard !matches.isEmpty else { continue }
                if student.openCases.isEmpty { hits.append(Hit(student: student, matches: matches)) } else { withCase += 1 }
            }
        } catch let error as StoreError {
            throw options.fail(error)
        }
        hits.sort { a, b in
            let x = a.matches.map(\.match.figures.absencePercent).max() ?? 0, y = b.matches.map(\.match.figures.absencePercent).max() ?? 0
            return x != y ? x > y : a.student.personnummer.canonical < b.student.personnummer.canonical
        }
        switch format {
        case .json: Console.out(try json(hits, asOf: asOf, latestData: latestData, withCase: withCase))
        case .text: Console.out(text(hits, asOf: asOf, latestData: latestData, withCase: withCase))
        }
    }

    func text(_ hits: [Hit], asOf: Day, latestData: Day?, withCase: Int) -> String {
        let language = options.language
        guard let latestData else {
            return options.t(
                "Det finns ingen närvarodata. Läs in den med: narvaro attendance import FIL",
                "There is no attendance data. Import it with: narvaro attendance import FILE")
        }
        var lines = [options.t(
            "Screening \(asOf) (närvarodata t.o.m. \(latestData)): elever utan öppet ärende som möter ett villkor",
            "Screening \(asOf) (attendance data up to \(latestData)): students without an open case who meet a criterion")]
        if hits.isEmpty {
            lines.append(options.t("Ingen elev.", "No student."))
        }
        for hit in hits {
            lines.append("")
            lines.append(hit.student.personnummer.masked + (hit.student.name.map { "  \($0)" } ?? ""))
            for (programme, match) in hit.matches {
                let f = match.figures
                lines.append("  \(match.trigger.title.text(language)) (\(programme.id): \(match.trigger.id))")
                let weeks = f.wholeWeeksAbsent
                lines.append(options.t(
                    "    \(match.trigger.window.spelled(.sv)) \(f.from)–\(f.to) (\(f.rows) \(f.rows == 1 ? "rad" : "rader")): frånvaro \(percent(f.absencePercent)) (giltig \(percent(f.validAbsencePercent)), ogiltig \(percent(f.invalidAbsencePercent))), närvaro \(percent(f.attendancePercent)), \(weeks) \(weeks == 1 ? "hel vecka" : "hela veckor") i följd utan närvaro",
                    "    \(match.trigger.window.spelled(.en)) \(f.from)–\(f.to) (\(f.rows) \(f.rows == 1 ? "row" : "rows")): absence \(percent(f.absencePercent)) (valid \(percent(f.validAbsencePercent)), invalid \(percent(f.invalidAbsencePercent))), attendance \(percent(f.attendancePercent)), \(weeks) whole \(weeks == 1 ? "week" : "weeks") in a row without attendance"))
            }
        }
        lines.append("")
        if withCase > 0 {
            lines.append(options.t(
                "\(withCase) \(withCase == 1 ? "elev" : "elever") till möter ett villkor men har redan ett öppet ärende.",
                "\(withCase) more \(withCase == 1 ? "student meets" : "students meet") a criterion but already \(withCase == 1 ? "has" : "have") an open case."))
        }
        lines.append(options.t(
            "Ett villkor är en signal att pröva en aktualisering, inget beslut.",
            "A criterion is a signal to consider a referral, not a decision."))
        return lines.joined(separator: "\n")
    }

    /// `12,5 %` / `12.5 %`: one decimal, none when it is zero.
    func percent(_ value: Double) -> String {
        var s = String(format: "%.1f", value)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return (options.language == .sv ? s.replacingOccurrences(of: ".", with: ",") : s) + " %"
    }

    struct JSONMatch: Encodable {
        var programme: String
        var trigger: String
        var title: String
        var window: String
        var from: String
        var to: String
        var rows: Int
        var unit: String?
        var franvaro_procent: Double
        var giltig_franvaro_procent: Double
        var ogiltig_franvaro_procent: Double
        var narvaro_procent: Double
        var veckor_helt_franvarande: Int
    }

    struct JSONStudent: Encodable {
        var personnummer: String
        var name: String?
        var matches: [JSONMatch]
    }

    struct JSONOutput: Encodable {
        var date: String
        var latestData: String?
        var studentsWithOpenCase: Int
        var students: [JSONStudent]
    }

    func json(_ hits: [Hit], asOf: Day, latestData: Day?, withCase: Int) throws -> String {
        func rounded(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        let output = JSONOutput(
            date: asOf.description, latestData: latestData?.description, studentsWithOpenCase: withCase,
            students: hits.map { hit in
                JSONStudent(
                    personnummer: hit.student.personnummer.masked, name: hit.student.name,
                    matches: hit.matches.map { programme, match in
                        let f = match.figures
                        return JSONMatch(
                            programme: programme.id, trigger: match.trigger.id, title: match.trigger.title.text(options.language),
                            window: match.trigger.window.description, from: f.from.description, to: f.to.description, rows: f.rows,
                            unit: f.unit?.rawValue, franvaro_procent: rounded(f.absencePercent), giltig_franvaro_procent: rounded(f.validAbsencePercent),
                            ogiltig_franvaro_procent: rounded(f.invalidAbsencePercent), narvaro_procent: rounded(f.attendancePercent),
                            veckor_helt_franvarande: f.wholeWeeksAbsent)
                    })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
}
