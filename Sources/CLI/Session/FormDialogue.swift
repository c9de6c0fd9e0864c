import Forms
import Workflow

/// One form of a guided session, asked field by field: the prompt, help on `?`, validation with the
/// forms engine's message and a re-prompt, skip logic, scores as they change, repeat groups, `back`
/// and `skip`. Each accepted answer is stored at once.
struct FormDialogue {
    let session: GuidedSession
    let form: Form
    let engine: FormEngine

    init(session: GuidedSession, form: Form) {
        self.session = session
        self.form = form
        engine = FormEngine(form: form, programme: session.programme, evaluator: session.evaluator)
    }

    var io: TerminalIO { session.io }
    var lang: Language { session.lang }
    var today: Int { session.today.number }
    func t(_ sv: String, _ en: String) -> String { session.t(sv, en) }

    var answers: FormAnswers { session.state.sessions[session.sessionID]?.answers[form.id] ?? [:] }

    func run() throws {
        io.say()
        io.say(io.style("── " + t("Formulär: ", "Form: ") + form.title.text(lang) + " ──", .cyan))
        if let description = form.description { io.paragraph(description.text(lang)) }
        // What was answered before the session was cut off counts as history, so that `tillbaka`
        // after resuming goes to the last answered question.
        let resumed = engine.evaluate(answers, today: today)
        var history: [String] = resumed.itemsToAsk.filter { answers[$0] != nil && !hasIncompleteLastRow($0, resumed) }
        var revisit: String?
        var lastScores = resumed.scores
        while true {
            let evaluation = engine.evaluate(answers, today: today)
            let target = revisit ?? evaluation.itemsToAsk.first { answers[$0] == nil || hasIncompleteLastRow($0, evaluation) }
            revisit = nil
            guard let id = target else { break }
            let outcome: Outcome
            if let group = form.groups.first(where: { $0.id == id }) {
                outcome = try askGroup(group)
            } else if let field = form.fields.first(where: { $0.id == id }) {
                outcome = try askField(field, evaluation: evaluation)
            } else {
                break
            }
            switch outcome {
            case .answered:
                history.append(id)
                let scores = engine.evaluate(answers, today: today).scores
                showChangedScores(from: lastScores, to: scores)
                lastScores = scores
            case .back:
                if let previous = history.popLast() {
                    revisit = previous
                } else {
                    io.say(t("Det här är formulärets första fråga.", "This is the form's first question."))
                    revisit = id
                }
            }
        }
    }

    enum Outcome {
        case answered
        case back
    }

    func askField(_ field: Field, evaluation: FormEvaluation) throws -> Outcome {
        let required = field.isRequired || (evaluation.errors[FieldPath(field: field.id)] == .required)
        let choices = FieldInput.choices(for: field, in: session.programme)
        io.say()
        var label = field.label.text(lang)
        label += required ? "" : io.style(t(" (valfri)", " (optional)"), .dim)
        io.paragraph(io.style(label, .bold))
        if !choices.isEmpty {
            for (i, choice) in choices.enumerated() { io.paragraph("\(i + 1) \(choice.label.text(lang))", indent: 2) }
            if field.type == .multichoice {
                io.say(io.style(t("  Flera svar: nummer åtskilda med komma.", "  Several answers: numbers separated by commas."), .dim))
            }
        }
        sayScale(field, indent: 2)
        let current = answers[field.id].flatMap { $0.isEmpty ? nil : display($0, field) }
        while true {
            let hint = current.map { " [\($0)]" } ?? ""
            guard let input = session.io.ask(typeHint(field) + hint) else { throw GuidedSession.Leave(endOfInput: true) }
            switch input.lowercased() {
            case "?", "hjälp", "help":
                help(field)
                continue
            case "tillbaka", "back", "<":
                return .back
            case "paus", "pause":
                try session.pause()
            case "hoppa", "skip", "-":
                if required {
                    io.say(io.style(t("Den här frågan måste besvaras.", "This question must be answered."), .red))
                    continue
                }
                try store(field.id, .text(""))
                return .answered
            case "":
                if current != nil { return .answered }
                if required {
                    io.say(io.style(FieldError.required.message(lang), .red))
                    continue
                }
                try store(field.id, .text(""))
                return .answered
            default:
                break
            }
            let value: AnswerValue
            switch FieldInput.parse(input, for: field, in: session.programme, today: today) {
            case .success(let v): value = v
            case .failure(let error):
                io.paragraph(io.style(error.message(lang), .red))
                continue
            }
            var tentative = answers
            tentative[field.id] = value
            if let error = engine.evaluate(tentative, today: today).errors[FieldPath(field: field.id)] {
                io.paragraph(io.style(error.message(lang), .red))
                continue
            }
            try store(field.id, value)
            return .answered
        }
    }

    /// A group whose last row was being filled in when the session was cut off.
    func hasIncompleteLastRow(_ id: String, _ evaluation: FormEvaluation) -> Bool {
        guard case .rows(let rows)? = answers[id], !rows.isEmpty else { return false }
        return evaluation.errors.keys.contains { $0.group == id && $0.row == rows.count - 1 }
    }

    func askGroup(_ group: Group) throws -> Outcome {
        var rows: [[String: AnswerValue]] = []
        if case .rows(let existing)? = answers[group.id] { rows = existing }
        io.say()
        io.paragraph(io.style(group.label.text(lang), .bold) + t(" – en lista; lägg till en rad i taget.", " – a list; add one row at a time."))
        if let hint = group.hint { io.paragraph(hint.text(lang), indent: 2) }
        let evaluation = engine.evaluate(answers, today: today)
        if hasIncompleteLastRow(group.id, evaluation), let partial = rows.popLast() {
            io.say(t("Fortsätter på rad \(rows.count + 1).", "Continuing row \(rows.count + 1)."))
            rows.append(try askRow(group, number: rows.count + 1, rows: rows, start: partial))
            try store(group.id, .rows(rows))
        }
        while true {
            let count = t("\(rows.count) \(rows.count == 1 ? "rad" : "rader") hittills", "\(rows.count) row\(rows.count == 1 ? "" : "s") so far")
            guard let input = io.ask(t("Lägg till en rad? (\(count)) [j/n]", "Add a row? (\(count)) [y/n]")) else { throw GuidedSession.Leave(endOfInput: true) }
            switch input.lowercased() {
            case "tillbaka", "back", "<": return .back
            case "paus", "pause": try session.pause()
            case "?", "hjälp", "help":
                io.say(t("Svara j för att lägga till en rad, n när listan är klar.", "Answer y to add a row, n when the list is done."))
                continue
            default: break
            }
            guard let add = FieldInput.parseBoolean(input) else {
                io.say(io.style(FieldError.notBoolean.message(lang), .red))
                continue
            }
            if !add {
                if let min = group.minRows, rows.count < min {
                    io.say(io.style(FieldError.tooFewRows(min).message(lang), .red))
                    continue
                }
                try store(group.id, .rows(rows))
                return .answered
            }
            if let max = group.maxRows, rows.count >= max {
                io.say(io.style(FieldError.tooManyRows(max).message(lang), .red))
                continue
            }
            rows.append(try askRow(group, number: rows.count + 1, rows: rows))
            try store(group.id, .rows(rows))
        }
    }

    func askRow(_ group: Group, number: Int, rows: [[String: AnswerValue]], start: [String: AnswerValue] = [:]) throws -> [String: AnswerValue] {
        var row = start
        io.say(io.style(t("Rad \(number)", "Row \(number)"), .dim))
        var index = 0
        while index < group.fields.count {
            let field = group.fields[index]
            if let prior = start[field.id], row[field.id] == prior {
                index += 1  // answered before the session was cut off
                continue
            }
            var tentative = answers
            tentative[group.id] = .rows(rows + [row])
            let evaluation = engine.evaluate(tentative, today: today)
            let path = FieldPath(field: field.id, group: group.id, row: number - 1)
            if !engine.isRelevant(field: field.id, inGroup: group.id, row: row, answers: answers, today: today) {
                index += 1
                continue
            }
            let required = field.isRequired || evaluation.errors[path] == .required
            let choices = FieldInput.choices(for: field, in: session.programme)
            if !choices.isEmpty {
                for (i, choice) in choices.enumerated() { io.paragraph("\(i + 1) \(choice.label.text(lang))", indent: 2) }
            }
            sayScale(field, indent: 4)
            let label = field.label.text(lang) + (required ? "" : t(" (valfri)", " (optional)"))
            guard let input = io.ask("  " + label) else { throw GuidedSession.Leave(endOfInput: true) }
            if ["tillbaka", "back", "<"].contains(input.lowercased()) {
                if index > 0 { index -= 1 }
                continue
            }
            if input == "?" { help(field); continue }
            if input.isEmpty || ["hoppa", "skip", "-"].contains(input.lowercased()) {
                if required { io.say(io.style(FieldError.required.message(lang), .red)); continue }
                index += 1
                continue
            }
            switch FieldInput.parse(input, for: field, in: session.programme, today: today) {
            case .failure(let error):
                io.paragraph(io.style(error.message(lang), .red))
                continue
            case .success(let value):
                var candidate = row
                candidate[field.id] = value
                var check = answers
                check[group.id] = .rows(rows + [candidate])
                if let error = engine.evaluate(check, today: today).errors[path] {
                    io.paragraph(io.style(error.message(lang), .red))
                    continue
                }
                row = candidate
                // Stored at once, so that nothing is lost if the session is cut off in the middle of a row.
                try store(group.id, .rows(rows + [row]))
                index += 1
            }
        }
        return row
    }

    /// A scale's range and its anchors (1–5, 1 = Mycket negativ, …), before it is asked.
    func sayScale(_ field: Field, indent: Int) {
        guard field.type == .scale, let min = field.min, let max = field.max else { return }
        let anchors = field.anchors.map { "\($0.value) = \($0.label.text(lang))" }.joined(separator: ", ")
        io.paragraph(String(repeating: " ", count: indent) + "\(min)–\(max)" + (anchors.isEmpty ? "" : " (\(anchors))"), indent: 0)
    }

    func store(_ field: String, _ value: AnswerValue) throws {
        session.timer.answerAccepted()
        try session.send(.recordAnswer(session: session.sessionID, form: form.id, field: field, value: value))
    }

    func showChangedScores(from old: [String: ScoreResult], to new: [String: ScoreResult]) {
        for score in form.scores {
            guard let result = new[score.id], result != old[score.id], result.value != nil || result.profile != nil else { continue }
            io.say(io.style("  \(score.label.text(lang)): \(session.scoreText(result))", .cyan))
        }
    }

    func help(_ field: Field) {
        if let hint = field.hint { io.paragraph(hint.text(lang), indent: 2) }
        io.paragraph(typeHelp(field), indent: 2)
        io.paragraph(t("Kommandon: tillbaka (förra frågan), hoppa (valfria frågor), paus (fortsätt senare).",
                       "Commands: back (previous question), skip (optional questions), pause (go on later)."), indent: 2)
    }

    func typeHint(_ field: Field) -> String {
        switch field.type {
        case .date: t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")
        case .boolean: t("ja/nej", "yes/no")
        case .minutes: t("minuter", "minutes")
        case .percent: "%"
        case .integer, .decimal, .scale: t("tal", "number")
        case .choice: t("nummer", "number")
        case .multichoice: t("nummer, …", "numbers, …")
        case .personnummer: t("personnummer", "personnummer")
        case .text, .longtext: t("svar", "answer")
        }
    }

    func typeHelp(_ field: Field) -> String {
        switch field.type {
        case .date: FieldError.notDate.message(lang)
        case .boolean: FieldError.notBoolean.message(lang)
        case .minutes: FieldError.notMinutes.message(lang)
        case .percent: FieldError.notPercent.message(lang)
        case .integer: FieldError.notInteger.message(lang)
        case .decimal: FieldError.notNumber.message(lang)
        case .scale: t("Ange ett heltal från \(field.min ?? "?") till \(field.max ?? "?").", "Give a whole number from \(field.min ?? "?") to \(field.max ?? "?").")
        case .choice, .multichoice: t("Ange numret framför svaret (eller svaret självt).", "Give the number in front of the answer (or the answer itself).")
        case .personnummer: FieldError.personnummer(.format).message(lang)
        case .text, .longtext: t("Skriv svaret med egna ord.", "Write the answer in your own words.")
        }
    }

    func display(_ value: AnswerValue, _ field: Field) -> String {
        switch value {
        case .text(let s):
            if field.type == .personnummer { return String(s.prefix(8)) + "-****" }
            if field.type == .choice { return FieldInput.choices(for: field, in: session.programme).first { $0.value == s }?.label.text(lang) ?? s }
            return s.count > 40 ? String(s.prefix(37)) + "…" : s
        default:
            return AnswersCheck.show(value, lang)
        }
    }
}
