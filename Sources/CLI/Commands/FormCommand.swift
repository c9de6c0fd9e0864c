import ArgumentParser
import Forms
import Foundation

/// `narvaro form check`: checks an answers file against a form of a programme.
struct FormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form",
        abstract: "Kontrollera svar mot ett formulär. (Check answers against a form.)",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Visa vilka svar som saknas eller är fel, och de uträknade poängen. (Show which answers are missing or wrong, and the computed scores.)",
            discussion: """
                Svarsfilens form beskrivs i docs/answers-format.md. Slutkod 0 när svaren är giltiga och
                kompletta, annars 1.
                The answers file is described in docs/answers-format.md. Exit code 0 when the answers
                are valid and complete, 1 otherwise.
                """
        )

        @Argument(help: "Programfilen. (The programme file.)")
        var programme: String

        @Option(help: "Formulärets id, till exempel matning. (The form's id, for example matning.)")
        var form: String

        @Option(help: "Svarsfilen (JSON). (The answers file, JSON.)")
        var answers: String

        @OptionGroup var language: LanguageOption

        @Option(help: "text eller json. (text or json.)")
        var format: OutputFormat = .text

        func run() throws {
            let lang = language.language
            let loaded = try loadProgramme(programme, lang)
            guard let form = loaded.programme.form(self.form) else {
                let known = loaded.programme.forms.map(\.id).joined(separator: ", ")
                Console.error(lang == .sv
                    ? "fel: programmet har inget formulär '\(self.form)'. Formulär: \(known)"
                    : "error: the programme has no form '\(self.form)'. Forms: \(known)")
                throw ExitCode(1)
            }
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: answers))
            } catch {
                Console.error(lang == .sv ? "\(answers): fel: filen kunde inte läsas" : "\(answers): error: cannot read the file")
                throw ExitCode(1)
            }
            let document: AnswersDocument
            switch AnswersDocument.parse(data) {
            case .success(let d): document = d
            case .failure(let error):
                Console.error("\(answers)\(error.line.map { ":\($0)" } ?? ""): \(lang == .sv ? "fel" : "error"): \(error.message.text(lang))")
                throw ExitCode(1)
            }
            if let named = document.form, named != form.id {
                Console.error(lang == .sv
                    ? "\(answers): fel: filen gäller formuläret '\(named)', inte '\(form.id)'"
                    : "\(answers): error: the file is for form '\(named)', not '\(form.id)'")
                throw ExitCode(1)
            }
            let today = Today.dayNumber()
            let check = AnswersCheck(form: form, programme: loaded.programme, document: document, today: today)
            switch format {
            case .text: Console.out(check.text(file: answers, language: lang))
            case .json: Console.out(try check.json(language: lang))
            }
            if !check.isValidAndComplete { throw ExitCode(1) }
        }
    }
}

/// Loads a programme for a command, printing its diagnostics and failing when it does not load.
func loadProgramme(_ path: String, _ language: Language) throws -> LoadedProgramme {
    switch ProgrammeLoader.load(path: path) {
    case .success(let loaded): return loaded
    case .failure(let error):
        for diagnostic in error.diagnostics { Console.error(diagnostic.rendered(language)) }
        throw ExitCode(1)
    }
}
