import ArgumentParser
import Forms
import Foundation
import Store
import Workflow

/// `narvaro case …`: open and manage cases.
struct CaseGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Öppna och hantera ärenden. (Open and manage cases.)",
        subcommands: [
            Open.self, List.self, Show.self, Complete.self, Skip.self, Advance.self, Pause.self, Resume.self, Close.self,
            Assign.self, Consent.self, Concern.self,
        ]
    )

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Öppna ett ärende och starta programmets första fas. (Open a case and start the programme's first phase.)",
            discussion: """
                Namn och personnummer sparas för sig; allt annat känner bara till ärendekoden (till exempel HSP-2026-0007).
                Name and personnummer are kept apart; everything else knows only the case code (such as HSP-2026-0007).
                """
        )

        @Option(help: "Elevens namn. (The student's name.)") var student: String
        @Option(help: "Elevens personnummer, ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN. (The student's personnummer.)") var personnummer: String
        @Option(help: "Skolenheten. (The school unit.)") var school: String
        @Option(help: "Årskurs, 0–13. (Grade.)") var grade: Int
        @Option(help: "Programmets id; behövs när flera program är registrerade. (The programme's id.)") var programme: String?
        @Option(name: .customLong("referred-by"), help: "Vem som aktualiserade ärendet: eht, socialtjanst, bup, vardnadshavare. (Who referred the case.)")
        var referredBy: ReferralSource = .eht
        @Option(help: "Datum då ärendet öppnades, standard i dag. (The date the case opened; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            let stamp = options.stamp()
            let pnr: Personnummer
            switch Personnummer.parse(personnummer, today: stamp.today.number) {
            case .success(let p): pnr = p
            case .failure(let problem):
                Console.error(options.t("fel: ", "error: ") + FieldError.personnummer(problem).message(options.language))
                throw ExitCode(1)
            }
            let store = try options.openStore()
            do {
                let outcome = try store.openCase(
                    programmeID: programme, identity: .init(name: student, personnummer: pnr.canonical), school: school,
                    grade: grade, referredBy: referredBy, on: date?.day ?? stamp.today, stamp: stamp)
                let view = CaseView(
                    state: outcome.state, programme: outcome.programme, language: options.language, today: stamp.today, attendance: store.attendance)
                Console.out(options.t("Ärendet \(outcome.code) är öppnat.", "Case \(outcome.code) is open."))
                Console.out(view.nextSteps(limit: 3))
            } catch {
                throw options.fail(error)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lista ärenden. (List cases.)")

        @Option(help: "Bara den här skolenheten. (Only this school unit.)") var school: String?
        @Option(help: "Bara ärenden i den här fasen (fasens id). (Only cases in this phase.)") var phase: String?
        @Flag(help: "Bara ärenden med något försenat. (Only cases with something overdue.)") var overdue = false
        @Option(help: "text eller json. (text or json.)") var format: OutputFormat = .text
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openStore()
            let today = Day(Today.dayNumber())
            var rows: [CaseSummary] = []
            do {
                if let phase {
                    let known = try Set(store.registeredProgrammes().flatMap { try store.programme(hash: $0.hash).phases.map(\.id) })
                    if !known.contains(phase) {
                        Console.error(options.t(
                            "fel: ingen fas heter '\(phase)'. Faser: \(known.sorted().joined(separator: ", "))",
                            "error: no phase is called '\(phase)'. Phases: \(known.sorted().joined(separator: ", "))"))
                        throw ExitCode(1)
                    }
                }
                let evaluator = XPathEvaluator()
                for code in try store.caseCodes() {
                    let (state, programme) = try store.caseState(code)
                    let summary = CaseSummary(state: state, programme: programme, today: today, evaluator: evaluator, attendance: store.attendance)
                    if let school, summary.school.lowercased() != school.lowercased() { continue }
                    if let phase, summary.phase != phase { continue }
                    if overdue, summary.overdue == 0 { continue }
                    rows.append(summary)
                }
            } catch let error as StoreError {
                throw options.fail(error)
            }
            switch format {
            case .json: Console.out(try CaseSummary.json(rows))
            case .text: Console.out(CaseSummary.table(rows, language: options.language))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Visa ett ärende: fas, vad som står på tur, vad som är försenat, tidslinjen och avvikelser. (Show a case.)")

        @Argument(help: "Ärendekoden, till exempel HSP-2026-0001. (The case code.)") var code: String
        @Option(help: "text eller json. (text or json.)") var format: OutputFormat = .text
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openStore()
            let view: CaseView
            let events: [StoredEvent]
            do {
                let (state, programme) = try store.caseState(code)
                events = try store.events(code)
                view = CaseView(
                    state: state, programme: programme, language: options.language, today: Day(Today.dayNumber()), attendance: store.attendance)
            } catch {
                throw options.fail(error)
            }
            switch format {
            case .text: Console.out(view.full(events: events))
            case .json: Console.out(try view.json(events: events))
            }
        }
    }
}

/// Runs one command on a case and prints what happened and what comes next.
func runCaseCommand(_ options: StoreOptions, code: String, done: (String, String), _ make: (Stamp) -> CaseCommand) throws {
    let store = try options.openStore()
    let stamp = options.stamp()
    do {
        let outcome = try store.execute(make(stamp), case: code, stamp: stamp, attendance: store.attendance)
        Console.out(outcome.wasRepeat
            ? options.t("Redan gjort (samma kommando); inget nytt sparades.", "Already done (same command); nothing new was saved.")
            : options.t(done.0, done.1))
        if !outcome.wasRepeat {
            for case .stepCompleted(let completed) in outcome.events.map(\.event) {
                let missing = (outcome.programme.step(completed.step)?.forms ?? []).filter { id in !completed.forms.contains { $0.form == id } }
                if !missing.isEmpty {
                    Console.error(options.t(
                        "Obs: stegets formulär fylldes inte i: \(missing.joined(separator: ", ")). Det syns i trohetsrapporten (formulärens fullständighet).",
                        "Note: the step's forms were not filled in: \(missing.joined(separator: ", ")). The fidelity report shows it (form completeness)."))
                }
            }
        }
        let view = CaseView(
            state: outcome.state, programme: outcome.programme, language: options.language, today: stamp.today, attendance: store.attendance)
        Console.out(view.nextSteps(limit: 3))
    } catch {
        throw options.fail(error)
    }
}
