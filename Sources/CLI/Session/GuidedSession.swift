import ArgumentParser
import Forms
import Foundation
import Store
import Workflow

/// A guided session in the terminal: the step's purpose and agenda, the session facts, its forms
/// field by field, the checklist, a deviation if any, a summary; every answer stored as it is given.
final class GuidedSession {
    let store: CaseStore
    let options: StoreOptions
    let code: String
    let io = TerminalIO()
    let timer = PromptTimer()
    let evaluator = XPathEvaluator()
    let today: Day
    var state: CaseState
    let programme: Programme
    var sessionID = ""

    /// Leaving the session: on purpose (pause) or because input ended (Ctrl-D, a closed terminal).
    struct Leave: Error {
        var endOfInput = false
    }

    init(store: CaseStore, options: StoreOptions, code: String) throws {
        self.store = store
        self.options = options
        self.code = code
        today = Day(Today.dayNumber())
        do {
            (state, programme) = try store.caseState(code)
        } catch {
            throw options.fail(error)
        }
        let timer = self.timer
        io.onPrompt = { timer.promptShown() }
    }

    func t(_ sv: String, _ en: String) -> String { options.t(sv, en) }
    var lang: Language { options.language }

    /// Sends one command to the store; a refusal is shown and ends the session with exit 1.
    @discardableResult
    func send(_ command: CaseCommand) throws -> CommandOutcome {
        do {
            let outcome = try store.execute(command, case: code, stamp: options.stamp(), evaluator: evaluator, attendance: store.attendance)
            state = outcome.state
            return outcome
        } catch {
            throw options.fail(error)
        }
    }

    // MARK: - Choosing the step

    func run(step requested: String?) throws {
        InterruptGuard.install(code: code, language: lang)
        if let draft = state.sessions.values.sorted(by: { $0.started < $1.started }).first(where: { requested == nil || $0.step == requested }) {
            let who = draft.pausedBy.map { t(", pausad av \($0)", ", paused by \($0)") } ?? ""
            io.paragraph(t(
                "Det finns en påbörjad session: \(stepTitle(draft.step)) (från \(draft.started), \(draft.answerCount) svar\(who)).",
                "There is a session in progress: \(stepTitle(draft.step)) (from \(draft.started), \(draft.answerCount) answers\(who))."))
            if try yesNo(t("Fortsätt där den slutade?", "Continue where it stopped?"), default: true) {
                sessionID = draft.id
                try conduct(step: draft.step)
                return
            }
            if requested != nil { throw Leave() }
        }
        let stepID: String
        if let requested {
            stepID = requested
        } else {
            guard let chosen = try chooseStep() else { return }
            stepID = chosen
        }
        let context = CaseMachine.Context(
            today: today, programmeHash: state.opened.programmeHash, evaluator: evaluator, attendance: store.attendance)
        if let refusal = CaseMachine.sessionRefusal(step: stepID, state: state, programme: programme, context: context) {
            throw options.fail(.refused(refusal))
        }
        let on = try askDate()
        guard let step = programme.step(stepID) else {
            try send(.startSession(session: "", step: stepID, on: on))  // the engine says what is wrong
            return
        }
        sessionID = UUID().uuidString
        if step.isSession, try !yesNo(t("Blev sessionen av?", "Did the session take place?"), default: true) {
            let by = try choose(
                t("Vem ställde in?", "Who cancelled?"),
                SessionFacts.CancelledBy.allCases.map { ($0, $0.name(lang)) })
            try send(.recordCancellation(session: sessionID, step: stepID, on: on, by: by))
            io.say(io.style(t("Sparat: sessionen ställdes in (\(by.name(lang))).", "Saved: the session was cancelled (\(by.name(lang)))."), .green))
            io.say(CaseView(state: state, programme: programme, language: lang, today: today, attendance: store.attendance).nextSteps(limit: 3))
            return
        }
        try send(.startSession(session: sessionID, step: stepID, on: on))
        try conduct(step: stepID)
    }

    func chooseStep() throws -> String? {
        let agenda = CaseMachine.agenda(state, programme: programme, today: today, evaluator: evaluator, attendance: store.attendance)
        let items = agenda.actionable
        guard !items.isEmpty else {
            io.say(CaseView(state: state, programme: programme, language: lang, today: today, attendance: store.attendance).nextSteps(limit: 5))
            io.say(t("Inget steg kan göras i en session just nu.", "No step can be done in a session right now."))
            return nil
        }
        io.say(io.style(t("Vad står på tur i \(code):", "What is due in \(code):"), .bold))
        let view = CaseView(state: state, programme: programme, language: lang, today: today, attendance: store.attendance)
        for (i, item) in items.enumerated() {
            let line = Console.wrap("\(i + 1). " + view.line(item).trimmingWhitespace, indent: 0)
            io.say(item.isOverdue ? io.style(line, .yellow) : line)
        }
        while true {
            guard let answer = io.ask(t("Välj steg (nummer)", "Choose a step (number)")) else { throw Leave() }
            if let n = Int(answer), (1...items.count).contains(n) { return items[n - 1].step }
            if let item = items.first(where: { $0.step == answer }) { return item.step }
            io.say(io.style(t("Ange ett nummer från 1 till \(items.count).", "Give a number from 1 to \(items.count)."), .red))
        }
    }

    func askDate() throws -> Day {
        while true {
            guard let answer = io.ask(t("Datum för sessionen [\(today)]", "Date of the session [\(today)]")) else { throw Leave(endOfInput: true) }
            if answer.isEmpty { return today }
            let earliest = state.phaseEntered ?? state.opened.on
            if let day = Day(answer), day <= today, day >= earliest { return day }
            let message: String
            if Day(answer) == nil {
                message = FieldError.notDate.message(lang)
            } else if let day = Day(answer), day > today {
                message = t("Datumet kan inte ligga i framtiden.", "The date cannot be in the future.")
            } else {
                message = t("Datumet ligger före fasens start (\(earliest)).", "The date is before the phase began (\(earliest)).")
            }
            io.paragraph(io.style(message, .red))
        }
    }

    // MARK: - The session

    func conduct(step stepID: String) throws {
        guard let step = programme.step(stepID), let draft = state.sessions[sessionID] else { return }
        header(step, draft: draft)
        if step.isSession, state.sessions[sessionID]?.facts == nil {
            try askFacts(step)
        }
        try fillPlaceFields(step)
        for formID in step.forms {
            guard let form = programme.form(formID) else { continue }
            try FormDialogue(session: self, form: form).run()
        }
        try askChecklist(step)
        var deviation: String?
        if try yesNo(t("Avvek sessionen från manualen?", "Did the session depart from the manual?"), default: false) {
            while deviation == nil {
                guard let text = io.ask(t("Beskriv avvikelsen och skälet", "Describe the deviation and the reason")) else { throw Leave(endOfInput: true) }
                if text.count >= 3 { deviation = text } else { io.say(io.style(t("Skriv några ord.", "Write a few words."), .red)) }
            }
        }
        try summary(step, deviation: deviation)
    }

    /// A form field that asks where the session was, with exactly the session's places as its
    /// choices, is answered from the place already given, so that nobody is asked twice (the
    /// answer can still be changed with `tillbaka`).
    func fillPlaceFields(_ step: Step) throws {
        guard let place = state.sessions[sessionID]?.facts?.place else { return }
        for formID in step.forms {
            guard let form = programme.form(formID) else { continue }
            let answered = state.sessions[sessionID]?.answers[formID] ?? [:]
            for field in SessionFacts.Place.fields(of: form, in: programme) where answered[field.id] == nil {
                try send(.recordAnswer(session: sessionID, form: formID, field: field.id, value: .text(place.rawValue)))
            }
        }
    }

    func header(_ step: Step, draft: CaseState.SessionDraft) {
        let agenda = CaseMachine.agenda(state, programme: programme, today: today, evaluator: evaluator, attendance: store.attendance)
        let item = agenda.items.first { $0.step == step.id }
        io.say()
        io.say(io.style(Console.wrap("\(code) · \(programme.title.text(lang)) \(state.opened.programmeVersion)", indent: 0), .bold))
        let phase = state.currentPhase.flatMap { programme.phase($0)?.title.text(lang) } ?? "–"
        io.paragraph(t("Fas: ", "Phase: ") + phase + " · " + t("Steg: ", "Step: ") + "\(step.title.text(lang)) [\(step.id)]")
        var line = ""
        if let minimum = item?.minimumOccurrences {
            line = t("Tillfälle \(draft.occurrence) av minst \(minimum)", "Occurrence \(draft.occurrence) of at least \(minimum)")
        } else if step.recurrence != nil {
            line = t("Tillfälle \(draft.occurrence)", "Occurrence \(draft.occurrence)")
        }
        if let due = item?.due {
            let late = item?.isOverdue == true ? io.style(t(" – försenat \(today - due) dagar", " – \(today - due) days late"), .yellow) : ""
            line += (line.isEmpty ? "" : " · ") + t("senast \(due)", "due \(due)") + late
        }
        if !line.isEmpty { io.say(line) }
        if let purpose = step.purpose {
            io.say()
            io.paragraph(io.style(t("Syfte: ", "Purpose: "), .bold) + purpose.text(lang))
        }
        if !step.agenda.isEmpty {
            io.say(io.style(t("Dagordning enligt manualen:", "The manual's agenda:"), .bold))
            for point in step.agenda { io.paragraph("- " + point.text.text(lang), indent: 2) }
        }
        io.say(io.style(t("Skriv ? för hjälp, tillbaka för förra frågan, paus för att fortsätta senare.",
                          "Type ? for help, back for the previous question, pause to go on later."), .dim))
    }

    func askFacts(_ step: Step) throws {
        io.say()
        io.say(io.style(t("Om sessionen", "About the session"), .bold))
        var facts = SessionFacts()
        while facts.start == nil {
            guard let answer = io.ask(t("Starttid (TT:MM), eller tomt", "Start time (HH:MM), or empty")) else { throw Leave(endOfInput: true) }
            if answer.isEmpty { break }
            let parts = answer.split(whereSeparator: { $0 == ":" || $0 == "." }).compactMap { Int($0) }
            if parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) {
                facts.start = String(format: "%02d:%02d", parts[0], parts[1])
            } else {
                io.say(io.style(t("Ange tiden som TT:MM, till exempel 14:30.", "Give the time as HH:MM, for example 14:30."), .red))
            }
        }
        while facts.minutes == nil {
            guard let answer = io.ask(t("Längd i minuter", "Length in minutes")) else { throw Leave(endOfInput: true) }
            if let minutes = FieldInput.parseMinutes(answer), (1...1440).contains(minutes) {
                facts.minutes = minutes
            } else {
                io.paragraph(io.style(FieldError.notMinutes.message(lang), .red))
            }
        }
        facts.place = try choose(t("Plats", "Place"), SessionFacts.Place.allCases.map { ($0, placeName($0)) })
        let roles = step.participants + step.performedBy
        if !roles.isEmpty {
            facts.participants = try chooseMany(
                t("Vilka deltog? (nummer, åtskilda med komma)", "Who took part? (numbers, separated by commas)"),
                roles.map { ($0, programme.role($0)?.title.text(lang) ?? $0) })
        }
        if let role = step.performedBy.first(where: { (state.staff[$0]?.count ?? 0) >= 2 }) {
            let name = programme.role(role)?.title.text(lang).lowercased() ?? role
            // Swedish nouns in -are take -arna in the definite plural (behandlare → behandlarna).
            let plural = name.hasSuffix("are") ? String(name.dropLast(3)) + "arna" : name
            facts.bothPractitioners = try yesNo(t("Var båda \(plural) med?", "Were both \(name)s there?"), default: true)
        }
        timer.answerAccepted()
        try send(.recordSessionFacts(session: sessionID, facts: facts))
    }

    func askChecklist(_ step: Step) throws {
        let items = step.checklist.filter { $0.id != nil }
        guard !items.isEmpty else { return }
        io.say()
        io.say(io.style(t("Checklista: manualens moment", "Checklist: the manual's components"), .bold))
        io.say(t("Svara j (gjort), n (inte gjort) eller e (ej aktuellt).", "Answer y (done), n (not done) or x (not applicable)."))
        let marked = state.sessions[sessionID]?.checklist ?? [:]
        let pending = items.filter { marked[$0.id!] == nil }
        var index = 0
        while index < pending.count {
            let item = pending[index]
            let previous = state.sessions[sessionID]?.checklist[item.id!]
            let shown = previous.map { "[\(checklistLetter($0))] " } ?? "[ ] "
            guard let answer = io.ask(shown + item.text.text(lang)) else { throw Leave(endOfInput: true) }
            let mark: ChecklistMark
            switch answer.lowercased() {
            case "j", "ja", "y", "yes", "gjort", "done": mark = .delivered
            case "n", "nej", "no": mark = .notDelivered
            case "e", "x", "ej", "na", "ej aktuellt": mark = .notApplicable
            case "" where previous != nil: mark = previous!
            case "paus", "pause":
                try pause()
                continue
            case "tillbaka", "back", "<":
                if index == 0 {
                    io.say(t("Det här är checklistans första moment.", "This is the checklist's first item."))
                } else {
                    index -= 1
                }
                continue
            case "?", "hjälp", "help":
                io.paragraph(t(
                    "j = gjort, n = inte gjort, e = ej aktuellt. tillbaka = föregående moment, paus = fortsätt en annan gång.",
                    "y = done, n = not done, x = not applicable. back = the previous item, pause = go on another time."), indent: 2)
                continue
            default:
                io.say(io.style(t("Svara j, n eller e (? för hjälp).", "Answer y, n or x (? for help)."), .red))
                continue
            }
            timer.answerAccepted()
            if mark != previous { try send(.markChecklist(session: sessionID, item: item.id!, mark: mark)) }
            index += 1
        }
    }

    /// The letter a checklist mark is answered with.
    func checklistLetter(_ mark: ChecklistMark) -> String {
        switch mark {
        case .delivered: t("j", "y")
        case .notDelivered: "n"
        case .notApplicable: t("e", "x")
        }
    }

    func summary(_ step: Step, deviation: String?) throws {
        guard let draft = state.sessions[sessionID] else { return }
        io.say()
        io.say(io.style(t("Sammanfattning", "Summary"), .bold))
        if let facts = draft.facts {
            var parts: [String] = []
            if let start = facts.start { parts.append(start) }
            if let minutes = facts.minutes { parts.append("\(minutes) min") }
            if let place = facts.place { parts.append(placeName(place)) }
            if !facts.participants.isEmpty {
                parts.append(facts.participants.map { programme.role($0)?.title.text(lang) ?? $0 }.joined(separator: ", "))
            }
            io.paragraph(t("Session: ", "Session: ") + "\(draft.started) · " + parts.joined(separator: " · "), indent: 2)
        }
        for formID in step.forms {
            guard let form = programme.form(formID) else { continue }
            let answers = (draft.answers[formID] ?? [:]).filter { !$0.value.isEmpty }
            let evaluation = FormEngine(form: form, programme: programme, evaluator: evaluator).evaluate(answers, today: today.number)
            let state = evaluation.isComplete ? t("komplett", "complete") : t("\(evaluation.errors.count) fel", "\(evaluation.errors.count) problems")
            io.paragraph("\(form.title.text(lang)): \(answers.count) " + t("svar", "answers") + " – " + state, indent: 2)
            for score in form.scores {
                guard let result = evaluation.scores[score.id], result.value != nil || result.profile != nil else { continue }
                io.paragraph("\(score.label.text(lang)): \(scoreText(result))", indent: 4)
            }
        }
        let marks = draft.checklist.values
        if !step.checklist.isEmpty {
            io.paragraph(t("Checklista: ", "Checklist: ") + t(
                "\(marks.filter { $0 == .delivered }.count) gjort, \(marks.filter { $0 == .notDelivered }.count) inte gjort, \(marks.filter { $0 == .notApplicable }.count) ej aktuellt",
                "\(marks.filter { $0 == .delivered }.count) done, \(marks.filter { $0 == .notDelivered }.count) not done, \(marks.filter { $0 == .notApplicable }.count) not applicable"), indent: 2)
        }
        if let deviation { io.paragraph(t("Avvikelse: ", "Deviation: ") + deviation, indent: 2) }
        guard try yesNo(t("Spara och markera steget som gjort?", "Save and mark the step as done?"), default: true) else {
            try pause()
            return
        }
        do {
            let outcome = try store.execute(
                .completeSession(session: sessionID, on: draft.started, deviation: deviation), case: code, stamp: options.stamp(),
                evaluator: evaluator, attendance: store.attendance)
            state = outcome.state
        } catch let StoreError.refused(error) {
            io.say(io.style(t("Steget kan inte sparas som gjort än:", "The step cannot be saved as done yet:"), .red))
            io.say(error.rendered(lang))
            io.say(t("Sessionen ligger kvar som påbörjad; fortsätt med: narvaro session \(code)",
                     "The session stays in progress; go on with: narvaro session \(code)"))
            throw ExitCode(1)
        } catch {
            throw options.fail(error)
        }
        io.say(io.style(t("Sparat: \(step.title.text(lang)) är gjort.", "Saved: \(step.title.text(lang)) is done."), .green))
        io.say(CaseView(state: state, programme: programme, language: lang, today: today, attendance: store.attendance).nextSteps(limit: 3))
    }

    func pause() throws {
        try send(.pauseSession(session: sessionID, on: today))
        io.say(io.style(t("Sessionen är pausad och sparad. Fortsätt med: narvaro session \(code)",
                          "The session is paused and saved. Go on with: narvaro session \(code)"), .green))
        throw Leave()
    }

    // MARK: - Small dialogues

    func yesNo(_ question: String, default value: Bool) throws -> Bool {
        let options = value ? t("[J/n]", "[Y/n]") : t("[j/N]", "[y/N]")
        while true {
            guard let answer = io.ask("\(question) \(options)") else { throw Leave(endOfInput: true) }
            if answer.isEmpty { return value }
            if let b = FieldInput.parseBoolean(answer) { return b }
            if ["paus", "pause"].contains(answer.lowercased()), !sessionID.isEmpty, state.sessions[sessionID] != nil { try pause() }
            io.paragraph(io.style(FieldError.notBoolean.message(lang), .red))
        }
    }

    func choose<T>(_ question: String, _ choices: [(T, String)]) throws -> T {
        for (i, choice) in choices.enumerated() { io.paragraph("\(i + 1) \(choice.1)", indent: 2) }
        while true {
            guard let answer = io.ask(question) else { throw Leave(endOfInput: true) }
            if let n = Int(answer), (1...choices.count).contains(n) { return choices[n - 1].0 }
            if let match = choices.first(where: { $0.1.lowercased() == answer.lowercased() }) { return match.0 }
            io.say(io.style(t("Ange ett nummer från 1 till \(choices.count).", "Give a number from 1 to \(choices.count)."), .red))
        }
    }

    func chooseMany<T>(_ question: String, _ choices: [(T, String)]) throws -> [T] {
        for (i, choice) in choices.enumerated() { io.paragraph("\(i + 1) \(choice.1)", indent: 2) }
        while true {
            guard let answer = io.ask(question) else { throw Leave(endOfInput: true) }
            let numbers = answer.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) }
            if !numbers.isEmpty, numbers.allSatisfy({ (1...choices.count).contains($0) }) {
                var seen = Set<Int>()
                return numbers.filter { seen.insert($0).inserted }.map { choices[$0 - 1].0 }
            }
            io.say(io.style(t("Ange nummer från 1 till \(choices.count), åtskilda med komma.", "Give numbers from 1 to \(choices.count), separated by commas."), .red))
        }
    }

    func stepTitle(_ id: String) -> String { programme.step(id).map { "\($0.title.text(lang)) [\(id)]" } ?? id }

    func placeName(_ place: SessionFacts.Place) -> String {
        switch place {
        case .hem: t("hemma", "at home")
        case .skola: t("i skolan", "at school")
        case .kontor: t("på kontoret", "at the office")
        case .digitalt: t("digitalt", "online")
        case .telefon: t("per telefon", "by phone")
        }
    }

    func scoreText(_ result: ScoreResult) -> String {
        if let value = result.value {
            var s = AnswersCheck.number(value, lang)
            if let band = result.band { s += " – " + band.label.text(lang) }
            return s
        }
        return result.profile?.joined(separator: ", ") ?? "–"
    }
}
