import ArgumentParser
import Foundation
import Store
import Workflow

/// `--store`, `--actor` and `--lang`, on every command that uses the store.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Lagringsfilen. Standard: $NARVARO_STORE, annars $XDG_DATA_HOME/narvaro/narvaro.sqlite. (The store file.)",
        valueName: "path"))
    var store: String?

    @Option(help: "Vem som gör ändringen. Standard: inloggningsnamnet. (Who makes the change; default: the login name.)")
    var actor: String?

    @Option(name: .customLong("lang"), help: "Språk för utskrifter: sv eller en. (Language of the output: sv or en.)")
    var language: Language = .sv

    @Option(help: .hidden)
    var commandID: String?

    var storePath: String {
        if let store { return store }
        let env = ProcessInfo.processInfo.environment
        if let path = env["NARVARO_STORE"], !path.isEmpty { return path }
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("narvaro/narvaro.sqlite")
    }

    var actorName: String {
        if let actor, !actor.trimmingWhitespace.isEmpty { return actor }
        if let login = getlogin() { return String(cString: login) }
        let env = ProcessInfo.processInfo.environment
        if let user = env["USER"] ?? env["LOGNAME"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "okänd"
    }

    func openStore(create: Bool = false) throws -> CaseStore {
        do {
            return try CaseStore(path: storePath, create: create)
        } catch {
            Console.error((language == .sv ? "fel: " : "error: ") + error.rendered(language))
            throw ExitCode(1)
        }
    }

    /// The stamp for one command: a new command id (or the one given), the actor, now and today.
    func stamp() -> Stamp {
        Stamp(commandID: commandID ?? UUID().uuidString, actor: actorName, recordedAt: Clock.now(), today: Day(Today.dayNumber()))
    }

    /// Prints a store error the way a person reads it and exits 1.
    func fail(_ error: StoreError) -> ExitCode {
        let text = (language == .sv ? "fel: " : "error: ") + error.rendered(language)
        Console.error(text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let indent = line.prefix { $0 == " " }.count
            return Console.wrap(String(line), indent: indent)
        }.joined(separator: "\n"))
        return ExitCode(1)
    }

    func t(_ sv: String, _ en: String) -> String { language == .sv ? sv : en }
}

/// The time commands are stamped with: the system clock, or `NARVARO_NOW` when set (tests, demos).
enum Clock {
    static func now() -> String {
        if let fixed = ProcessInfo.processInfo.environment["NARVARO_NOW"], !fixed.isEmpty { return fixed }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}

/// A date option: `YYYY-MM-DD`, checked when parsed.
struct DayArgument: ExpressibleByArgument {
    var day: Day

    init?(argument: String) {
        guard let day = Day(argument) else { return nil }
        self.day = day
    }

    static var defaultValueDescription: String { "ÅÅÅÅ-MM-DD" }
}

extension CloseReason: ExpressibleByArgument {}
extension ReferralSource: ExpressibleByArgument {}
extension SessionFacts.Place: ExpressibleByArgument {}
