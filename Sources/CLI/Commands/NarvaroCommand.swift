import ArgumentParser

/// `narvaro`: the command-line tool for school attendance teams.
public struct NarvaroCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "narvaro",
        abstract: "Närvaro – för skolnärvaroteam: program, ärenden, guidade samtal och trohetsrapporter. (Närvaro – for school attendance teams: programmes, cases, guided sessions and fidelity reports.)",
        discussion: """
            Kör 'narvaro KOMMANDO --help' för hjälp om ett kommando.
            Run 'narvaro COMMAND --help' for help on a command.
            """,
        version: NarvaroVersion.current,
        subcommands: [
            DemoCommand.self, InitCommand.self, CaseGroup.self, SessionCommand.self, ReportGroup.self, ProgrammeCommand.self, FormCommand.self, VerifyCommand.self, BackupCommand.self,
            AttendanceGroup.self, ScreenCommand.self, TeamGroup.self,
            DebugGroup.self,
        ]
    )

    public init() {}
}

extension NarvaroCommand {
    /// Runs the command line. Mistakes in the command line itself (a missing option, a date that does
    /// not exist) get a Swedish line before the parser's English one, and exit with 64 (EX_USAGE).
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            exit(withError: nil)
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.error("fel: kommandot kunde inte läsas – se hjälpen med --help. (Felet på engelska:)")
            }
            exit(withError: error)
        }
    }
}

public enum NarvaroVersion {
    public static let current = "0.1.0"
}
