import ArgumentParser
import Forms
import Foundation
import Store
import Workflow

/// `narvaro debug …`: tools for measuring and for the crash tests. Not for everyday use.
struct DebugGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Verktyg för mätningar och krocktester. (Tools for measurements and crash tests.)",
        shouldDisplay: false,
        subcommands: [TimeLoad.self, TimeForm.self, StressWriter.self, BenchWorkflow.self, TimeCriteria.self]
    )

    struct TimeLoad: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time loading a programme in-process.")
        @Argument var file: String
        @Option var iterations = 200

        func run() throws {
            guard case .success(let loaded) = ProgrammeLoader.load(path: file) else { throw ExitCode(1) }
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for _ in 0..<iterations { _ = ProgrammeLoader.load(bytes: loaded.source, file: file) }
            }
            Console.out("load + validate \(file): \(microseconds(elapsed) / Double(iterations)) µs per load")
        }
    }

    struct TimeForm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time evaluating a form's answers.")
        @Argument var programme: String
        @Option var form: String
        @Option var answers: String
        @Option var iterations = 20_000

        func run() throws {
            guard case .success(let loaded) = ProgrammeLoader.load(path: programme), let form = loaded.programme.form(form),
                  let data = FileManager.default.contents(atPath: answers), case .success(let document) = AnswersDocument.parse(data)
            else { throw ExitCode(1) }
            let today = Today.dayNumber()
            let check = AnswersCheck(form: form, programme: loaded.programme, document: document, today: today)
            let engine = FormEngine(form: form, programme: loaded.programme)
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for _ in 0..<iterations { _ = engine.evaluate(check.answers, today: today) }
            }
            Console.out("evaluate \(form.id): \(microseconds(elapsed) / Double(iterations)) µs per evaluation")
        }
    }

    /// Appends events to one case as fast as it can, printing `ACK <seq>` after each commit returns.
    struct StressWriter: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Append events and acknowledge each commit (for the crash test).")
        @Option var store: String
        @Option var programme: String
        @Option var count = Int.max
        @Flag var normal = false

        func run() throws {
            do {
                let store = try CaseStore(path: store, create: true, durability: normal ? .normal : .full)
                guard case .success(let loaded) = ProgrammeLoader.load(path: programme) else { throw ExitCode(1) }
                let today = Day(Today.dayNumber())
                _ = try store.register(source: loaded.source, file: programme, recordedAt: Clock.now())
                let code: String
                if let existing = try store.caseCodes().first {
                    code = existing
                } else {
                    let stamp = Stamp(commandID: UUID().uuidString, actor: "stress", recordedAt: Clock.now(), today: today)
                    code = try store.openCase(
                        programmeID: loaded.programme.id, identity: .init(name: "Testa Testsson", personnummer: "201212121212"),
                        school: "Testskolan", grade: 8, referredBy: .eht, on: today, stamp: stamp).code
                }
                let role = loaded.programme.roles.first { $0.kind == .staff }!.id
                let evaluator = XPathEvaluator()
                var assigned = (try store.caseState(code).state.staff[role] ?? []).contains("Person Stress")
                for _ in 0..<count {
                    let stamp = Stamp(commandID: UUID().uuidString, actor: "stress", recordedAt: Clock.now(), today: today)
                    let command: CaseCommand = assigned
                        ? .unassign(role: role, person: "Person Stress", on: today) : .assign(role: role, person: "Person Stress", on: today)
                    let outcome = try store.execute(command, case: code, stamp: stamp, evaluator: evaluator)
                    assigned.toggle()
                    FileHandle.standardOutput.write(Data("ACK \(code) \(outcome.state.version)\n".utf8))
                }
            } catch let error as StoreError {
                Console.error(error.rendered(.en))
                throw ExitCode(1)
            }
        }
    }
}

extension DebugGroup {
    /// Where a report's time goes: reading the cases, each criterion, and the whole accumulation.
    struct TimeCriteria: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "time-criteria", abstract: "Time each fidelity criterion over a store's cases.")
        @Option(help: "The report's day (the benchmark drive's cases are all done by then).") var date = DayArgument(argument: "2027-06-30")!
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openStore()
            let asOf = date.day
            let evaluator = XPathEvaluator()
            let attendance = store.attendanceHistory
            let team: TeamLog
            var cases: [ReportCase] = []
            let clock = ContinuousClock()
            do { team = try store.teamLog() } catch { throw options.fail(error) }
            var failure: StoreError?
            let read = clock.measure {
                do throws(StoreError) { try store.forEachReportCase { cases.append($0) } } catch { failure = error }
            }
            if let failure { throw options.fail(failure) }
            var spent: [String: Duration] = [:]
            var order: [String] = []
            var indexes: [String: FidelityIndex] = [:]
            for c in cases {
                let index = indexes[c.programmeHash] ?? FidelityIndex(c.programme)
                indexes[c.programmeHash] = index
                FidelityTiming.eachCriterion(
                    c.state, programme: c.programme, index: index, asOf: asOf, evaluator: evaluator, attendance: attendance, team: team
                ) { name, body in
                    if spent[name] == nil { order.append(name) }
                    spent[name, default: .zero] += clock.measure { _ = body() }
                }
            }
            var accumulator = FidelityAggregate.Accumulator(asOf: asOf, attendance: attendance, team: team, evaluator: evaluator)
            let whole = clock.measure { for c in cases { accumulator.add(c) } }
            let n = Double(max(1, cases.count))
            Console.out(String(format: "%d cases: read %.1f µs, accumulate %.1f µs per case", cases.count, microseconds(read) / n, microseconds(whole) / n))
            for name in order.sorted(by: { spent[$0]! > spent[$1]! }) {
                Console.out(String(format: "  %8.2f µs  %@", microseconds(spent[name]!) / n, name))
            }
        }
    }
}

func microseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
}
