import Benchmark
import Foundation
import Store
import Workflow

/// The workflow engine and its store:
/// - one step decided and folded, engine only (target ≤ 20 µs);
/// - one step with its commit, WAL + synchronous=NORMAL (≤ 60 µs) and FULL (≤ 1.3 × one fsync, measured
///   here as "fsync floor" on the same disk);
/// - 1,000 cases driven through every step of hsp.xml in one process with NORMAL (≤ 1.5 s).
let benchmarks: @Sendable () -> Void = {
    let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let path = root.appendingPathComponent("programmes/hsp.xml").path
    guard case .success(let loaded) = ProgrammeLoader.load(path: path) else { fatalError("hsp.xml does not load") }
    let programme = loaded.programme
    let today = Day("2027-06-30")!
    let opened = Day("2026-09-01")!

    Benchmark("engine: decide + evolve one step", configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(3))) { benchmark in
        let evaluator = XPathEvaluator()
        let context = CaseMachine.Context(today: today, programmeHash: "bench", evaluator: evaluator)
        var state = try! CaseMachine.decide(.open(code: "B-1", school: "S", grade: 8, referredBy: .eht, on: opened), state: nil, programme: programme, context: context)
            .reduce(nil) { CaseMachine.evolve($0, $1) }!
        // A repeated step in the first phase's successor is not needed: assigning and unassigning staff
        // is a decision with a real state check; completing a step exercises the agenda.
        state = try! CaseMachine.decide(.completeStep(StepRecord(step: "a_remiss", on: opened)), state: state, programme: programme, context: context)
            .reduce(state) { CaseMachine.evolve($0, $1) }!
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let command: CaseCommand = i % 2 == 0 ? .assign(role: "behandlare", person: "P", on: opened) : .unassign(role: "behandlare", person: "P", on: opened)
            let events = try! CaseMachine.decide(command, state: state, programme: programme, context: context)
            state = events.reduce(state) { CaseMachine.evolve($0, $1) }!
        }
    }

    for durability in [CaseStore.Durability.normal, .full] {
        let name = durability == .normal ? "NORMAL" : "FULL"
        Benchmark("store: one step with its commit, WAL + \(name)", configuration: .init(metrics: [.wallClock], maxDuration: .seconds(3))) { benchmark in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-bench-\(UUID().uuidString)")
            let store = try! CaseStore(path: dir.appendingPathComponent("s.sqlite").path, create: true, durability: durability)
            let (registered, _) = try! store.register(source: loaded.source, file: path, recordedAt: "2026-09-01T08:00:00Z")
            let evaluator = XPathEvaluator()
            let stamp = { Stamp(commandID: UUID().uuidString, actor: "bench", recordedAt: "2026-09-01T08:00:00Z", today: today) }
            let code = try! store.openCase(
                programmeID: registered.id, identity: .init(name: "Testa Testsson", personnummer: "201212121212"), school: "S", grade: 8,
                referredBy: .eht, on: opened, stamp: stamp(), evaluator: evaluator).code
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                let command: CaseCommand = i % 2 == 0 ? .assign(role: "behandlare", person: "P", on: opened) : .unassign(role: "behandlare", person: "P", on: opened)
                blackHole(try! store.execute(command, case: code, stamp: stamp(), evaluator: evaluator))
            }
            benchmark.stopMeasurement()
            try? store.close()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    Benchmark("fsync floor: write 4 KiB + fsync on the same disk", configuration: .init(metrics: [.wallClock], maxDuration: .seconds(2))) { benchmark in
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-fsync-\(UUID().uuidString)").path
        let fd = open(file, O_RDWR | O_CREAT, 0o600)
        let page = [UInt8](repeating: 7, count: 4096)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            _ = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, 4096, 0) }
            fsync(fd)
        }
        benchmark.stopMeasurement()
        close(fd)
        unlink(file)
    }

    Benchmark(
        "1,000 cases through every step of hsp.xml (NORMAL)",
        configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(30), maxIterations: 3)
    ) { benchmark in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-bench-\(UUID().uuidString)")
        let store = try! CaseStore(path: dir.appendingPathComponent("s.sqlite").path, create: true, durability: .normal)
        let (registered, _) = try! store.register(source: loaded.source, file: path, recordedAt: "2026-09-01T08:00:00Z")
        let evaluator = XPathEvaluator()
        var steps = 0
        benchmark.startMeasurement()
        for n in 0..<1_000 {
            steps += CaseDriver.drive(store: store, programme: programme, programmeID: registered.id, number: n, opened: opened, today: today, evaluator: evaluator)
        }
        benchmark.stopMeasurement()
        blackHole(steps)
        try? store.close()
        try? FileManager.default.removeItem(at: dir)
    }
}

/// Drives one case through the whole programme: every step the agenda offers, then the next phase
/// (overriding gates that read answers the driver does not give), then closing into follow-up.
enum CaseDriver {
    static func drive(store: CaseStore, programme: Programme, programmeID: String, number: Int, opened: Day, today: Day, evaluator: XPathEvaluator) -> Int {
        var commands = 0
        func stamp() -> Stamp { Stamp(commandID: "c\(number)-\(commands)", actor: "bench", recordedAt: "2026-09-01T08:00:00Z", today: today) }
        var outcome = try! store.openCase(
            programmeID: programmeID, identity: .init(name: "Testa Testsson", personnummer: "201212121212"), school: "Skola \(number % 3)",
            grade: 8, referredBy: .eht, on: opened, stamp: stamp(), evaluator: evaluator)
        let code = outcome.code
        commands += 1
        for consent in programme.consents {
            outcome = try! store.execute(.recordConsent(consent: consent.id, givenBy: "vardnadshavare-1", validFrom: opened, validUntil: nil, on: opened),
                                         case: code, stamp: stamp(), evaluator: evaluator)
            commands += 1
        }
        while true {
            let agenda = CaseMachine.agenda(outcome.state, programme: programme, today: opened, evaluator: evaluator)
            if let item = agenda.actionable.first(where: { $0.completed < max(1, $0.minimumOccurrences ?? 1) }) {
                outcome = try! store.execute(.completeStep(StepRecord(step: item.step, on: opened)), case: code, stamp: stamp(), evaluator: evaluator)
                commands += 1
                continue
            }
            if let item = agenda.unmetRequirements.first {
                outcome = try! store.execute(.skipStep(step: item.step, reason: "benchmark", on: opened), case: code, stamp: stamp(), evaluator: evaluator)
                commands += 1
                continue
            }
            if outcome.state.isClosed { break }
            do {
                outcome = try store.execute(.advance(on: opened, override: "benchmark"), case: code, stamp: stamp(), evaluator: evaluator)
            } catch {
                outcome = try! store.execute(.close(reason: .completed, on: opened), case: code, stamp: stamp(), evaluator: evaluator)
            }
            commands += 1
        }
        return commands
    }
}
