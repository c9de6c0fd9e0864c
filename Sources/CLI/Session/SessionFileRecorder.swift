import ArgumentParser
import Forms
import Foundation
import Store
import Workflow

/// Records a whole session from a file (a session written down on paper, or a script): everything is
/// checked first, every problem is reported with its line, and nothing is stored unless all is right.
struct SessionFileRecorder {
    let store: CaseStore
    let options: StoreOptions
    let code: String
    let step: String
    let path: String

    /// The file's shape; see docs/sessions.md.
    struct File: Decodable {
        struct Facts: Decodable {
            var start: String?
            var minutes: Int?
            var place: String?
            var participants: [String]?
            var bothPractitioners: Bool?
        }

        var date: String?
        var session: Facts?
        var cancelledBy: String?
        var forms: [String: [String: AnswerValue]]?
        var checklist: [String: String]?
        var deviation: String?
    }

    struct Problem {
        var line: Int?
        var message: LocalizedMessage
    }

    func run() throws {
        let lang = options.language
        guard let data = FileManager.default.contents(atPath: path) else {
            Console.error(options.t("\(path): fel: filen kunde inte läsas", "\(path): error: cannot read the file"))
            throw ExitCode(1)
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            Console.error(options.t("\(path): fel: filen är ingen giltig sessionsfil (se docs/sessions.md)", "\(path): error: the file is not a valid session file (see docs/sessions.md)"))
            throw ExitCode(1)
        }
        let text = String(decoding: data, as: UTF8.self)
        func line(_ key: String, in section: String? = nil) -> Int? {
            section.map { AnswersDocument.lineOfKey(key, inSection: $0, of: text) } ?? AnswersDocument.lineOfKey(key, in: text)
        }
        let today = Day(Today.dayNumber())
        let programme: Programme
        do {
            programme = try store.caseState(code).programme
        } catch {
            throw options.fail(error)
        }
        guard let stepModel = programme.step(step) else {
            Console.error(options.t("fel: programmet har inget steg '\(step)'.", "error: the programme has no step '\(step)'."))
            throw ExitCode(1)
        }
        var problems: [Problem] = []
        var on = today
        if let date = file.date {
            if let day = Day(date) {
                on = day
                if day > today {
                    problems.append(Problem(line: line("date"), message: LocalizedMessage(
                        sv: "datumet \(day) ligger i framtiden", en: "the date \(day) is in the future")))
                }
            } else {
                problems.append(Problem(line: line("date"), message: FieldError.notDate.localized))
            }
        }
        var facts: SessionFacts?
        if let f = file.session {
            var built = SessionFacts(minutes: f.minutes, start: f.start, participants: f.participants ?? [], bothPractitioners: f.bothPractitioners)
            if let start = f.start {
                let parts = start.split(whereSeparator: { $0 == ":" || $0 == "." }).compactMap { Int($0) }
                if parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) {
                    built.start = String(format: "%02d:%02d", parts[0], parts[1])
                } else {
                    problems.append(Problem(line: line("start"), message: LocalizedMessage(
                        sv: "starttiden ska skrivas TT:MM, till exempel 14:30", en: "write the start time as HH:MM, for example 14:30")))
                }
            }
            if let place = f.place {
                if let p = SessionFacts.Place(rawValue: place) { built.place = p } else {
                    problems.append(Problem(line: line("place"), message: LocalizedMessage(
                        sv: "platsen '\(place)' finns inte; välj hem, skola, kontor, digitalt eller telefon",
                        en: "place '\(place)' does not exist; choose hem, skola, kontor, digitalt or telefon")))
                }
            }
            for role in built.participants where programme.role(role) == nil {
                problems.append(Problem(line: line("participants"), message: LocalizedMessage(
                    sv: "deltagaren '\(role)' är ingen roll i programmet", en: "participant '\(role)' is not a role in the programme")))
            }
            if let minutes = f.minutes, !(1...1440).contains(minutes) {
                problems.append(Problem(line: line("minutes"), message: FieldError.notMinutes.localized))
            }
            facts = built
        }
        var cancelledBy: SessionFacts.CancelledBy?
        if let by = file.cancelledBy {
            if let value = SessionFacts.CancelledBy(rawValue: by) { cancelledBy = value } else {
                problems.append(Problem(line: line("cancelledBy"), message: LocalizedMessage(
                    sv: "'\(by)' kan inte ställa in; välj familj, elev, skola eller team", en: "'\(by)' cannot cancel; choose familj, elev, skola or team")))
            }
        }
        var forms: [String: FormAnswers] = [:]
        if cancelledBy == nil {
            for formID in stepModel.forms where file.forms?[formID] == nil {
                problems.append(Problem(line: line("forms"), message: LocalizedMessage(
                    sv: "formuläret '\(formID)' saknas i filen", en: "form '\(formID)' is missing from the file")))
            }
        }
        for (formID, answers) in (file.forms ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard stepModel.forms.contains(formID), let form = programme.form(formID) else {
                problems.append(Problem(line: line(formID), message: LocalizedMessage(
                    sv: "steget använder inte formuläret '\(formID)'; dess formulär: \(stepModel.forms.joined(separator: ", "))",
                    en: "the step does not use form '\(formID)'; its forms: \(stepModel.forms.joined(separator: ", "))")))
                continue
            }
            var lines: [String: Int] = [:]
            for key in answers.keys { lines[key] = line(key, in: formID) }
            let check = AnswersCheck(form: form, programme: programme, answers: answers, lines: lines, today: today.number)
            for problem in check.problems {
                problems.append(Problem(line: problem.line, message: LocalizedMessage(
                    sv: "\(formID).\(problem.path): \(problem.message.sv)", en: "\(formID).\(problem.path): \(problem.message.en)")))
            }
            forms[formID] = check.answers
        }
        var checklist: [String: ChecklistMark] = [:]
        for (item, mark) in (file.checklist ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard stepModel.checklist.contains(where: { $0.id == item }) else {
                problems.append(Problem(line: line(item, in: "checklist"), message: LocalizedMessage(
                    sv: "steget har ingen checklistepunkt '\(item)'", en: "the step has no checklist item '\(item)'")))
                continue
            }
            let aliases: [String: ChecklistMark] = ["done": .delivered, "not-done": .notDelivered, "not-applicable": .notApplicable]
            guard let value = ChecklistMark(rawValue: mark) ?? aliases[mark] else {
                problems.append(Problem(line: line(item, in: "checklist"), message: LocalizedMessage(
                    sv: "'\(mark)' är ingen markering; skriv gjort, inte-gjort eller ej-aktuellt",
                    en: "'\(mark)' is not a mark; write gjort, inte-gjort or ej-aktuellt")))
                continue
            }
            checklist[item] = value
        }
        if !problems.isEmpty {
            for p in problems {
                Console.error("\(path)\(p.line.map { ":\($0)" } ?? ""): \(options.t("fel", "error")): \(p.message.text(lang))")
            }
            Console.error(options.t(
                "\(problems.count) fel – inget sparades. Rätta filen och försök igen.",
                "\(problems.count) error\(problems.count == 1 ? "" : "s") – nothing was saved. Correct the file and try again."))
            throw ExitCode(1)
        }
        let command: CaseCommand = cancelledBy.map { .recordCancellation(session: UUID().uuidString, step: step, on: on, by: $0) }
            ?? .completeStep(StepRecord(step: step, on: on, forms: forms, session: facts, checklist: checklist, deviation: file.deviation))
        do {
            let outcome = try store.execute(command, case: code, stamp: options.stamp(), attendance: store.attendance)
            Console.out(cancelledBy == nil
                ? options.t("Sparat: \(stepModel.title.sv) är gjort.", "Saved: \(stepModel.title.text(.en)) is done.")
                : options.t("Sparat: sessionen ställdes in.", "Saved: the session was cancelled."))
            Console.out(CaseView(state: outcome.state, programme: outcome.programme, language: lang, today: today, attendance: store.attendance).nextSteps(limit: 3))
        } catch {
            throw options.fail(error)
        }
    }
}
