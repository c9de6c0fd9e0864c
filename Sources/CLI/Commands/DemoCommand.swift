import ArgumentParser
import Foundation
import Report
import Store
import Workflow

/// `narvaro demo`: a demo store with a synthetic cohort, and its report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Skapa en demolagring med påhittade elever och skriv trohetsrapporten. (Make a demo store with made-up students and write the fidelity report.)",
        discussion: """
            Eleverna är påhittade (namn som Alva Påhittadsson; personnummer med födelsenummer 980–999). Tre skolor,
            ärenden i alla faser, sena och överhoppade steg, inställda sessioner, pauser, avbrott och närvarokurvor.
            The students are made up. Three schools, cases in every phase, late and skipped steps, cancelled sessions,
            pauses, drop-outs and attendance curves.
            """
    )

    @Option(help: "Katalogen för demon (skapas). (The demo's folder; created.)") var dir = "narvaro-demo"
    @Option(help: "Antal ärenden. (Number of cases.)") var cases = 60
    @Option(name: .customLong("lang"), help: "sv eller en.") var language: Language = .sv

    func t(_ sv: String, _ en: String) -> String { language == .sv ? sv : en }

    func validate() throws {
        if !(1...20_000).contains(cases) { throw ValidationError("--cases: 1–20000") }
    }

    func run() throws {
        let manager = FileManager.default
        let storePath = (dir as NSString).appendingPathComponent("narvaro.sqlite")
        if manager.fileExists(atPath: dir) {
            // Only what an earlier demo made here is removed.
            let ours = ["narvaro.sqlite", "narvaro.sqlite-wal", "narvaro.sqlite-shm", "narvaro.sqlite.lock", "rapport.html", "rapport.md"]
            let present = (try? manager.contentsOfDirectory(atPath: dir)) ?? []
            guard Set(present).isSubset(of: Set(ours)) else {
                Console.error(t("fel: katalogen \(dir) finns redan och innehåller annat; välj en annan med --dir",
                                "error: the folder \(dir) exists and holds other files; choose another with --dir"))
                throw ExitCode(1)
            }
            for file in present { try? manager.removeItem(atPath: (dir as NSString).appendingPathComponent(file)) }
        }
        guard let programmePath = Self.findProgramme("hsp.xml") else {
            Console.error(t("fel: programmes/hsp.xml hittades inte; kör kommandot i Närvaros katalog",
                            "error: programmes/hsp.xml was not found; run the command in Närvaro's folder"))
            throw ExitCode(1)
        }
        guard case .success(let loaded) = ProgrammeLoader.load(path: programmePath) else {
            Console.error(t("fel: \(programmePath) kan inte läsas; kör narvaro programme validate \(programmePath)", "error: \(programmePath) does not load"))
            throw ExitCode(1)
        }
        let today = Day(Today.dayNumber())
        let clock = ContinuousClock()
        let started = clock.now
        do {
            // A demo needs no power-loss durability; it needs to be quick.
            let store = try CaseStore(path: storePath, create: true, durability: .normal)
            let (registered, _) = try store.register(source: loaded.source, file: programmePath, recordedAt: Clock.now())
            Console.out(t("Skapar \(cases) påhittade ärenden …", "Making \(cases) made-up cases …"))
            var cohort = DemoCohort(store: store, programme: loaded.programme, programmeID: registered.id, today: today, seed: 2026)
            let made = try cohort.make(cases: cases)
            guard let report = try store.fidelityReport(asOf: today) else { throw StoreError.io("no cases") }
            let document = ReportBuilder(report: report, language: language).build()
            let html = (dir as NSString).appendingPathComponent("rapport.html")
            let markdown = (dir as NSString).appendingPathComponent("rapport.md")
            try PrivateFile.write(to: html) { try HTMLRenderer.render(document, to: $0) }
            try PrivateFile.write(to: markdown) { try ReportRenderers.markdown(document, to: $0) }
            try store.close()
            let seconds = Double(microseconds(clock.now - started)) / 1e6
            Console.out(t(
                """
                Klart på \(String(format: "%.1f", seconds)) s: \(made.cases) ärenden i tre skolor, \(made.records) veckor närvarodata.
                  Lagring:  \(storePath)
                  Rapport:  \(html)  (och \(markdown))
                  Index för metodtrohet: \(document.headline.percent)\(document.headline.band.map { " (\($0.sv))" } ?? "")
                Prova:
                  narvaro case list --store \(storePath)
                  narvaro case show HSP-\(today.description.prefix(4))-0001 --store \(storePath)
                  narvaro session HSP-\(today.description.prefix(4))-0001 --store \(storePath)
                  narvaro team list --store \(storePath)
                """,
                """
                Done in \(String(format: "%.1f", seconds)) s: \(made.cases) cases in three schools, \(made.records) weeks of attendance data.
                  Store:   \(storePath)
                  Report:  \(html)  (and \(markdown))
                  Fidelity index: \(document.headline.percent)\(document.headline.band.map { " (\($0.text(.en)))" } ?? "")
                Try:
                  narvaro case list --store \(storePath)
                  narvaro case show <code> --store \(storePath) --lang en
                  narvaro team list --store \(storePath) --lang en
                """))
        } catch let error as StoreError {
            Console.error(t("fel: ", "error: ") + error.rendered(language))
            throw ExitCode(1)
        }
    }

    /// The bundled programme: in ./programmes, or beside the executable's package.
    static func findProgramme(_ name: String) -> String? {
        var candidates = [FileManager.default.currentDirectoryPath + "/programmes/" + name]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("programmes/\(name)").path)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
