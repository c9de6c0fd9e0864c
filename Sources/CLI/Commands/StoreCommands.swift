import ArgumentParser
import Foundation
import Store
import Workflow

/// `narvaro init`: creates the store and registers programmes.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Skapa lagringen och registrera program. (Create the store and register programmes.)",
        discussion: """
            Lagringen skapas med rättigheterna 0600 i en katalog med 0700. Ett program registreras med sitt exakta
            innehåll, så att varje ärende kan spelas upp med den version det startade med.
            The store is created 0600 in a 0700 directory. A programme is registered with its exact content, so
            that every case can be replayed with the version it started with.
            """
    )

    @Option(name: .customLong("programme"), help: "Programfil att registrera (kan upprepas). (A programme file to register; repeatable.)")
    var programmes: [String] = []

    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.openStore(create: true)
        Console.out(options.t("Lagring: \(store.path)", "Store: \(store.path)"))
        var failed = false
        for file in programmes {
            switch ProgrammeLoader.load(path: file) {
            case .failure(let error):
                for diagnostic in error.diagnostics { Console.error(diagnostic.rendered(options.language)) }
                failed = true
            case .success(let loaded):
                do {
                    let (registered, isNew) = try store.register(source: loaded.source, file: file, recordedAt: Clock.now())
                    Console.out(isNew
                        ? options.t("Registrerade \(registered.id) \(registered.version) från \(file)", "Registered \(registered.id) \(registered.version) from \(file)")
                        : options.t("\(registered.id) \(registered.version) finns redan (samma innehåll)", "\(registered.id) \(registered.version) is already there (same content)"))
                } catch {
                    throw options.fail(error)
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `narvaro verify`: checks the file and every case's hash chain.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Kontrollera lagringens integritet och varje ärendes hashkedja. (Check the store's integrity and every case's hash chain.)",
        discussion: """
            Slutkod 0 när allt stämmer, annars 1 med den första trasiga händelsen i varje ärende. Med --report jämförs \
            också kedjornas hashar med dem en trohetsrapport namngav: en kedja som ändrats efter rapporten syns då \
            även om den byggts om med nya hashar.

            Exit 0 when all is well, else 1 naming the first broken event of each case. With --report, the chains \
            are also compared with the hashes a fidelity report named: a chain changed after the report shows even \
            if it was rebuilt with new hashes.
            """
    )

    @Option(help: "En trohetsrapport (html, md, csv eller json) att jämföra kedjorna med. (A fidelity report to compare the chains with.)")
    var report: String?

    @OptionGroup var options: StoreOptions

    func run() throws {
        // The report file first: a wrong path should not wait for every chain to be checked.
        let named = try self.report.map { try readReport($0) }
        let store = try options.openStore()
        let report: VerifyReport
        do { report = try store.verify() } catch { throw options.fail(error) }
        Console.out(options.t(
            "Kontrollerade \(report.cases) ärenden och \(report.events) händelser.",
            "Checked \(report.cases) cases and \(report.events) events."))
        if report.integrity != ["ok"] {
            Console.error(options.t("SQLite integrity_check: ", "SQLite integrity_check: ") + report.integrity.prefix(5).joined(separator: "; "))
        }
        if report.foreignKeyProblems > 0 {
            Console.error(options.t("\(report.foreignKeyProblems) brutna referenser.", "\(report.foreignKeyProblems) broken references."))
        }
        for problem in report.problems {
            let what: (String, String)
            switch problem.kind {
            case .changed: what = ("innehållet har ändrats", "its content was changed")
            case .missing: what = ("händelsen saknas", "the event is missing")
            case .reordered: what = ("händelsen står inte på sin plats i kedjan", "the event is out of place in the chain")
            case .unreadable: what = ("händelsen kan inte läsas", "the event cannot be read")
            case .snapshot:
                what = ("den sparade sammanställningen som rapporten läser stämmer inte med händelserna",
                        "the stored summary the report reads does not match the events")
            }
            let chain = problem.caseCode == CaseStore.teamChain ? options.t("Teamloggen", "The team log") : problem.caseCode
            Console.error(options.t(
                "\(chain) händelse \(problem.seq): \(what.0)",
                "\(chain) event \(problem.seq): \(what.1)"))
        }
        let reportHolds = try named.map { try checkReport($0, store: store) } ?? true
        if report.isOK, reportHolds {
            Console.out(options.t("Allt stämmer.", "Everything checks out."))
        } else {
            throw ExitCode(1)
        }
    }

    /// The chain heads the report at `path` names (and those it names without a readable hash).
    func readReport(_ path: String) throws -> ReportHeads {
        guard let data = FileManager.default.contents(atPath: path) else {
            Console.error(options.t("\(path): fel: filen kunde inte läsas", "\(path): error: cannot read the file"))
            throw ExitCode(1)
        }
        let (heads, unreadable) = ReportHeads.extract(String(decoding: data, as: UTF8.self))
        guard !heads.isEmpty || !unreadable.isEmpty else {
            Console.error(options.t(
                "\(path): fel: filen nämner inga ärendekedjor; ange en rapport skriven av narvaro report fidelity.",
                "\(path): error: the file names no case chains; give a report written by narvaro report fidelity."))
            throw ExitCode(1)
        }
        return ReportHeads(path: path, heads: heads, unreadable: unreadable)
    }

    /// Compares the chain heads a report named with the store; false when a chain was changed.
    func checkReport(_ named: ReportHeads, store: CaseStore) throws -> Bool {
        let (path, heads, unreadable) = (named.path, named.heads, named.unreadable)
        let statuses: [ReportHeadStatus]
        do { statuses = try store.checkReportHeads(heads) } catch { throw options.fail(error) }
        var extended = 0, broken = 0
        for chain in unreadable {
            broken += 1
            let name = chain == CaseStore.teamChain ? options.t("Teamloggen", "The team log") : chain
            Console.error(options.t(
                "\(name): rapporten anger ingen läsbar hash för kedjan – filen har ändrats eller skadats.",
                "\(name): the report gives no readable hash for the chain – the file was changed or damaged."))
        }
        for ((chain, hash), status) in zip(heads, statuses) {
            let name = chain == CaseStore.teamChain ? options.t("Teamloggen", "The team log") : chain
            switch status {
            case .unchanged:
                continue
            case .extended:
                extended += 1
            case .changed:
                broken += 1
                Console.error(options.t(
                    "\(name): kedjan innehåller inte rapportens hash \(hash.prefix(12))… – den har ändrats efter att rapporten skrevs.",
                    "\(name): the chain does not hold the report's hash \(hash.prefix(12))… – it was changed after the report was written."))
            case .missing:
                broken += 1
                Console.error(options.t("\(name): finns inte i lagringen.", "\(name): is not in the store."))
            }
        }
        if broken == 0 {
            Console.out(options.t(
                "Rapporten \(path) nämner \(heads.count) kedjor: alla är oförändrade fram till rapporten (\(extended) har fått nya händelser sedan dess).",
                "The report \(path) names \(heads.count) chains: all are unchanged up to the report (\(extended) have new events since)."))
        } else {
            Console.error(options.t(
                "\(broken) av rapportens \(heads.count + unreadable.count) kedjor stämmer inte med lagringen.",
                "\(broken) of the report's \(heads.count + unreadable.count) chains do not match the store."))
        }
        return broken == 0
    }
}

/// `narvaro backup PATH`: a consistent, verified copy.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Skriv en konsekvent, kontrollerad kopia av lagringen. (Write a consistent, verified copy of the store.)"
    )

    @Argument(help: "Filen som kopian skrivs till (får inte finnas). (The file to write; must not exist.)")
    var path: String

    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.openStore()
        do {
            let report = try store.backup(to: path)
            Console.out(options.t(
                "Säkerhetskopian \(path) är skriven och kontrollerad: \(report.cases) ärenden, \(report.events) händelser.",
                "The backup \(path) is written and verified: \(report.cases) cases, \(report.events) events."))
        } catch {
            throw options.fail(error)
        }
    }
}
