import Foundation
import GRDB
@testable import Store
import TestSupport
import Testing
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// RELIABILITY.md 6.B target 13: kill -9 during writes loses nothing.
///
/// The real binary (`narvaro debug stress-writer`) appends events to one case and prints
/// `ACK <code> <version>` after each commit returns. We SIGKILL it a random 5–80 ms after its first
/// acknowledgement, reopen the store and check: every acknowledged event is there, nothing past the
/// one commit that may have beaten its ACK, no gaps, no command applied twice, earlier events
/// unchanged, `integrity_check` ok and every chain valid (`verify()`). A store is reused across its
/// kills, so it grows (to thousands of events, through many WAL checkpoints).
///
/// To fit the time budget on 2 cores the kills run in two lanes at once, each with its own growing
/// store (a debug writer needs ~0.3 s to start and the checks grow with the log). Environment:
/// `NARVARO_CRASH_KILLS` (total, default 200), `NARVARO_CRASH_LANES` (default 2; 1 = a single store),
/// `NARVARO_CRASH_SEED` (replays the random delays).
@Suite("Crash: kill -9 during writes")
struct CrashTests {
    struct LaneResult: Sendable {
        var kills = 0
        var acknowledged = 0
        /// Commits that reached the file but were not acknowledged: the kill came during COMMIT's
        /// fsync or between COMMIT and the ACK. Allowed (at most one per kill), never required.
        var unacknowledgedCommits = 0
        var events = 0
        var checking = Duration.zero
        var failures: [String] = []
    }

    @Test(
        "kill -9 at random moments loses no acknowledged event",
        .enabled(if: Fixture.executable != nil, "no narvaro executable at .build/debug/narvaro: run `swift build` first"),
        .timeLimit(.minutes(10))
    )
    func killedWriterLosesNothing() throws {
        let executable = try #require(Fixture.executable)
        let env = ProcessInfo.processInfo.environment
        let kills = Int(env["NARVARO_CRASH_KILLS"] ?? "") ?? 200
        let lanes = max(1, Int(env["NARVARO_CRASH_LANES"] ?? "") ?? 2)
        let seed = UInt64(env["NARVARO_CRASH_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        let dir = try TempDir()
        defer { dir.remove() }

        let clock = ContinuousClock()
        let started = clock.now
        let results = Collector<LaneResult>()
        let done = DispatchGroup()
        for lane in 0..<lanes {
            let share = kills / lanes + (lane < kills % lanes ? 1 : 0)
            done.enter()
            Thread.detachNewThread {
                results.append(Self.runLane(
                    executable: executable, store: dir.file("crash-\(lane).sqlite"), outputs: dir.file("lane-\(lane)"),
                    kills: share, seed: seed &+ UInt64(lane), label: "lane \(lane), seed \(seed)"))
                done.leave()
            }
        }
        done.wait()
        let elapsed = clock.now - started

        let all = results.all
        let failures = all.flatMap(\.failures)
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
        let total = all.reduce(into: LaneResult()) {
            $0.kills += $1.kills
            $0.acknowledged += $1.acknowledged
            $0.unacknowledgedCommits += $1.unacknowledgedCommits
            $0.events += $1.events
            $0.checking += $1.checking
        }
        #expect(total.kills == kills, "only \(total.kills) of \(kills) kills ran")
        #expect(total.unacknowledgedCommits <= total.kills)
        print("""
            crash test: \(total.kills) kills in \(lanes) lane(s) (seed \(seed)); \(total.acknowledged) commits acknowledged, \
            \(failures.isEmpty ? "0 lost, 0 gaps, 0 integrity or chain failures" : "FAILED (see the issues)"); \(total.unacknowledgedCommits) more commits were on disk without an ACK (killed in or after COMMIT); \
            \(total.events) events in the store(s) at the end; \(seconds(elapsed)) s in all, \
            \(seconds(total.checking)) s of it reopening and checking (summed over lanes)
            """)
    }

    /// `kills` rounds of: start the writer, wait for its first ACK, wait 5–80 ms, SIGKILL, reopen, check.
    /// Stops at the first failure (one clear message, not hundreds).
    static func runLane(executable: String, store storePath: String, outputs: String, kills: Int, seed: UInt64, label: String) -> LaneResult {
        var result = LaneResult()
        var random = SplitMix(seed: seed)
        let clock = ContinuousClock()
        let arguments = ["debug", "stress-writer", "--store", storePath, "--programme", Fixture.programmePath]
        var code: String?
        var highestAck = 0
        var previousCount = 0
        var previousHead: (seq: Int, hash: String)?
        func fail(_ message: String, _ iteration: Int) -> LaneResult {
            result.failures.append("\(message) [\(label), kill \(iteration + 1) of \(kills)]")
            return result
        }

        for iteration in 0..<kills {
            let child: Child
            do {
                child = try Child.spawn(executable, arguments, environment: Fixture.childEnvironment,
                                        stdout: outputs + ".out", stderr: outputs + ".err")
            } catch {
                return fail("cannot start the writer: \(error)", iteration)
            }
            // Wait for the first acknowledgement (start-up takes a few hundred ms in a debug build).
            let deadline = clock.now + .seconds(60)
            var endedEarly: Int32?
            while (try? FileManager.default.attributesOfItem(atPath: child.stdoutPath)[.size] as? Int) ?? 0 == 0 {
                if let status = child.poll() { endedEarly = status; break }
                if clock.now > deadline { break }
                usleep(1_000)
            }
            if endedEarly == nil {
                usleep(UInt32.random(in: 5_000...80_000, using: &random))
                kill(child.pid, SIGKILL)
            }
            let status = endedEarly ?? child.wait()
            guard Child.signal(status) == SIGKILL else {
                return fail("the writer ended by itself (status \(status)): \(child.stderr)", iteration)
            }
            result.kills += 1

            // What it acknowledged in this run: consecutive versions of one case, following what was stored.
            var versions: [Int] = []
            for line in child.stdout.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 3, parts[0] == "ACK", let version = Int(parts[2]) else {
                    return fail("malformed ACK line '\(line)'", iteration)
                }
                if code == nil { code = String(parts[1]) }
                guard String(parts[1]) == code else { return fail("ACK for another case: \(line)", iteration) }
                versions.append(version)
            }
            guard let firstAck = versions.first, let lastAck = versions.last else {
                return fail("no ACK within 60 s: \(child.stderr)", iteration)
            }
            guard versions == Array(firstAck...lastAck) else { return fail("ACKed versions not consecutive: \(versions)", iteration) }
            guard firstAck == max(previousCount, 2) + 1 else {
                return fail("first ACK \(firstAck) does not follow the \(previousCount) events stored before", iteration)
            }
            highestAck = max(highestAck, lastAck)
            result.acknowledged += versions.count

            // Reopen the store as the next user would, and check it.
            let checkStart = clock.now
            let report: VerifyReport
            let rows: [Row]
            do {
                let store = try CaseStore(path: storePath)
                report = try store.verify()
                rows = try store.read { db in
                    try Row.fetchAll(db, sql: "SELECT seq, command_id, hash FROM events WHERE case_code = ? ORDER BY seq", arguments: [code ?? ""])
                }
                try store.close()
            } catch {
                return fail("cannot reopen or read the store after the kill: \(error)", iteration)
            }
            result.checking += clock.now - checkStart

            guard report.integrity == ["ok"], report.foreignKeyProblems == 0 else {
                return fail("integrity_check: \(report.integrity), foreign keys: \(report.foreignKeyProblems)", iteration)
            }
            guard report.problems.isEmpty, report.cases == 1 else { return fail("broken chain: \(report.problems)", iteration) }
            let count = rows.count
            guard rows.enumerated().allSatisfy({ $0.offset + 1 == $0.element["seq"] as Int }) else {
                return fail("gaps in the log", iteration)
            }
            guard count >= highestAck else {
                return fail("lost acknowledged events: \(count) stored, \(highestAck) acknowledged", iteration)
            }
            // Each command is acknowledged right after its commit: at most one commit can lack its ACK.
            guard count <= lastAck + 1 else { return fail("\(count) events stored but the last ACK was \(lastAck)", iteration) }
            if let previousHead, rows[previousHead.seq - 1]["hash"] as String != previousHead.hash {
                return fail("event \(previousHead.seq), stored before this run, changed", iteration)
            }
            // No command applied twice: each command id's events are one contiguous run.
            var seen = Set<String>()
            var previousID = ""
            for row in rows {
                let id: String = row["command_id"]
                if id != previousID {
                    guard seen.insert(id).inserted else { return fail("command \(id) appears twice", iteration) }
                    previousID = id
                }
            }
            result.unacknowledgedCommits += count - lastAck
            previousCount = count
            previousHead = (count, rows[count - 1]["hash"])
        }

        // A last, independent look at the grown store: the state is the replay of the log.
        do {
            let store = try CaseStore(path: storePath)
            let events = try store.events(code ?? "")
            let state = try store.caseState(code ?? "").state
            try store.close()
            result.events = events.count
            guard events.count == previousCount, state == CaseMachine.replay(events.map { (event: $0.event, actor: Optional($0.actor)) }), state.version == events.count else {
                return fail("the final store does not replay to its state", kills - 1)
            }
        } catch {
            return fail("cannot read the final store: \(error)", kills - 1)
        }
        return result
    }
}

private func seconds(_ duration: Duration) -> String {
    let (s, atto) = duration.components
    return String(format: "%.1f", Double(s) + Double(atto) / 1e18)
}
