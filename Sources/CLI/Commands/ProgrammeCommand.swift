import ArgumentParser
import Foundation
import Programme

/// `narvaro programme …`: check and read programme definition files.
struct ProgrammeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programme",
        abstract: "Kontrollera och läs programfiler (XML). (Check and read programme files.)",
        subcommands: [Validate.self, Show.self]
    )

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Kontrollera programfiler och visa alla fel med fil och rad. (Check programme files and show every problem with file and line.)",
            discussion: """
                Slutkod 0 när alla filer är giltiga, annars 1. Felen skrivs på stderr.
                Exit code 0 when every file is valid, 1 otherwise. Problems are printed on stderr.
                """
        )

        @Argument(help: "Programfiler att kontrollera. (Programme files to check.)")
        var files: [String]

        @OptionGroup var language: LanguageOption

        func run() throws {
            let lang = language.language
            var allValid = true
            for file in files {
                switch ProgrammeLoader.load(path: file) {
                case .success(let loaded):
                    for warning in loaded.warnings { Console.error(warning.rendered(lang)) }
                    let p = loaded.programme
                    Console.out(
                        lang == .sv
                            ? "\(file): giltigt – \(p.id) \(p.version): \(p.phases.count) faser, \(p.steps.count) steg, \(p.forms.count) formulär, \(p.criteria.count) trohetskriterier"
                            : "\(file): valid – \(p.id) \(p.version): \(p.phases.count) phases, \(p.steps.count) steps, \(p.forms.count) forms, \(p.criteria.count) fidelity criteria")
                case .failure(let error):
                    allValid = false
                    for diagnostic in error.diagnostics { Console.error(diagnostic.rendered(lang)) }
                    let count = error.errors.count
                    Console.error(
                        lang == .sv ? "\(file): \(count) fel – filen kan inte användas" : "\(file): \(count) error\(count == 1 ? "" : "s") – the file cannot be used")
                }
            }
            if !allValid { throw ExitCode(1) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Visa ett program som en översikt: faser, steg, tidsramar, formulär och trohetskriterier. (Show a programme as an outline.)"
        )

        @Argument(help: "Programfilen. (The programme file.)")
        var file: String

        @OptionGroup var language: LanguageOption

        @Option(help: "text eller json. (text or json.)")
        var format: OutputFormat = .text

        func run() throws {
            let lang = language.language
            let loaded: LoadedProgramme
            switch ProgrammeLoader.load(path: file) {
            case .success(let l): loaded = l
            case .failure(let error):
                for diagnostic in error.diagnostics { Console.error(diagnostic.rendered(lang)) }
                throw ExitCode(1)
            }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = try encoder.encode(loaded.programme)
                Console.out(String(decoding: data, as: UTF8.self))
            case .text:
                Console.out(ProgrammeOutline(programme: loaded.programme, language: lang).render())
            }
        }
    }
}
