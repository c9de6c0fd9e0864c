import ArgumentParser
import Foundation
import Report
import Store
import Workflow

/// `narvaro report fidelity`: the management report.
struct ReportGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rapporter för ledningen. (Reports for management.)",
        subcommands: [Fidelity.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, md, csv, json

        /// The format a file name asks for by its ending (`.md`, `.csv`, `.json`); otherwise HTML.
        init(fileName: String) {
            let ending = URL(fileURLWithPath: fileName).pathExtension.lowercased()
            self = Format(rawValue: ending == "markdown" ? "md" : ending) ?? .html
        }
    }

    struct Fidelity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trohetsrapport: metodtrohet, avvikelser, tider, dos, utfall och datakvalitet, utan att någon elev kan identifieras. (Fidelity report, with no student identifiable.)",
            discussion: """
                Inga namn, personnummer eller fritext; ärenden bara som pseudonymer; antal från 1 till 4 döljs. Rapporten
                anger programversioner och varje ärendekedjas sista hash, så att narvaro verify senare kan visa att inget ändrats.
                No names, personnummer or free text; cases only as pseudonyms; counts from 1 to 4 are hidden. The report
                names the programme versions and the last hash of every case's chain, so that narvaro verify can later
                show that nothing was changed.
                """
        )

        @Option(help: "Från och med datum. (From this date.)") var from: DayArgument?
        @Option(help: "Till och med datum (rapportens dag). (Up to this date: the report's day.)") var to: DayArgument?
        @Option(help: "Bara den här skolenheten. (Only this school unit.)") var school: String?
        @Option(help: "html, md, csv eller json; standard efter filändelsen i --out, annars html. (Default: from the --out file's ending, else html.)")
        var format: Format?
        @Option(help: "Filen som rapporten skrivs till. (The file to write.)") var out: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openStore()
            let today = Day(Today.dayNumber())
            let built: FidelityReport?
            do {
                built = try store.fidelityReport(asOf: to?.day ?? today, filter: .init(from: from?.day, to: to?.day, school: school))
            } catch { throw options.fail(error) }
            guard let report = built else {
                Console.error(options.t("fel: det finns inga ärenden att rapportera.", "error: there are no cases to report on."))
                throw ExitCode(1)
            }
            let document = ReportBuilder(report: report, language: options.language).build()
            let text: String
            switch format ?? Format(fileName: out) {
            case .html: text = try HTMLRenderer.render(document)
            case .md: text = ReportRenderers.markdown(document)
            case .csv: text = ReportRenderers.csv(document)
            case .json: text = try ReportRenderers.json(document)
            }
            do {
                try PrivateFile.write(text, to: out)
            } catch {
                Console.error(options.t("fel: rapporten kunde inte skrivas till \(out)", "error: cannot write the report to \(out)"))
                throw ExitCode(1)
            }
            Console.out(options.t(
                "Rapporten är skriven: \(out) (\(report.cases) ärenden, index \(document.headline.percent)).",
                "The report is written: \(out) (\(report.cases) cases, index \(document.headline.percent))."))
        }
    }
}

/// Files with data from the store: written 0600, to a temporary name first, synced, then renamed.
enum PrivateFile {
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        // The text's own UTF-8 storage, not a copy of it (a report over many cases is megabytes).
        var text = text
        let complete = text.withUTF8 { bytes -> Bool in
            var written = 0
            while written < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
                guard n > 0 else { return false }
                written += n
            }
            return true
        }
        guard complete else { close(fd); unlink(temporary); throw CocoaError(.fileWriteUnknown) }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else { unlink(temporary); throw CocoaError(.fileWriteUnknown) }
    }
}
