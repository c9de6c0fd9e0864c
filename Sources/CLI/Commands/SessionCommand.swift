import ArgumentParser
import Forms
import Foundation
import Store
import Workflow

/// `narvaro session CODE`: a guided session, step by step through the manual.
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Guidad session: steg för steg genom manualen, med varje svar sparat direkt. (A guided session, step by step through the manual; every answer saved at once.)",
        discussion: """
            Utan --step visas vad som står på tur (försenat först). Ett avbrott (Ctrl-C, stängt fönster) förlorar inget:
            kör samma kommando igen för att fortsätta där du var. Med --answers registreras en session som skrivits ned
            på papper; allt kontrolleras först och inget sparas om något är fel (se docs/sessions.md).
            Without --step, what is due is offered (overdue first). An interruption loses nothing: run the same
            command again to go on where you were. With --answers a session written down on paper is recorded;
            everything is checked first and nothing is saved if anything is wrong (see docs/sessions.md).
            """
    )

    @Argument(help: "Ärendekoden. (The case code.)") var code: String
    @Option(help: "Stegets id. (The step's id.)") var step: String?
    @Option(help: "Sessionsfil (JSON) för att registrera utan frågor. (A session file, JSON, to record without questions.)") var answers: String?
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if answers != nil, step == nil {
            throw ValidationError("--answers kräver --step. (--answers needs --step.)")
        }
    }

    func run() throws {
        let store = try options.openStore()
        if let answers, let step {
            try SessionFileRecorder(store: store, options: options, code: code, step: step, path: answers).run()
            return
        }
        let session = try GuidedSession(store: store, options: options, code: code)
        do {
            try session.run(step: step)
        } catch let leave as GuidedSession.Leave {
            guard leave.endOfInput, !session.sessionID.isEmpty else { return }
            // Input ended in the middle of a session: everything answered is saved.
            Console.error(options.t(
                "\nInmatningen tog slut. Allt du svarat är sparat; fortsätt med: narvaro session \(code)",
                "\nInput ended. Everything you answered is saved; go on with: narvaro session \(code)"))
            throw ExitCode(130)
        }
    }
}
