import Foundation
import GRDB
@testable import Store
import Testing
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// Shared fixtures for the store's reliability tests: a fixed day and clock, a private temporary
/// directory per test, a store with the shipped programme, raw SQL access and child processes.
enum Fixture {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let programmePath = packageRoot.appendingPathComponent("programmes/hsp.xml").path
    static let today = Day(ISODate.dayNumber("2026-11-22")!)
    static let now = "2026-11-22T10:00:00Z"
    static let personnummer = "200504031234"
    static let studentName = "Testa Testsson"

    static func programmeSource() throws -> [UInt8] {
        let data = try #require(FileManager.default.contents(atPath: programmePath), "cannot read \(programmePath)")
        return [UInt8](data)
    }

    static func stamp(_ commandID: String = UUID().uuidString, actor: String = "anna", at recordedAt: String = now) -> Stamp {
        Stamp(commandID: commandID, actor: actor, recordedAt: recordedAt, today: today)
    }

    /// A new store at `dir/store.sqlite` with hsp.xml registered.
    static func makeStore(in dir: TempDir, name: String = "store.sqlite", durability: CaseStore.Durability = .full,
                          lockTimeout: Double = 10) throws -> CaseStore {
        let store = try CaseStore(path: dir.file(name), create: true, durability: durability, lockTimeout: lockTimeout)
        try store.register(source: try programmeSource(), file: programmePath, recordedAt: now)
        return store
    }

    /// Opens a case (two events: caseOpened, phaseEntered) and returns its code.
    static func openCase(_ store: CaseStore, personnummer: String = personnummer, name: String = studentName) throws -> String {
        try store.openCase(
            programmeID: "hsp", identity: .init(name: name, personnummer: personnummer), school: "Testskolan", grade: 8,
            referredBy: .eht, on: today, stamp: stamp()
        ).code
    }

    /// Appends `count` staff assignments (one event each) to a case.
    static func assign(_ store: CaseStore, _ code: String, count: Int, from first: Int = 1) throws {
        for i in first..<(first + count) {
            _ = try store.execute(.assign(role: "behandlare", person: "Person \(i)", on: today), case: code, stamp: stamp())
        }
    }

    /// The `narvaro` executable built by `swift build`, found as CLITests/CLIRunner.swift finds it; nil when not built.
    static let executable: String? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("narvaro").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fallback = packageRoot.appendingPathComponent(".build/debug/narvaro").path
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }()

    static var childEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NARVARO_TODAY"] = "2026-11-22"
        env["NARVARO_NOW"] = now
        env.removeValue(forKey: "NARVARO_STORE")
        return env
    }
}

/// A private (0700) temporary directory; call `remove()` (with `defer`) when done.
final class TempDir: Sendable {
    let path: String

    init(_ label: String = #function) throws {
        let clean = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("narvaro-store-\(clean)-\(getpid())-\(UUID().uuidString)")
        guard mkdir(path, 0o700) == 0 else { throw TestFailure("mkdir \(path): \(String(cString: strerror(errno)))") }
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Permission bits of a file (`stat`), nil when it does not exist.
func fileMode(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int(info.st_mode) & 0o777
}

func fileBytes(_ path: String) -> Data? {
    FileManager.default.contents(atPath: path)
}

/// Runs `body` on the store file through a plain GRDB connection of our own, as an intruder (or a
/// careless tool) with file access would. Never while a `CaseStore` on the same file is writing.
func withRawDatabase<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.writeWithoutTransaction(body)
}

/// The error a store call threw, or nil when it succeeded. Anything but a `StoreError` is a failure.
func storeError<T>(sourceLocation: Testing.SourceLocation = #_sourceLocation, _ body: () throws -> T) -> StoreError? {
    do {
        _ = try body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("not a StoreError: \(error)", sourceLocation: sourceLocation)
        return .database("\(error)")
    }
}

/// A thread-safe collector for results from concurrent work.
final class Collector<Element: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `items` is only touched under `lock`.
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}

// MARK: - Child processes

/// A child process started with posix_spawn, its stdout and stderr going to files (a pipe could fill
/// up and block it; a file keeps every byte it wrote even when it is killed).
struct Child {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String

    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String) throws -> Child {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw TestFailure("posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        return Child(pid: pid, stdoutPath: stdout, stderrPath: stderr)
    }

    /// Waits for the child; returns the raw wait status.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Non-blocking: the wait status if the child has ended.
    func poll() -> Int32? {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid ? status : nil
    }

    var stdout: String { String(decoding: fileBytes(stdoutPath) ?? Data(), as: UTF8.self) }
    var stderr: String { String(decoding: fileBytes(stderrPath) ?? Data(), as: UTF8.self) }

    static func exitCode(_ status: Int32) -> Int32? { (status & 0x7F) == 0 ? (status >> 8) & 0xFF : nil }
    static func signal(_ status: Int32) -> Int32? { (status & 0x7F) != 0 && (status & 0x7F) != 0x7F ? status & 0x7F : nil }

    /// Runs a command to the end and returns its exit code (nil when killed by a signal), stdout, stderr.
    static func run(_ executable: String, _ arguments: [String], in dir: TempDir, tag: String) throws -> (status: Int32?, stdout: String, stderr: String) {
        let child = try spawn(executable, arguments, environment: Fixture.childEnvironment,
                              stdout: dir.file("\(tag).out"), stderr: dir.file("\(tag).err"))
        let status = child.wait()
        return (exitCode(status), child.stdout, child.stderr)
    }
}
