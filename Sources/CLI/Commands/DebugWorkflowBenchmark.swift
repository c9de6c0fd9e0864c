import ArgumentParser
import Foundation
import Store
import Workflow

extension DebugGroup {
    /// The workflow and store figures of issue 4, measured in one process (release build):
    /// engine per step, one step with its commit under NORMAL and FULL, the fsync floor of this disk,
    /// and 1,000 cases driven through every step of a programme.
    struct BenchWorkflow: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bench-workflow", abstract: "Measure the engine and the store.")
        @Argument var programme: String
        @Option var cases = 1_000
        @Option var iterations = 2_000
        /// Keep the store of the driven cases here (to time a report over it).
        @Option var keep: String?
        /// Only the 1,000-case drive, one transaction per case (for profiling).
        @Flag var onlyDrive = false

        func run() throws {
            guard case .success(let loaded) = ProgrammeLoader.load(path: programme) else { throw ExitCode(1) }
            let p = loaded.programme
            let today = Day("2027-06-30")!, opened = Day("2026-09-01")!
            let evaluator = XPathEvaluator()
            let role = p.roles.first { $0.kind == .staff }!.id

            if onlyDrive { return try drive(loaded, today: today, opened: opened, evaluator: evaluator, perCommandToo: false) }
            // Engine alone: decide + evolve one step.
            let context = CaseMachine.Context(today: today, programmeHash: "bench", evaluator: evaluator)
            var state = try CaseMachine.decide(.open(code: "B-1", school: "S", grade: 8, referredBy: .eht, on: opened), state: nil, programme: p, context: context)
                .reduce(nil) { CaseMachine.evolve($0, $1) }!
            var samples: [Double] = []
            for i in 0..<iterations {
                let command: CaseCommand = i % 2 == 0 ? .assign(role: role, person: "Person P", on: opened) : .unassign(role: role, person: "Person P", on: opened)
                let start = ContinuousClock.now
                let events = try CaseMachine.decide(command, state: state, programme: p, context: context)
                for event in events { state = CaseMachine.evolve(consume state, event)! }
                samples.append(microseconds(ContinuousClock.now - start))
            }
            report("engine: decide + evolve one step", samples)
            // Engine alone over whole cases: every command a case of this programme takes.
            samples = []
            var engineCommands = 0
            for n in 0..<20 {
                engineCommands += try CaseDriver.driveEngine(programme: p, number: n, opened: opened, context: context, samples: &samples)
            }
            report("engine: decide + evolve, every command of 20 whole cases (\(engineCommands) commands)", samples)
            // A step with an agenda: completing a repeated step's occurrence.
            samples = []
            let step = p.steps.first { $0.recurrence != nil && $0.after.isEmpty && $0.consents.isEmpty && p.phase(containingStep: $0.id)?.id == p.phases.first?.id }
            if let step {
                var s = state
                for _ in 0..<min(iterations, 300) {
                    let start = ContinuousClock.now
                    let events = try CaseMachine.decide(.completeStep(StepRecord(step: step.id, on: opened)), state: s, programme: p, context: context)
                    for event in events { s = CaseMachine.evolve(consume s, event)! }
                    samples.append(microseconds(ContinuousClock.now - start))
                }
                report("engine: complete a repeated step", samples)
            }

            for durability in [CaseStore.Durability.normal, .full] {
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-bench-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: dir) }
                let store = try CaseStore(path: dir.appendingPathComponent("s.sqlite").path, create: true, durability: durability)
                let (registered, _) = try store.register(source: loaded.source, file: programme, recordedAt: "2026-09-01T08:00:00Z")
                func stamp() -> Stamp { Stamp(commandID: UUID().uuidString, actor: "bench", recordedAt: "2026-09-01T08:00:00Z", today: today) }
                let code = try store.openCase(
                    programmeID: registered.id, identity: .init(name: "Testa Testsson", personnummer: "201212121212"), school: "S", grade: 8,
                    referredBy: .eht, on: opened, stamp: stamp(), evaluator: evaluator).code
                samples = []
                for i in 0..<(durability == .full ? min(iterations, 500) : iterations) {
                    let command: CaseCommand = i % 2 == 0 ? .assign(role: role, person: "Person P", on: opened) : .unassign(role: role, person: "Person P", on: opened)
                    // The command id is made when the user starts the command, before the store sees it.
                    let stamped = stamp()
                    let start = ContinuousClock.now
                    _ = try store.execute(command, case: code, stamp: stamped, evaluator: evaluator)
                    samples.append(microseconds(ContinuousClock.now - start))
                }
                report("store: one step with its commit, WAL + \(durability == .full ? "FULL" : "NORMAL")", samples)
                try store.close()
                if durability == .full {
                    // The disk's floor: one 4 KiB write and fsync in the same folder.
                    let file = dir.appendingPathComponent("fsync").path
                    let fd = open(file, O_RDWR | O_CREAT, 0o600)
                    let page = [UInt8](repeating: 7, count: 4096)
                    samples = []
                    for _ in 0..<min(iterations, 500) {
                        let start = ContinuousClock.now
                        _ = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, 4096, 0) }
                        fsync(fd)
                        samples.append(microseconds(ContinuousClock.now - start))
                    }
                    close(fd)
                    report("fsync floor: 4 KiB write + fsync", samples)
                }
            }

            try drive(loaded, today: today, opened: opened, evaluator: evaluator, perCommandToo: true)
        }

        /// Drives `cases` cases through every step: first one transaction per case (a batch), then one per command.
        func drive(_ loaded: LoadedProgramme, today: Day, opened: Day, evaluator: XPathEvaluator, perCommandToo: Bool) throws {
            let p = loaded.programme
            for perCommand in perCommandToo ? [false, true] : [false] {
                let dir = keep.map { URL(fileURLWithPath: $0) }.flatMap { perCommand ? nil : $0 }
                    ?? FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-bench-\(UUID().uuidString)")
                let temporary = perCommand || keep == nil
                defer { if temporary { try? FileManager.default.removeItem(at: dir) } }
                let store = try CaseStore(path: dir.appendingPathComponent("narvaro.sqlite").path, create: true, durability: .normal)
                let (registered, _) = try store.register(source: loaded.source, file: programme, recordedAt: "2026-09-01T08:00:00Z")
                let start = ContinuousClock.now
                var commands = 0
                // The first case follows the agenda; the others replay the commands it was given (each must
                // be accepted again), so that the figure is the store's and the engine's work, not the driver's.
                var script: [CaseCommand]?
                func driveOne(_ writer: some CaseWriter, _ n: Int) throws -> Int {
                    if let script {
                        return try CaseDriver.replay(script, writer: writer, programmeID: registered.id, number: n, opened: opened, today: today, evaluator: evaluator)
                    }
                    let (count, recorded) = try CaseDriver.record(writer: writer, programme: p, programmeID: registered.id, number: n, opened: opened, today: today, evaluator: evaluator)
                    script = recorded
                    return count
                }
                for n in 0..<cases {
                    if perCommand {
                        commands += try driveOne(store, n)
                    } else {
                        commands += try store.batch { batch throws(StoreError) in
                            do {
                                return try driveOne(batch, n)
                            } catch {
                                throw error as? StoreError ?? .database("\(error)")
                            }
                        }
                    }
                }
                let seconds = microseconds(ContinuousClock.now - start) / 1e6
                let how = perCommand ? "one transaction per command" : "one transaction per case"
                Console.out(String(format: "%d cases through every step (%d commands, scripted from the first case's agenda), NORMAL, %@: %.2f s (%.1f µs per command)", cases, commands, how, seconds, seconds * 1e6 / Double(commands)))
                try store.close()
            }
        }
        func report(_ name: String, _ samples: [Double]) {
            let sorted = samples.sorted()
            func p(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
            Console.out(String(format: "%@: p50 %.1f µs, p90 %.1f µs, p99 %.1f µs (%d runs)", name, p(0.5), p(0.9), p(0.99), samples.count))
        }
    }
}

/// Drives synthetic cases through a whole programme, through the store or the engine alone.
enum CaseDriver {
    /// Drives one case through the store as the agenda leads it; returns the number of commands and,
    /// in order, the commands the store accepted after the opening (a script for `replay`).
    static func record(
        writer store: some CaseWriter, programme: Programme, programmeID: String, number: Int, opened: Day, today: Day, evaluator: XPathEvaluator
    ) throws -> (commands: Int, script: [CaseCommand]) {
        var session = DrivenCase(store: store, programmeID: programmeID, number: number, today: today, evaluator: evaluator)
        var script: [CaseCommand] = []
        let count = try drive(programme: programme, opened: opened, evaluator: evaluator, open: {
            try session.open(on: opened)
        }, execute: { command in
            let state = try session.execute(command)
            script.append(command)
            return state
        })
        return (count, script)
    }

    /// Opens a case and gives it `script`, every command of which the store must accept; returns the number of commands.
    static func replay(
        _ script: [CaseCommand], writer store: some CaseWriter, programmeID: String, number: Int, opened: Day, today: Day, evaluator: XPathEvaluator
    ) throws -> Int {
        var session = DrivenCase(store: store, programmeID: programmeID, number: number, today: today, evaluator: evaluator)
        _ = try session.open(on: opened)
        for command in script { _ = try session.execute(command) }
        return 1 + script.count
    }

    /// One driven case in the store: its code, and the command ids given so far.
    struct DrivenCase<Writer: CaseWriter> {
        let store: Writer
        let programmeID: String
        let number: Int
        let today: Day
        let evaluator: XPathEvaluator
        var code = ""
        var commands = 0

        mutating func open(on opened: Day) throws -> CaseState {
            let outcome = try store.openCase(
                programmeID: programmeID, identity: .init(name: "Testa Testsson", personnummer: "201212121212"), school: "Skola \(number % 3)",
                grade: 8, referredBy: .eht, on: opened, stamp: stamp(), evaluator: evaluator)
            code = outcome.code
            return outcome.state
        }

        mutating func execute(_ command: CaseCommand) throws -> CaseState {
            try store.execute(command, case: code, stamp: stamp(), expectedVersion: nil, evaluator: evaluator, attendance: nil).state
        }

        /// A fresh command id for each command, refused ones included.
        private mutating func stamp() -> Stamp {
            defer { commands += 1 }
            return Stamp(commandID: "c\(number)-\(commands)", actor: "bench", recordedAt: "2026-09-01T08:00:00Z", today: today)
        }
    }

    /// The same drive through the engine alone (decide + evolve, no store), timing each command.
    static func driveEngine(programme: Programme, number: Int, opened: Day, context: CaseMachine.Context, samples: inout [Double]) throws -> Int {
        var state: CaseState?
        var timed: [Double] = []
        func run(_ command: CaseCommand) throws -> CaseState {
            let start = ContinuousClock.now
            let events = try CaseMachine.decide(command, state: state, programme: programme, context: context)
            var next = state
            state = nil  // so that `next` holds the only reference and evolving does not copy it
            for event in events { next = CaseMachine.evolve(consume next, event) }
            state = next
            timed.append(microseconds(ContinuousClock.now - start))
            guard let state else { throw StoreError.damaged(path: "bench", detail: "no state") }
            return state
        }
        let count = try drive(programme: programme, opened: opened, evaluator: context.evaluator, open: {
            try run(.open(code: "B-\(number)", school: "Skola \(number % 3)", grade: 8, referredBy: .eht, on: opened))
        }, execute: run)
        samples += timed
        return count
    }

    /// Drives one case through the whole programme: every step the agenda offers (at least its minimum),
    /// skipping what cannot be done, advancing (overriding gates that read answers the driver does not
    /// give), closing into follow-up.
    static func drive(
        programme: Programme, opened: Day, evaluator: XPathEvaluator, open: () throws -> CaseState, execute: (CaseCommand) throws -> CaseState
    ) throws -> Int {
        var commands = 1
        // Optional, and let go of before each command, so that the store holds the only copy of the
        // case and the engine can change it in place.
        var state: CaseState? = try open()
        for consent in programme.consents {
            state = nil
            state = try execute(.recordConsent(consent: consent.id, givenBy: "vardnadshavare-1", validFrom: opened, validUntil: nil, on: opened))
            commands += 1
        }
        var guardCount = 0
        while guardCount < 500, let current = state.take() {
            guardCount += 1
            let agenda = CaseMachine.agenda(current, programme: programme, today: opened, evaluator: evaluator)
            if let item = agenda.actionable.first(where: { $0.completed < max(1, $0.minimumOccurrences ?? 1) }) {
                _ = consume current
                state = try execute(.completeStep(StepRecord(step: item.step, on: opened)))
                commands += 1
                continue
            }
            if let item = agenda.unmetRequirements.first {
                _ = consume current
                state = try execute(.skipStep(step: item.step, reason: "benchmark", on: opened))
                commands += 1
                continue
            }
            if current.isClosed { break }
            // Moving on may be refused (a gate): keep the case to try the next way.
            state = current
            if let next = try? execute(.advance(on: opened, override: "benchmark")) {
                state = next
            } else if let next = try? execute(.close(reason: .completed, on: opened)) {
                state = next
            } else {
                // A closing gate the driver cannot meet (it gives no answers): close for another reason.
                state = try execute(.close(reason: .other, on: opened))
            }
            commands += 1
        }
        return commands
    }
}
