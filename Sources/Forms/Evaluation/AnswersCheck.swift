/// Checks a whole set of answers at once (an answers file, a session written down on paper):
/// unknown fields, answers to calculated fields, answers in the wrong form, and everything the
/// engine finds. All problems are reported together.
public struct AnswersCheck: Sendable {
    public struct Problem: Hashable, Sendable {
        public var path: FieldPath
        /// The line in the answers file, when known.
        public var line: Int?
        public var message: LocalizedMessage
    }

    public var form: Form
    public var problems: [Problem]
    public var evaluation: FormEvaluation
    /// The answers in canonical form (only those that could be read).
    public var answers: FormAnswers

    public var isValidAndComplete: Bool { problems.isEmpty }

    public init(form: Form, programme: Programme, document: AnswersDocument, today: Int) {
        self.init(form: form, programme: programme, answers: document.answers, lines: document.lines, today: today)
    }

    public init(form: Form, programme: Programme, answers raw: FormAnswers, lines: [String: Int] = [:], today: Int) {
        self.form = form
        var problems: [Problem] = []
        var canonical: FormAnswers = [:]
        let calculated = Set(form.fields.filter { $0.calculate != nil }.map(\.id))
        let scores = Set(form.scores.map(\.id))
        for (key, value) in raw.sorted(by: { $0.key < $1.key }) {
            let line = lines[key]
            if calculated.contains(key) || scores.contains(key) {
                problems.append(Problem(path: FieldPath(field: key), line: line, message: LocalizedMessage(
                    sv: "'\(key)' räknas ut av Närvaro och ska inte besvaras; ta bort den ur filen",
                    en: "'\(key)' is calculated by Närvaro and is not answered; remove it from the file")))
                continue
            }
            if let group = form.groups.first(where: { $0.id == key }) {
                guard case .rows(let rows) = value else {
                    problems.append(Problem(path: FieldPath(field: key), line: line, message: LocalizedMessage(
                        sv: "'\(key)' är en grupp och besvaras med en lista av rader: [ { … }, { … } ]",
                        en: "'\(key)' is a group and is answered with a list of rows: [ { … }, { … } ]")))
                    continue
                }
                var canonicalRows: [[String: AnswerValue]] = []
                for (index, row) in rows.enumerated() {
                    var canonicalRow: [String: AnswerValue] = [:]
                    for (fieldID, fieldValue) in row.sorted(by: { $0.key < $1.key }) {
                        let path = FieldPath(field: fieldID, group: key, row: index)
                        guard let field = group.fields.first(where: { $0.id == fieldID }) else {
                            problems.append(Problem(path: path, line: line, message: Self.unknownField(fieldID, in: group.fields.map(\.id))))
                            continue
                        }
                        switch FieldInput.accept(fieldValue, for: field, in: programme, today: today) {
                        case .success(let v): canonicalRow[fieldID] = v
                        case .failure(let error): problems.append(Problem(path: path, line: line, message: error.localized))
                        }
                    }
                    canonicalRows.append(canonicalRow)
                }
                canonical[key] = .rows(canonicalRows)
                continue
            }
            guard let field = form.fields.first(where: { $0.id == key }) else {
                let known = form.items.map(\.id)
                problems.append(Problem(path: FieldPath(field: key), line: line, message: Self.unknownField(key, in: known)))
                continue
            }
            if value.isEmpty { canonical[key] = value; continue }
            switch FieldInput.accept(value, for: field, in: programme, today: today) {
            case .success(let v): canonical[key] = v
            case .failure(let error): problems.append(Problem(path: FieldPath(field: key), line: line, message: error.localized))
            }
        }
        let engine = FormEngine(form: form, programme: programme)
        let evaluation = engine.evaluate(canonical, today: today)
        let reported = Set(problems.map(\.path))
        for (path, error) in evaluation.errors.sorted(by: { $0.key < $1.key }) where !reported.contains(path) {
            problems.append(Problem(path: path, line: lines[path.group ?? path.field], message: error.localized))
        }
        self.problems = problems.sorted { ($0.line ?? Int.max, $0.path) < ($1.line ?? Int.max, $1.path) }
        self.evaluation = evaluation
        self.answers = canonical
    }

    private static func unknownField(_ id: String, in known: [String]) -> LocalizedMessage {
        LocalizedMessage(
            sv: "formuläret har inget fält '\(id)'; fälten är: \(known.joined(separator: ", "))",
            en: "the form has no field '\(id)'; its fields are: \(known.joined(separator: ", "))")
    }
}
