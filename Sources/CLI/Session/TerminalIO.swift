import Foundation
import Programme
#if canImport(Glibc)
import Glibc
#endif

/// Line-based terminal input and output for guided sessions: colour and emphasis only on a real
/// terminal (and never with NO_COLOR), plain text when piped; lines wrapped to 80 columns.
final class TerminalIO {
    let styled: Bool
    let width = 80

    init() {
        let env = ProcessInfo.processInfo.environment
        styled = isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    enum Style: String {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case cyan = "36"
    }

    func style(_ text: String, _ style: Style) -> String {
        styled ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    func say(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Wrapped to the terminal width with an indent.
    func paragraph(_ text: String, indent: Int = 0) {
        say(Console.wrap(text, indent: indent, width: width))
    }

    /// Called just before each prompt is printed (the prompt timer).
    var onPrompt: (() -> Void)?

    /// Prints the prompt line and reads one line; nil at end of input (Ctrl-D, a closed terminal).
    func ask(_ prompt: String) -> String? {
        onPrompt?()
        FileHandle.standardOutput.write(Data((style(prompt, .bold) + " > ").utf8))
        guard let line = readLine(strippingNewline: true) else { return nil }
        return line.trimmingWhitespace
    }
}

/// Ctrl-C and a closed terminal during a session: everything answered is already stored, so say how
/// to go on and stop at once.
enum InterruptGuard {
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var length = 0

    static func install(code: String, language: Language) {
        let text = language == .sv
            ? "\nAvbrutet. Allt du svarat är sparat; fortsätt med: narvaro session \(code)\n"
            : "\nInterrupted. Everything you answered is saved; go on with: narvaro session \(code)\n"
        let bytes = Array(text.utf8CString)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        message = buffer
        length = bytes.count - 1
        signal(SIGINT) { _ in
            if let message = InterruptGuard.message { _ = write(STDERR_FILENO, message, InterruptGuard.length) }
            _exit(130)
        }
    }
}

/// Appends the time from an accepted answer to the next prompt (microseconds, one per line) to the
/// file named by NARVARO_TIMING_LOG, for measuring.
final class PromptTimer {
    private let handle: FileHandle?
    private var started: ContinuousClock.Instant?

    init() {
        if let path = ProcessInfo.processInfo.environment["NARVARO_TIMING_LOG"], !path.isEmpty {
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) }
            handle = FileHandle(forWritingAtPath: path)
            handle?.seekToEndOfFile()
        } else {
            handle = nil
        }
    }

    func answerAccepted() {
        if handle != nil { started = .now }
    }

    func promptShown() {
        guard let handle, let started else { return }
        let elapsed = ContinuousClock.now - started
        handle.write(Data("\(Int(microseconds(elapsed)))\n".utf8))
        self.started = nil
    }
}
