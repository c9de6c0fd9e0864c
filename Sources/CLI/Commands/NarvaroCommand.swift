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
            InitCommand.self, CaseGroup.self, ProgrammeCommand.self, FormCommand.self, VerifyCommand.self, BackupCommand.self,
            DebugGroup.self,
        ]
    )

    public init() {}
}

public enum NarvaroVersion {
    public static let current = "0.1.0"
}
