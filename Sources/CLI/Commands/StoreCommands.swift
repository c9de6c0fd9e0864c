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
        discussion: "Slutkod 0 när allt stämmer, annars 1 med den första trasiga händelsen i varje ärende. (Exit 0 when all is well, else 1 naming the first broken event of each case.)"
    )

    @OptionGroup var options: StoreOptions

    func run() throws {
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
            }
            let chain = problem.caseCode == CaseStore.teamChain ? options.t("Teamloggen", "The team log") : problem.caseCode
            Console.error(options.t(
                "\(chain) händelse \(problem.seq): \(what.0)",
                "\(chain) event \(problem.seq): \(what.1)"))
        }
        if report.isOK {
            Console.out(options.t("Allt stämmer.", "Everything checks out."))
        } else {
            throw ExitCode(1)
        }
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
