import ArgumentParser
import Forms
import Foundation
import Store
import Workflow

extension CaseGroup {
    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Registrera att ett steg är gjort, med formulärens svar. (Record that a step is done, with its forms' answers.)",
            discussion: """
                Svaren ges som svarsfiler (docs/answers-format.md), en per formulär. Allt kontrolleras först; är något fel
                sparas ingenting. För ett guidat samtal, använd narvaro session.
                Answers are given as answers files (docs/answers-format.md), one per form. Everything is checked first;
                if anything is wrong, nothing is saved. For a guided session, use narvaro session.
                """)

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Stegets id. (The step's id.)") var step: String
        @Option(name: .customLong("answers"), help: "Svarsfil för ett av stegets formulär (kan upprepas). (An answers file; repeatable.)")
        var answers: [String] = []
        @Option(help: "Längd i minuter. (Length in minutes.)") var minutes: Int?
        @Option(help: "Plats: hem, skola, kontor, digitalt, telefon. (Place.)") var place: SessionFacts.Place?
        @Option(help: "Avvikelse från manualen, med skäl. (A deviation from the manual, with its reason.)") var deviation: String?
        @Option(help: "Datum då steget gjordes, standard i dag. (The date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            var forms: [String: FormAnswers] = [:]
            for file in answers {
                guard let data = FileManager.default.contents(atPath: file) else {
                    Console.error(options.t("\(file): fel: filen kunde inte läsas", "\(file): error: cannot read the file"))
                    throw ExitCode(1)
                }
                switch AnswersDocument.parse(data) {
                case .failure(let error):
                    Console.error("\(file): \(options.t("fel", "error")): \(error.message.text(options.language))")
                    throw ExitCode(1)
                case .success(let document):
                    guard let form = document.form else {
                        Console.error(options.t("\(file): fel: ange \"form\" i filen", "\(file): error: give \"form\" in the file"))
                        throw ExitCode(1)
                    }
                    forms[form] = document.answers
                }
            }
            let session = minutes != nil || place != nil ? SessionFacts(minutes: minutes, place: place) : nil
            try runCaseCommand(options, code: code, done: ("Sparat: steget \(step) är gjort.", "Saved: step \(step) is done.")) { stamp in
                .completeStep(StepRecord(step: step, on: date?.day ?? stamp.today, forms: forms, session: session, deviation: deviation))
            }
        }
    }

    struct Skip: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hoppa över ett steg, med skäl (en dokumenterad avvikelse). (Skip a step, with a reason: a documented deviation.)")

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Stegets id. (The step's id.)") var step: String
        @Option(help: "Varför steget hoppas över. (Why the step is skipped.)") var reason: String
        @Option(help: "Datum, standard i dag. (Date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try runCaseCommand(options, code: code, done: ("Sparat: steget \(step) hoppas över (avvikelse).", "Saved: step \(step) is skipped (a deviation).")) { stamp in
                .skipStep(step: step, reason: reason, on: date?.day ?? stamp.today)
            }
        }
    }

    struct Advance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Gå vidare till nästa fas när fasens krav och grindar är uppfyllda. (Move to the next phase when its requirements and gates hold.)",
            discussion: "Med --override går ärendet vidare ändå; det registreras som en avvikelse med skälet. (With --override the case moves on anyway; that is recorded as a deviation with the reason.)")

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Skäl att gå vidare trots att krav inte är uppfyllda. (Reason to move on although requirements are not met.)") var override: String?
        @Option(help: "Datum, standard i dag. (Date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try runCaseCommand(options, code: code, done: ("Sparat: ärendet har gått vidare till nästa fas.", "Saved: the case has moved to the next phase.")) { stamp in
                .advance(on: date?.day ?? stamp.today, override: override)
            }
        }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pausa ärendet (sjukdom, lov, placering); fasens klocka stannar. (Pause the case; the phase clock stops.)")

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Varför. (Why.)") var reason: String
        @Option(help: "Datum, standard i dag. (Date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try runCaseCommand(options, code: code, done: ("Sparat: ärendet är pausat.", "Saved: the case is paused.")) { stamp in
                .pause(reason: reason, on: date?.day ?? stamp.today)
            }
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Återuppta ett pausat ärende. (Resume a paused case.)")

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Datum, standard i dag. (Date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try runCaseCommand(options, code: code, done: ("Sparat: ärendet är återupptaget.", "Saved: the case is resumed.")) { stamp in
                .resume(on: date?.day ?? stamp.today)
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Avsluta ärendet med ett skäl. (Close the case with a reason.)",
            discussion: "Skäl: genomfort, tackat-nej, flyttat, samtycke-aterkallat, annan-insats, placering, avbrutet, annat. Som genomfört går ärendet över i uppföljning. (With genomfort the case goes on to follow-up.)")

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Skälet. (The reason.)") var reason: CloseReason
        @Option(help: "Datum, standard i dag. (Date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try runCaseCommand(options, code: code, done: ("Sparat: ärendet är avslutat.", "Saved: the case is closed.")) { stamp in
                .close(reason: reason, on: date?.day ?? stamp.today)
            }
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tilldela (eller ta bort, --remove) en person en roll i ärendet. (Assign a person a role in the case, or remove them.)")

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Rollens id, till exempel behandlare. (The role's id.)") var role: String
        @Option(help: "Personens namn. (The person's name.)") var person: String
        @Flag(help: "Ta bort i stället. (Remove instead.)") var remove = false
        @Option(help: "Datum, standard i dag. (Date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            let done = remove ? ("Sparat: \(person) är inte längre \(role).", "Saved: \(person) is no longer \(role).")
                : ("Sparat: \(person) är \(role) i ärendet.", "Saved: \(person) is \(role) in the case.")
            try runCaseCommand(options, code: code, done: done) { stamp in
                remove ? .unassign(role: role, person: person, on: date?.day ?? stamp.today)
                    : .assign(role: role, person: person, on: date?.day ?? stamp.today)
            }
        }
    }

    struct Consent: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Registrera (eller återkalla, --revoke) ett samtycke. (Record a consent, or revoke it.)",
            discussion: "Samtycket avgränsas av programmets samtyckesområde: vilken information, från vem, till vem och varför. (The consent is scoped by the programme's consent: what, from whom, to whom, why.)")

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Samtyckets id i programmet. (The consent's id in the programme.)") var consent: String
        @Option(name: .customLong("given-by"), help: "Vem som gav det: vardnadshavare-1, vardnadshavare-2, elev. (Who gave it.)") var givenBy: String?
        @Option(help: "Gäller från, standard i dag. (Valid from; default today.)") var from: DayArgument?
        @Option(help: "Gäller till och med. (Valid until.)") var until: DayArgument?
        @Flag(help: "Återkalla i stället. (Revoke instead.)") var revoke = false
        @Option(help: "Datum, standard i dag. (Date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func validate() throws {
            if !revoke, givenBy == nil { throw ValidationError("Ange --given-by. (Give --given-by.)") }
        }

        func run() throws {
            let done = revoke ? ("Sparat: samtycket \(consent) är återkallat.", "Saved: consent \(consent) is revoked.")
                : ("Sparat: samtycket \(consent) är registrerat.", "Saved: consent \(consent) is recorded.")
            try runCaseCommand(options, code: code, done: done) { stamp in
                let on = date?.day ?? stamp.today
                return revoke ? .revokeConsent(consent: consent, on: on)
                    : .recordConsent(consent: consent, givenBy: givenBy ?? "", validFrom: from?.day ?? on, validUntil: until?.day, on: on)
            }
        }
    }

    struct Concern: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Registrera att en orosanmälan har gjorts (bara faktum och datum). (Record that a report of concern was filed: the fact and the date only.)",
            discussion: "Anmälningsplikten är personlig och gäller genast; Närvaro blockerar den aldrig. (The duty to report is personal and immediate; Närvaro never blocks it.)")

        @Argument(help: "Ärendekoden. (The case code.)") var code: String
        @Option(help: "Datum, standard i dag. (Date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try runCaseCommand(options, code: code, done: ("Sparat: orosanmälan är registrerad.", "Saved: the report of concern is recorded.")) { stamp in
                .reportConcern(on: date?.day ?? stamp.today)
            }
        }
    }
}
