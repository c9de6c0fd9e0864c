/// The forms engine: for a form and the answers so far, what to ask, what is wrong and what it adds up to.
///
/// Pure in its results (the same answers and day give the same evaluation), but not `Sendable`: it
/// keeps compiled expressions. Make one per form and thread; it is cheap to call after every keystroke.
public final class FormEngine {
    public let form: Form
    public let programme: Programme
    private let evaluator: XPathEvaluator
    private let environment: FormEnvironment
    /// Calculated fields and scores, each after everything it depends on.
    private let computeOrder: [Computed]
    /// True when some relevance expression reads a computed value or a field at or after its own
    /// place; relevance is then evaluated until it settles instead of once.
    private let relevanceNeedsFixpoint: Bool
    private let calculatedIDs: Set<String>
    private let groupOfField: [String: String]
    private let patterns: [String: Regex<AnyRegexOutput>]

    private enum Computed {
        case field(Field)
        case score(Score)

        var id: String {
            switch self {
            case .field(let f): f.id
            case .score(let s): s.id
            }
        }
    }

    public init(form: Form, programme: Programme, evaluator: XPathEvaluator = XPathEvaluator()) {
        self.form = form
        self.programme = programme
        self.evaluator = evaluator
        var known = Set(form.scores.map(\.id))
        var groupOfField: [String: String] = [:]
        var patterns: [String: Regex<AnyRegexOutput>] = [:]
        var allFields: [Field] = []
        for item in form.items {
            switch item {
            case .field(let f): allFields.append(f)
            case .group(let g):
                known.insert(g.id)
                for f in g.fields { groupOfField[f.id] = g.id }
                allFields += g.fields
            }
        }
        for f in allFields {
            known.insert(f.id)
            if let p = f.pattern, let regex = try? Regex(p) { patterns[f.id] = regex }
        }
        self.groupOfField = groupOfField
        self.patterns = patterns
        environment = FormEnvironment(known: known)
        let calculated = form.fields.filter { $0.calculate != nil }
        calculatedIDs = Set(calculated.map(\.id))
        let computed = calculated.map(Computed.field) + form.scores.map(Computed.score)
        computeOrder = Self.order(computed)
        let computedIDs = Set(computed.map(\.id))
        var seen: Set<String> = []
        var needsFixpoint = false
        for item in form.items {
            let expressions: [Expression?]
            switch item {
            case .field(let f): expressions = [f.relevant]
            case .group(let g): expressions = [g.relevant]
            }
            seen.insert(item.id)
            let laterOrComputed = known.subtracting(seen).union(computedIDs).union([item.id])
            if expressions.compactMap({ $0 }).contains(where: { $0.referencedVariables.contains(where: laterOrComputed.contains) }) {
                needsFixpoint = true
            }
        }
        relevanceNeedsFixpoint = needsFixpoint
    }

    /// Topological order of computed items by the computed items they use (cycles were refused at load).
    private static func order(_ items: [Computed]) -> [Computed] {
        let ids = Set(items.map(\.id))
        var dependencies: [String: Set<String>] = [:]
        for item in items {
            switch item {
            case .field(let f):
                dependencies[f.id] = Set(f.calculate?.referencedVariables ?? []).intersection(ids)
            case .score(let s):
                dependencies[s.id] = Set(s.of).intersection(ids)
            }
        }
        var done: Set<String> = []
        var result: [Computed] = []
        var remaining = items
        while !remaining.isEmpty {
            let before = remaining.count
            remaining.removeAll { item in
                guard dependencies[item.id, default: []].isSubset(of: done.union([item.id])) else { return false }
                result.append(item)
                done.insert(item.id)
                return true
            }
            if remaining.count == before {  // a cycle the loader would have refused: keep document order
                result += remaining
                break
            }
        }
        return result
    }

    // MARK: - Evaluation

    /// Evaluates `answers` on day `today` (a day number; see `ISODate`).
    public func evaluate(_ answers: FormAnswers, today: Int) -> FormEvaluation {
        environment.today = today
        environment.row = nil
        var current = answers
        for field in form.fields where current[field.id] == nil && field.calculate == nil {
            if let value = defaultValue(field, today: today) { current[field.id] = value }
        }
        var irrelevant: Set<String> = []
        var calculated: [String: AnswerValue] = [:]
        var scores: [String: ScoreResult] = [:]
        for pass in 0..<(relevanceNeedsFixpoint ? 6 : 1) {
            // Each pass sees the answers without those found irrelevant so far, and the computed values.
            environment.values = current.filter { !irrelevant.contains($0.key) }.mapValues(\.xpathValue)
            for (id, value) in calculated { environment.values[id] = value.xpathValue }
            for (id, result) in scores { environment.values[id] = result.xpathValue }
            let found = relevancePass(current)
            (calculated, scores) = computePass(current, irrelevant: found)
            if pass > 0, found == irrelevant { break }
            irrelevant = found
        }

        var errors: [FieldPath: FieldError] = [:]
        var itemsToAsk: [String] = []
        var nextUnanswered: String?
        var effective: FormAnswers = [:]
        for item in form.items where !irrelevant.contains(item.id) {
            switch item {
            case .field(let field):
                if field.calculate != nil { continue }
                itemsToAsk.append(field.id)
                if answers[field.id] == nil, nextUnanswered == nil, current[field.id] == nil { nextUnanswered = field.id }
                if let value = current[field.id] { effective[field.id] = value }
                if let error = check(field, current[field.id]) { errors[FieldPath(field: field.id)] = error }
            case .group(let group):
                itemsToAsk.append(group.id)
                if answers[group.id] == nil, nextUnanswered == nil { nextUnanswered = group.id }
                let (rows, rowErrors) = checkGroup(group, current[group.id])
                if let rows { effective[group.id] = .rows(rows) }
                errors.merge(rowErrors) { a, _ in a }
            }
        }
        for (id, value) in calculated { effective[id] = value }
        return FormEvaluation(
            itemsToAsk: itemsToAsk, nextUnanswered: nextUnanswered, errors: errors, calculated: calculated,
            scores: scores, effectiveAnswers: effective)
    }

    /// Marks irrelevant items in form order; their answers stop counting for the items after them.
    private func relevancePass(_ current: FormAnswers) -> Set<String> {
        var irrelevant: Set<String> = []
        for item in form.items {
            let expression: Expression?
            switch item {
            case .field(let f): expression = f.relevant
            case .group(let g): expression = g.relevant
            }
            guard let expression else {
                if let value = current[item.id] { environment.values[item.id] = value.xpathValue }
                continue
            }
            if (try? evaluator.test(expression.source, in: environment)) == true {
                if let value = current[item.id] { environment.values[item.id] = value.xpathValue }
            } else {
                irrelevant.insert(item.id)
                environment.values[item.id] = nil
            }
        }
        return irrelevant
    }

    private func computePass(_ current: FormAnswers, irrelevant: Set<String>) -> ([String: AnswerValue], [String: ScoreResult]) {
        var calculated: [String: AnswerValue] = [:]
        var scores: [String: ScoreResult] = [:]
        for item in computeOrder {
            switch item {
            case .field(let field):
                guard !irrelevant.contains(field.id), let expression = field.calculate,
                      let result = try? evaluator.evaluate(expression.source, in: environment),
                      let value = answerValue(result, for: field)
                else {
                    environment.values[field.id] = nil
                    continue
                }
                calculated[field.id] = value
                environment.values[field.id] = value.xpathValue
            case .score(let score):
                var inputs: [AnswerValue?] = []
                for id in score.of {
                    if let result = scores[id] {
                        inputs.append(result.value.map(AnswerValue.number))
                    } else if let value = calculated[id] {
                        inputs.append(value)
                    } else if let group = groupOfField[id] {
                        guard !irrelevant.contains(group), case .rows(let rows)? = current[group] else { continue }
                        for row in rows { inputs.append(row[id]) }
                    } else {
                        inputs.append(irrelevant.contains(id) ? nil : current[id])
                    }
                }
                let result = ScoreCalculator.compute(score, inputs: inputs)
                scores[score.id] = result
                environment.values[score.id] = result.xpathValue
            }
        }
        return (calculated, scores)
    }

    private func answerValue(_ result: XPathValue, for field: Field) -> AnswerValue? {
        switch field.type {
        case .integer, .decimal, .minutes, .percent, .scale:
            let n = result.numberValue
            return n.isFinite ? .number(field.type == .integer || field.type == .scale || field.type == .minutes ? n.rounded() : n) : nil
        case .boolean:
            if case .string(let s) = result, s == "false" { return .bool(false) }
            return .bool(result.boolValue)
        case .multichoice:
            let values = result.stringValue.split(separator: " ").map(String.init)
            return values.isEmpty ? nil : .list(values)
        case .text, .longtext, .date, .choice, .personnummer:
            let s = result.stringValue
            return s.isEmpty ? nil : .text(s)
        }
    }

    private func defaultValue(_ field: Field, today: Int) -> AnswerValue? {
        guard let raw = field.defaultValue else { return nil }
        if field.type == .date, raw == "today" { return .text(ISODate.string(fromDayNumber: today)) }
        return try? FieldInput.parse(raw, for: field, in: programme, today: today).get()
    }

    // MARK: - Checks

    private func isRequired(_ field: Field) -> Bool {
        if field.isRequired { return true }
        guard let expression = field.requiredWhen else { return false }
        return (try? evaluator.test(expression.source, in: environment)) == true
    }

    /// The first problem with one field's answer, or nil.
    private func check(_ field: Field, _ answer: AnswerValue?) -> FieldError? {
        guard let answer, !answer.isEmpty else { return isRequired(field) ? .required : nil }
        let value: AnswerValue
        switch FieldInput.accept(answer, for: field, in: programme, today: environment.today) {
        case .success(let v): value = v
        case .failure(let error): return error
        }
        if let error = checkRange(field, value) { return error }
        if let regex = patterns[field.id], case .text(let s) = value, (try? regex.wholeMatch(in: s)) == nil {
            return .patternMismatch
        }
        if let constraint = field.constraint, (try? evaluator.test(constraint.source, in: environment)) != true {
            return .constraint(field.constraintMessage)
        }
        return nil
    }

    private func checkRange(_ field: Field, _ value: AnswerValue) -> FieldError? {
        switch (field.type, value) {
        case (.text, .text(let s)), (.longtext, .text(let s)):
            if let min = field.min.flatMap({ Int($0) }), s.count < min { return .tooShort(min) }
            if let max = field.max.flatMap({ Int($0) }), s.count > max { return .tooLong(max) }
        case (.date, .text(let s)):
            let day = ISODate.dayNumber(s)
            if let min = field.min, let bound = ISODate.dayNumber(min), let day, day < bound { return .belowMinimum(min) }
            if let max = field.max, let bound = ISODate.dayNumber(max), let day, day > bound { return .aboveMaximum(max) }
        case (_, .number(let n)):
            if let min = field.min, let bound = FieldInput.parseDecimal(min), n < bound { return .belowMinimum(min) }
            if let max = field.max, let bound = FieldInput.parseDecimal(max), n > bound { return .aboveMaximum(max) }
        default:
            break
        }
        return nil
    }

    private func checkGroup(_ group: Group, _ answer: AnswerValue?) -> ([[String: AnswerValue]]?, [FieldPath: FieldError]) {
        var errors: [FieldPath: FieldError] = [:]
        var rows: [[String: AnswerValue]] = []
        switch answer {
        case .rows(let r)?: rows = r
        case nil: break
        case .some: return (nil, [FieldPath(field: group.id): .wrongKind])
        }
        if let min = group.minRows, rows.count < min { errors[FieldPath(field: group.id)] = .tooFewRows(min) }
        if let max = group.maxRows, rows.count > max { errors[FieldPath(field: group.id)] = .tooManyRows(max) }
        var effectiveRows: [[String: AnswerValue]] = []
        for (index, row) in rows.enumerated() {
            environment.row = row.mapValues(\.xpathValue)
            var effectiveRow: [String: AnswerValue] = [:]
            for field in group.fields {
                if let relevant = field.relevant, (try? evaluator.test(relevant.source, in: environment)) != true {
                    environment.row?[field.id] = nil
                    continue
                }
                if let value = row[field.id] { effectiveRow[field.id] = value }
                if let error = check(field, row[field.id]) {
                    errors[FieldPath(field: field.id, group: group.id, row: index)] = error
                }
            }
            effectiveRows.append(effectiveRow)
        }
        environment.row = nil
        return (answer == nil ? nil : effectiveRows, errors)
    }
}
