/// The forms engine: for a form and the answers so far, what to ask, what is wrong and what it adds up to.
///
/// Pure in its results (the same answers and day give the same evaluation), but not `Sendable`: it
/// keeps compiled expressions. Make one per form and thread; it is cheap to call after every keystroke.
public final class FormEngine {
    public let form: Form
    public let programme: Programme
    private let evaluator: XPathEvaluator
    private let environment: FormEnvironment
    private let items: [ItemPlan]
    /// Calculated fields and scores, each after everything it depends on.
    private let computeOrder: [Computed]
    /// True when some relevance expression reads a computed value or a field at or after its own
    /// place; relevance is then evaluated until it settles instead of once.
    private let relevanceNeedsFixpoint: Bool
    private let slotIDs: [String]
    private let slotOf: [String: Int]

    private enum Computed {
        case field(FieldPlan)
        case score(ScorePlan)

        var slot: Int {
            switch self {
            case .field(let f): f.slot
            case .score(let s): s.slot
            }
        }
    }

    public init(form: Form, programme: Programme, evaluator: XPathEvaluator = XPathEvaluator()) {
        self.form = form
        self.programme = programme
        self.evaluator = evaluator
        var slotIDs: [String] = []
        var slotOf: [String: Int] = [:]
        func slot(_ id: String) -> Int {
            if let existing = slotOf[id] { return existing }
            slotIDs.append(id)
            slotOf[id] = slotIDs.count - 1
            return slotIDs.count - 1
        }
        var items: [ItemPlan] = []
        var groupSlotOfField: [String: Int] = [:]
        for item in form.items {
            switch item {
            case .field(let f):
                items.append(.field(FieldPlan(field: f, slot: slot(f.id), programme: programme)))
            case .group(let g):
                let groupSlot = slot(g.id)
                let fields = g.fields.map { FieldPlan(field: $0, slot: slot($0.id), programme: programme) }
                for f in g.fields { groupSlotOfField[f.id] = groupSlot }
                items.append(.group(GroupPlan(group: g, slot: groupSlot, fields: fields)))
            }
        }
        let scores = form.scores.map { ScorePlan(score: $0, slot: slot($0.id)) }
        let scoreSlots = Set(scores.map(\.slot))
        for plan in scores {
            plan.inputs = plan.score.of.compactMap { id in
                guard let s = slotOf[id] else { return nil }
                if scoreSlots.contains(s) { return .score(s) }
                if let group = groupSlotOfField[id] { return .groupField(group: group, field: id) }
                return .slot(s)
            }
        }
        self.slotIDs = slotIDs
        self.slotOf = slotOf
        self.items = items
        environment = FormEnvironment(slots: slotOf)

        let calculated: [FieldPlan] = items.compactMap { if case .field(let f) = $0, f.field.calculate != nil { f } else { nil } }
        let computed = calculated.map(Computed.field) + scores.map(Computed.score)
        computeOrder = Self.order(computed, slotOf: slotOf)
        let computedSlots = Set(computed.map(\.slot))
        var needsFixpoint = false
        for (position, item) in items.enumerated() {
            guard let relevant = item.relevant else { continue }
            for name in Expression(relevant, at: SourceLocation(file: "", line: 0)).referencedVariables {
                guard let s = slotOf[name] else { continue }
                let laterItem = items[position...].contains { $0.slot == s }
                if computedSlots.contains(s) || laterItem { needsFixpoint = true }
            }
        }
        relevanceNeedsFixpoint = needsFixpoint
    }

    /// Topological order of computed items by the computed items they use (cycles were refused at load).
    private static func order(_ items: [Computed], slotOf: [String: Int]) -> [Computed] {
        let slots = Set(items.map(\.slot))
        var dependencies: [Int: Set<Int>] = [:]
        for item in items {
            switch item {
            case .field(let f):
                dependencies[f.slot] = Set((f.field.calculate?.referencedVariables ?? []).compactMap { slotOf[$0] }).intersection(slots)
            case .score(let s):
                dependencies[s.slot] = Set(s.score.of.compactMap { slotOf[$0] }).intersection(slots)
            }
        }
        var done: Set<Int> = []
        var result: [Computed] = []
        var remaining = items
        while !remaining.isEmpty {
            let before = remaining.count
            remaining.removeAll { item in
                guard dependencies[item.slot, default: []].isSubset(of: done.union([item.slot])) else { return false }
                result.append(item)
                done.insert(item.slot)
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
        let count = slotIDs.count
        var current = [AnswerValue?](repeating: nil, count: count)
        var given = [Bool](repeating: false, count: count)
        for (id, value) in answers {
            guard let s = slotOf[id] else { continue }
            current[s] = value
            given[s] = true
        }
        for item in items {
            if case .field(let plan) = item, current[plan.slot] == nil, plan.field.calculate == nil,
               let value = defaultValue(plan.field, today: today) {
                current[plan.slot] = value
            }
        }

        var irrelevant = [Bool](repeating: false, count: count)
        var computed = [AnswerValue?](repeating: nil, count: count)
        var scores = [ScoreResult?](repeating: nil, count: count)
        for pass in 0..<(relevanceNeedsFixpoint ? 6 : 1) {
            // Each pass sees the answers without those found irrelevant so far, and the computed values.
            for s in 0..<count {
                if let score = scores[s] {
                    environment.values[s] = score.xpathValue
                } else if let value = computed[s] ?? (irrelevant[s] ? nil : current[s]) {
                    environment.values[s] = value.xpathValue
                } else {
                    environment.values[s] = nil
                }
            }
            let found = relevancePass(current)
            (computed, scores) = computePass(current, irrelevant: found)
            if pass > 0, found == irrelevant { break }
            irrelevant = found
        }

        var errors: [FieldPath: FieldError] = [:]
        var itemsToAsk: [String] = []
        var nextUnanswered: String?
        var effective = [AnswerValue?](repeating: nil, count: count)
        var effectiveRows: [String: [[String: AnswerValue]]] = [:]
        for item in items where !irrelevant[item.slot] {
            switch item {
            case .field(let plan):
                if plan.field.calculate != nil { continue }
                itemsToAsk.append(plan.id)
                if !given[plan.slot], nextUnanswered == nil, current[plan.slot] == nil { nextUnanswered = plan.id }
                effective[plan.slot] = current[plan.slot]
                if let error = check(plan, current[plan.slot]) { errors[FieldPath(field: plan.id)] = error }
            case .group(let plan):
                itemsToAsk.append(plan.group.id)
                if !given[plan.slot], nextUnanswered == nil { nextUnanswered = plan.group.id }
                let (rows, rowErrors) = checkGroup(plan, current[plan.slot])
                if let rows { effectiveRows[plan.group.id] = rows }
                errors.merge(rowErrors) { a, _ in a }
            }
        }
        var calculatedByID: [String: AnswerValue] = [:]
        var scoresByID: [String: ScoreResult] = [:]
        for s in 0..<count {
            if let value = computed[s] {
                calculatedByID[slotIDs[s]] = value
                effective[s] = value
            }
            if let score = scores[s] { scoresByID[slotIDs[s]] = score }
        }
        return FormEvaluation(
            itemsToAsk: itemsToAsk, nextUnanswered: nextUnanswered, errors: errors, calculated: calculatedByID,
            scores: scoresByID, effectiveValues: effective, slotIDs: slotIDs, effectiveRows: effectiveRows)
    }

    /// Marks irrelevant items in form order; their answers stop counting for the items after them.
    private func relevancePass(_ current: [AnswerValue?]) -> [Bool] {
        var irrelevant = [Bool](repeating: false, count: slotIDs.count)
        for item in items {
            guard let relevant = item.relevant else { continue }
            if (try? evaluator.test(relevant, in: environment)) == true {
                environment.values[item.slot] = current[item.slot]?.xpathValue
            } else {
                irrelevant[item.slot] = true
                environment.values[item.slot] = nil
            }
        }
        return irrelevant
    }

    private func computePass(_ current: [AnswerValue?], irrelevant: [Bool]) -> ([AnswerValue?], [ScoreResult?]) {
        var computed = [AnswerValue?](repeating: nil, count: slotIDs.count)
        var scores = [ScoreResult?](repeating: nil, count: slotIDs.count)
        for item in computeOrder {
            switch item {
            case .field(let plan):
                guard !irrelevant[plan.slot], let expression = plan.field.calculate,
                      let result = try? evaluator.evaluate(expression.source, in: environment),
                      let value = answerValue(result, for: plan.field)
                else {
                    environment.values[plan.slot] = nil
                    continue
                }
                computed[plan.slot] = value
                environment.values[plan.slot] = value.xpathValue
            case .score(let plan):
                var inputs: [AnswerValue?] = []
                inputs.reserveCapacity(plan.inputs.count)
                for input in plan.inputs {
                    switch input {
                    case .score(let s):
                        inputs.append(scores[s]?.value.map(AnswerValue.number))
                    case .slot(let s):
                        inputs.append(irrelevant[s] ? nil : (computed[s] ?? current[s]))
                    case .groupField(let group, let field):
                        guard !irrelevant[group], case .rows(let rows)? = current[group] else { continue }
                        for row in rows { inputs.append(row[field]) }
                    }
                }
                let result = ScoreCalculator.compute(plan.score, inputs: inputs)
                scores[plan.slot] = result
                environment.values[plan.slot] = result.xpathValue
            }
        }
        return (computed, scores)
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

    /// Whether a field of a repeat group is asked in a row being filled in, given the rest of the answers.
    public func isRelevant(field fieldID: String, inGroup groupID: String, row: [String: AnswerValue], answers: FormAnswers, today: Int) -> Bool {
        guard case .group(let plan)? = items.first(where: { if case .group(let g) = $0 { g.group.id == groupID } else { false } }),
              let field = plan.fields.first(where: { $0.id == fieldID }) else { return false }
        guard let relevant = field.field.relevant else { return true }
        _ = evaluate(answers, today: today)
        var rowValues = [XPathValue?](repeating: nil, count: slotIDs.count)
        for f in plan.fields { rowValues[f.slot] = row[f.id]?.xpathValue }
        environment.row = rowValues
        defer { environment.row = nil }
        return (try? evaluator.test(relevant.source, in: environment)) == true
    }

    // MARK: - Checks

    private func isRequired(_ field: Field) -> Bool {
        if field.isRequired { return true }
        guard let expression = field.requiredWhen else { return false }
        return (try? evaluator.test(expression.source, in: environment)) == true
    }

    /// The first problem with one field's answer, or nil.
    private func check(_ plan: FieldPlan, _ answer: AnswerValue?) -> FieldError? {
        let field = plan.field
        guard let answer, !answer.isEmpty else { return isRequired(field) ? .required : nil }
        let value: AnswerValue
        if isCanonical(answer, for: plan) {
            value = answer
        } else {
            switch FieldInput.accept(answer, for: field, in: programme, today: environment.today) {
            case .success(let v): value = v
            case .failure(let error): return error
            }
        }
        if let error = checkRange(plan, value) { return error }
        if let regex = plan.pattern, case .text(let s) = value, (try? regex.wholeMatch(in: s)) == nil {
            return .patternMismatch
        }
        if let constraint = field.constraint, (try? evaluator.test(constraint.source, in: environment)) != true {
            return .constraint(field.constraintMessage)
        }
        return nil
    }

    /// True when the answer is already in the form the engine stores (the common case after the
    /// first check), so that it need not be parsed again.
    private func isCanonical(_ answer: AnswerValue, for plan: FieldPlan) -> Bool {
        switch (plan.field.type, answer) {
        case (.text, .text), (.longtext, .text), (.boolean, .bool), (.decimal, .number): return true
        case (.integer, .number(let n)), (.scale, .number(let n)), (.minutes, .number(let n)): return n == n.rounded()
        case (.percent, .number(let n)): return n >= 0 && n <= 100
        case (.date, .text(let s)): return s.utf8.count == 10 && ISODate.dayNumber(s) != nil
        case (.choice, .text(let s)): return plan.choiceValues.contains(s)
        case (.multichoice, .list(let values)): return values.allSatisfy(plan.choiceValues.contains)
        default: return false
        }
    }

    private func checkRange(_ plan: FieldPlan, _ value: AnswerValue) -> FieldError? {
        guard plan.lowest != nil || plan.highest != nil else { return nil }
        let measure: Double?
        switch (plan.field.type, value) {
        case (.text, .text(let s)), (.longtext, .text(let s)):
            if let min = plan.lowest, Double(s.count) < min { return .tooShort(Int(min)) }
            if let max = plan.highest, Double(s.count) > max { return .tooLong(Int(max)) }
            return nil
        case (.date, .text(let s)): measure = ISODate.dayNumber(s).map(Double.init)
        case (_, .number(let n)): measure = n
        default: measure = nil
        }
        guard let measure else { return nil }
        if let min = plan.lowest, measure < min { return .belowMinimum(plan.field.min ?? "") }
        if let max = plan.highest, measure > max { return .aboveMaximum(plan.field.max ?? "") }
        return nil
    }

    private func checkGroup(_ plan: GroupPlan, _ answer: AnswerValue?) -> ([[String: AnswerValue]]?, [FieldPath: FieldError]) {
        let group = plan.group
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
            var rowValues = [XPathValue?](repeating: nil, count: slotIDs.count)
            for field in plan.fields { rowValues[field.slot] = row[field.id]?.xpathValue }
            environment.row = rowValues
            var effectiveRow: [String: AnswerValue] = [:]
            for field in plan.fields {
                if let relevant = field.field.relevant, (try? evaluator.test(relevant.source, in: environment)) != true {
                    environment.row?[field.slot] = nil
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
