import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `narvaro` running on the slave side of a real pseudo-terminal (`openpty`), driven from the master
/// side the way a person at a keyboard drives it: wait until a prompt is on the screen, type an
/// answer, press Enter.
///
/// The child is started as `setsid -w -c narvaro …` (util-linux): a session of its own with the
/// pseudo-terminal as its controlling terminal, as in a terminal window. That is what makes a typed
/// Ctrl-C (byte 0x03) reach it as SIGINT through the line discipline, and closing the master hang
/// it up. `-w` passes the exit code of `narvaro` through.
///
/// Everything printed is kept: `transcript` as written (with the escape codes, `\r\n` made `\n`),
/// `screen` without the escape codes. `expect` waits (with `poll`) until a text appears after what
/// earlier calls consumed.
final class PseudoTerminal {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let columns: UInt16 = 80

    let master: Int32
    let process = Process()
    let started = ContinuousClock.now

    /// All bytes read from the master, escape codes included, `\r` removed.
    private(set) var raw: [UInt8] = []
    /// The same without ANSI escape sequences.
    private(set) var plain: [UInt8] = []
    /// Offset in `plain` up to which `expect` has consumed the output.
    private var mark = 0
    private var escape = EscapeState.text
    private(set) var reachedEnd = false

    private enum EscapeState { case text, escape, csi }

    /// Starts `narvaro arguments…` on a new 80-column pseudo-terminal. The environment is the test
    /// runner's without NO_COLOR, with TERM=xterm-256color, and then `environment` on top.
    init(_ arguments: [String], environment: [String: String], rows: UInt16 = 50) throws {
        var masterFD: Int32 = -1, slaveFD: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: Self.columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&masterFD, &slaveFD, nil, nil, &size) == 0 else {
            throw Failure(description: "openpty failed: \(String(cString: strerror(errno)))")
        }
        master = masterFD
        _ = fcntl(masterFD, F_SETFD, FD_CLOEXEC)
        let slave = FileHandle(fileDescriptor: slaveFD, closeOnDealloc: false)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["-w", "-c", CLIRunner.executable.path] + arguments
        process.currentDirectoryURL = CLIRunner.packageRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["NARVARO_TIMING_LOG"] = nil
        env["TERM"] = "xterm-256color"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        // The child inherits the signal mask of the thread that spawns it, and the test runner's
        // threads block signals: with SIGINT blocked, a typed Ctrl-C would never arrive. A shell
        // starts programs with nothing blocked, so spawn from an empty mask.
        var none = sigset_t(), saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        do {
            try process.run()
        } catch {
            close(slaveFD)
            close(masterFD)
            throw error
        }
        // Only the child holds the slave now, so the master reads end of file once it is gone.
        close(slaveFD)
    }

    deinit { shutdown() }

    /// Kills whatever still runs and closes the terminal.
    func shutdown() {
        if process.isRunning {
            let group = tcgetpgrp(master)
            if group > 1, group != getpgrp() { kill(-group, SIGKILL) }
            kill(process.processIdentifier, SIGKILL)
            let deadline = ContinuousClock.now + .seconds(2)
            while process.isRunning, ContinuousClock.now < deadline { _ = pump(milliseconds: 20) }
        }
        if master >= 0 { close(master) }
    }

    // MARK: - Reading

    /// Waits up to `milliseconds` for output and reads what there is. False at the end (the child
    /// and its terminal are gone).
    @discardableResult
    func pump(milliseconds: Int32) -> Bool {
        guard !reachedEnd else { return false }
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&fds, 1, milliseconds)
        guard ready > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if count <= 0 {
            if count < 0, errno == EINTR || errno == EAGAIN { return true }
            reachedEnd = true  // EIO: every slave descriptor is closed
            return false
        }
        for byte in buffer[0..<count] { take(byte) }
        return true
    }

    private func take(_ byte: UInt8) {
        if byte == 0x0D { return }
        raw.append(byte)
        switch escape {
        case .text:
            if byte == 0x1B { escape = .escape } else { plain.append(byte) }
        case .escape:
            escape = byte == UInt8(ascii: "[") ? .csi : .text
        case .csi:
            if (0x40...0x7E).contains(byte) { escape = .text }
        }
    }

    /// Everything on the screen so far, escape codes included.
    var transcript: String { String(decoding: raw, as: UTF8.self) }
    /// Everything on the screen so far, without escape codes.
    var screen: String { String(decoding: plain, as: UTF8.self) }
    /// What has appeared since the last `expect` (or `skip`).
    var pending: String { String(decoding: plain[mark...], as: UTF8.self) }

    /// Waits until `text` appears after the consumed output and returns everything up to and
    /// including it (escape codes removed); consumes it.
    @discardableResult
    func expect(_ text: String, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let rest = pending
            if let range = rest.range(of: text) {
                let segment = String(rest[..<range.upperBound])
                mark += segment.utf8.count
                return segment
            }
            if reachedEnd || ContinuousClock.now >= deadline {
                let why = reachedEnd ? "the program ended" : "timed out"
                let message = "waited for \"\(text)\" but \(why); the screen since the last match:\n\(String(rest.suffix(2500)))"
                Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
                throw Failure(description: message)
            }
            pump(milliseconds: 50)
        }
    }

    /// Waits until one of `texts` appears; returns the first to appear and the screen up to it, and
    /// consumes that much.
    func expectAny(_ texts: [String], timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) throws -> (found: String, segment: String) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let rest = pending
            let hits = texts.compactMap { text in rest.range(of: text).map { (text, $0) } }
            if let (text, range) = hits.min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
                let segment = String(rest[..<range.upperBound])
                mark += segment.utf8.count
                return (text, segment)
            }
            if reachedEnd || ContinuousClock.now >= deadline {
                let message = "waited for one of \(texts); the screen since the last match:\n\(String(rest.suffix(2500)))"
                Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
                throw Failure(description: message)
            }
            pump(milliseconds: 50)
        }
    }

    /// Reads for `milliseconds` more and returns what appeared since the last `expect`, unconsumed.
    func settle(milliseconds: Int32 = 150) -> String {
        let deadline = ContinuousClock.now + .milliseconds(Int(milliseconds))
        while ContinuousClock.now < deadline, pump(milliseconds: 20) {}
        return pending
    }

    // MARK: - Typing

    /// Types a line and presses Enter.
    func type(_ line: String) {
        send(Array((line + "\r").utf8))
    }

    /// Waits for `prompt`, then types `line`; returns the screen up to the prompt.
    @discardableResult
    func answer(_ prompt: String, _ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let segment = try expect(prompt, sourceLocation: sourceLocation)
        type(line)
        return segment
    }

    /// Ctrl-C at the keyboard.
    func interrupt() { send([0x03]) }

    /// Ctrl-D at the start of a line: end of input.
    func endOfInput() { send([0x04]) }

    private func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += written
        }
    }

    // MARK: - The process

    /// SIGKILL to `narvaro` itself (the terminal's foreground process group), as when the computer
    /// or the terminal dies without warning.
    func killNarvaro() throws {
        let group = tcgetpgrp(master)
        guard group > 1, group != getpgrp() else {
            throw Failure(description: "no foreground process on the terminal (tcgetpgrp: \(group))")
        }
        kill(-group, SIGKILL)
    }

    /// Waits until the program has ended, reading its last output, and returns its exit code.
    func waitForExit(timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                let message = "the program did not end; the screen since the last match:\n\(String(pending.suffix(2500)))"
                Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
                throw Failure(description: message)
            }
            if !pump(milliseconds: 20) { usleep(5_000) }
        }
        let quiet = ContinuousClock.now + .milliseconds(500)
        while ContinuousClock.now < quiet, pump(milliseconds: 20) {}
        return process.terminationStatus
    }
}

/// Checks on what a terminal user sees.
enum Screen {
    /// Escape sequences (colour, bold) removed.
    static func plain(_ text: String) -> String {
        var out = ""
        var state = 0
        for scalar in text.unicodeScalars {
            switch state {
            case 0: if scalar == "\u{1B}" { state = 1 } else { out.unicodeScalars.append(scalar) }
            case 1: state = scalar == "[" ? 2 : 0
            default: if (0x40...0x7E).contains(scalar.value) { state = 0 }
            }
        }
        return out
    }

    /// Lines wider than the terminal (after removing escape codes).
    static func longLines(_ text: String, width: Int = Int(PseudoTerminal.columns)) -> [String] {
        plain(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { $0.count > width }
    }

    static func hasEscapeCodes(_ text: String) -> Bool { text.contains("\u{1B}[") }
}
