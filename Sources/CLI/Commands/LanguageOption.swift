import ArgumentParser
import Programme

extension Language: ExpressibleByArgument {}

/// `--lang sv|en`, shared by every command.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: "Språk för utskrifter: sv eller en. (Language of the output: sv or en.)")
    var language: Language = .sv
}

/// `--format`, for commands that print either text or JSON.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
