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
            // Written as it is rendered: the rows of the chain heads (a row per case) are never all
            // held as text at once.
            let chosen = format ?? Format(fileName: out)
            do {
                try PrivateFile.write(to: out) { write in
                    switch chosen {
                    case .html: try HTMLRenderer.render(document, to: write)
                    case .md: try ReportRenderers.markdown(document, to: write)
                    case .csv: try ReportRenderers.csv(document, to: write)
                    case .json: try ReportRenderers.json(document, to: write)
                    }
                }
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
        try write(to: path) { write in try write(text) }
    }

    /// Writes what `body` hands its `write`, through a buffer of 256 KiB.
    static func write(to path: String, _ body: (_ write: (String) throws -> Void) throws -> Void) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 18)
        func flush() throws {
            var written = 0
            while written < buffer.count {
                let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, buffer.count - written) }
                guard n > 0 else { throw CocoaError(.fileWriteUnknown) }
                written += n
            }
            buffer.removeAll(keepingCapacity: true)
        }
        do {
            try body { text in
                var text = text
                text.withUTF8 { buffer.append(contentsOf: $0) }
                if buffer.count >= 1 << 18 { try flush() }
            }
            try flush()
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else { unlink(temporary); throw CocoaError(.fileWriteUnknown) }
    }
}
