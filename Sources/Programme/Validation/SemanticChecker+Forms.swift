/// Checks of forms: fields, choices, scales, limits, groups, scores and their expressions.
extension SemanticChecker {
    mutating func checkForms() {
        var used: Set<String> = []
        for step in allSteps { used.formUnion(step.forms) }
        for form in programme.forms {
            if !used.contains(form.id) {
                sink.warning(
                    form.location, sv: "formuläret '\(form.id)' används inte av något steg",
                    en: "form '\(form.id)' is not used by any step",
                    hintSv: "lägg till <form ref=\"\(form.id)\"/> i steget där det fylls i",
                    hintEn: "add <form ref=\"\(form.id)\"/> to the step where it is filled in")
            }
            // Top-level fields, groups and scores (the fields inside a group are added for the group).
            var formVariables: Set<String> = []
            formVariables.reserveCapacity(form.items.count + form.scores.count)
            for item in form.items { formVariables.insert(item.id) }
            for score in form.scores { formVariables.insert(score.id) }
            let formScope = ExpressionScope(kind: .form, variables: formVariables)
            for item in form.items {
                switch item {
                case .field(let field):
                    checkField(field, form: form, scope: formScope)
                case .group(let group):
                    if let min = group.minRows, let max = group.maxRows, min > max {
                        sink.error(
                            sink.location(of: "min", in: group.location),
                            sv: "gruppen '\(group.id)': min (\(min)) är större än max (\(max))",
                            en: "group '\(group.id)': min (\(min)) is greater than max (\(max))")
                    }
                    if let relevant = group.relevant {
                        checkExpression(relevant, scope: formScope, owner: LocalizedMessage(sv: "gruppen '\(group.id)'", en: "group '\(group.id)'"))
                    }
                    var groupScope = formScope
                    groupScope.variables.formUnion(group.fields.map(\.id))
                    for field in group.fields {
                        checkField(field, form: form, scope: groupScope)
                    }
                }
            }
            checkScores(form)
        }
    }

    private mutating func checkField(_ field: Field, form: Form, scope: ExpressionScope) {
        let owner = "fältet '\(field.id)'"
        let ownerEn = "field '\(field.id)'"
        switch field.type {
        case .choice, .multichoice:
            let sources = (field.choices.isEmpty ? 0 : 1) + (field.choiceList == nil ? 0 : 1) + (field.choiceSource == nil ? 0 : 1)
            if sources == 0 {
                sink.error(
                    field.location, sv: "\(owner) är ett val men har inga alternativ",
                    en: "\(ownerEn) is a choice but has no choices",
                    hintSv: "lägg till <choice value=\"…\"> eller choices=\"lista\" eller source=\"modules\"",
                    hintEn: "add <choice value=\"…\"> elements, choices=\"list\" or source=\"modules\"")
            } else if sources > 1 {
                sink.error(
                    field.location, sv: "\(owner) har alternativ från flera håll; välj ett",
                    en: "\(ownerEn) takes choices from more than one place; choose one")
            }
            if let list = field.choiceList, programme.choiceList(list) == nil {
                sink.error(
                    sink.location(of: "choices", in: field.location),
                    sv: "\(owner) använder den okända vallistan '\(list)'", en: "\(ownerEn) uses unknown choice-list '\(list)'")
            }
            if field.choiceSource == .modules, programme.modules.isEmpty {
                sink.error(
                    sink.location(of: "source", in: field.location),
                    sv: "\(owner) väljer bland modulerna, men programmet har inga <modules>",
                    en: "\(ownerEn) chooses among the modules, but the programme has no <modules>")
            }
            var values: Set<String> = []
            for choice in field.choices where !values.insert(choice.value).inserted {
                sink.error(
                    sink.location(of: "value", in: choice.location),
                    sv: "\(owner): värdet '\(choice.value)' finns två gånger", en: "\(ownerEn): duplicate choice value '\(choice.value)'")
            }
        default:
            if !field.choices.isEmpty || field.choiceList != nil || field.choiceSource != nil {
                sink.error(
                    field.location, sv: "\(owner) har alternativ men är av typen \(field.type.rawValue)",
                    en: "\(ownerEn) has choices but is of type \(field.type.rawValue)",
                    hintSv: "använd type=\"choice\" eller type=\"multichoice\"", hintEn: "use type=\"choice\" or type=\"multichoice\"")
            }
        }
        checkLimits(field, owner: owner, ownerEn: ownerEn)
        if let pattern = field.pattern, (try? Regex(pattern)) == nil {
            sink.error(
                sink.location(of: "pattern", in: field.location),
                sv: "\(owner): mönstret '\(pattern)' är inget giltigt reguljärt uttryck",
                en: "\(ownerEn): the pattern '\(pattern)' is not a valid regular expression")
        }
        if field.isRequired, field.requiredWhen != nil {
            sink.error(
                sink.location(of: "required-when", in: field.location),
                sv: "\(owner) har både required=\"true\" och required-when", en: "\(ownerEn) has both required=\"true\" and required-when")
        }
        if field.calculate != nil, field.isRequired || field.requiredWhen != nil {
            sink.warning(
                sink.location(of: "calculate", in: field.location),
                sv: "\(owner) räknas ut och frågas aldrig; required används inte",
                en: "\(ownerEn) is calculated and never asked; required has no effect")
        }
        for expression in [field.relevant, field.constraint, field.calculate, field.requiredWhen] {
            if let expression { checkExpression(expression, scope: scope, owner: LocalizedMessage(sv: owner, en: ownerEn)) }
        }
        if field.constraint != nil, field.constraintMessage == nil {
            sink.warning(
                sink.location(of: "constraint", in: field.location),
                sv: "\(owner) har en constraint men inget <constraint-message>",
                en: "\(ownerEn) has a constraint but no <constraint-message>",
                hintSv: "skriv vad som är fel och hur det rättas, på svenska och engelska",
                hintEn: "say what is wrong and how to put it right, in Swedish and English")
        }
    }

    private static let numericKinds: Set<Field.Kind> = [.integer, .decimal, .minutes, .percent, .scale]

    private mutating func checkLimits(_ field: Field, owner: String, ownerEn: String) {
        if field.type == .scale, field.min == nil || field.max == nil {
            sink.error(
                field.location, sv: "\(owner) är en skala och behöver min och max", en: "\(ownerEn) is a scale and needs min and max")
        }
        func parse(_ raw: String, _ attribute: String) -> Double? {
            if Self.numericKinds.contains(field.type) {
                let value = field.type == .integer || field.type == .scale || field.type == .minutes
                    ? Int(raw.trimmingWhitespace).map(Double.init) : Double(raw.trimmingWhitespace)
                if value == nil {
                    sink.error(
                        sink.location(of: attribute, in: field.location),
                        sv: "\(owner): \(attribute)=\"\(raw)\" är inget tal av typen \(field.type.rawValue)",
                        en: "\(ownerEn): \(attribute)=\"\(raw)\" is not a number of type \(field.type.rawValue)")
                }
                return value
            }
            if field.type == .date {
                guard let days = ISODate.dayNumber(raw.trimmingWhitespace) else {
                    sink.error(
                        sink.location(of: attribute, in: field.location),
                        sv: "\(owner): \(attribute)=\"\(raw)\" är inget datum (ÅÅÅÅ-MM-DD)",
                        en: "\(ownerEn): \(attribute)=\"\(raw)\" is not a date (YYYY-MM-DD)")
                    return nil
                }
                return Double(days)
            }
            if field.type == .text || field.type == .longtext {
                // Limits on text are lengths.
                guard let n = Int(raw.trimmingWhitespace), n >= 0 else {
                    sink.error(
                        sink.location(of: attribute, in: field.location),
                        sv: "\(owner): \(attribute) för text är en längd i tecken, inte '\(raw)'",
                        en: "\(ownerEn): \(attribute) for text is a length in characters, not '\(raw)'")
                    return nil
                }
                return Double(n)
            }
            sink.error(
                sink.location(of: attribute, in: field.location),
                sv: "\(owner): \(attribute) gäller inte fält av typen \(field.type.rawValue)",
                en: "\(ownerEn): \(attribute) does not apply to fields of type \(field.type.rawValue)")
            return nil
        }
        let min = field.min.flatMap { parse($0, "min") }
        let max = field.max.flatMap { parse($0, "max") }
        if let min, let max, min > max {
            sink.error(
                sink.location(of: "min", in: field.location),
                sv: "\(owner): min (\(field.min!)) är större än max (\(field.max!))",
                en: "\(ownerEn): min (\(field.min!)) is greater than max (\(field.max!))")
        }
        if field.type == .percent {
            for (value, attribute) in [(min, "min"), (max, "max")] {
                if let value, value < 0 || value > 100 {
                    sink.error(
                        sink.location(of: attribute, in: field.location),
                        sv: "\(owner): ett procenttal ligger mellan 0 och 100", en: "\(ownerEn): a percentage lies between 0 and 100")
                }
            }
        }
        for anchor in field.anchors {
            if let min, let max, Double(anchor.value) < min || Double(anchor.value) > max {
                sink.error(
                    sink.location(of: "value", in: anchor.location),
                    sv: "\(owner): ankaret \(anchor.value) ligger utanför skalan \(field.min!)–\(field.max!)",
                    en: "\(ownerEn): anchor \(anchor.value) lies outside the scale \(field.min!)–\(field.max!)")
            }
        }
    }

    private mutating func checkScores(_ form: Form) {
        var inputs: [String: Field.Kind] = [:]
        for item in form.items {
            switch item {
            case .field(let f): inputs[f.id] = f.type
            case .group(let g): for f in g.fields { inputs[f.id] = f.type }
            }
        }
        let scoreIDs = Set(form.scores.map(\.id))
        let numeric: Set<Field.Kind> = [.integer, .decimal, .minutes, .percent, .scale, .boolean]
        for score in form.scores {
            let owner = "poängen '\(score.id)'"
            let ownerEn = "score '\(score.id)'"
            for input in score.of {
                if let kind = inputs[input] {
                    if score.method != .count, !numeric.contains(kind) {
                        sink.error(
                            sink.location(of: "of", in: score.location),
                            sv: "\(owner) räknar med '\(input)', som inte är ett tal (\(kind.rawValue))",
                            en: "\(ownerEn) computes with '\(input)', which is not a number (\(kind.rawValue))")
                    }
                } else if !scoreIDs.contains(input) {
                    sink.error(
                        sink.location(of: "of", in: score.location),
                        sv: "\(owner) räknar med det okända fältet '\(input)'",
                        en: "\(ownerEn) computes with unknown field '\(input)'",
                        hintSv: "of namnger fält eller andra poäng i samma formulär",
                        hintEn: "of names fields or other scores in the same form")
                }
            }
            if score.method == .highest {
                if score.tolerance == nil {
                    sink.error(
                        score.location, sv: "\(owner) med method=\"highest\" behöver tolerance (till exempel 0.25)",
                        en: "\(ownerEn) with method=\"highest\" needs a tolerance (for example 0.25)")
                }
                if score.of.count < 2 {
                    sink.error(
                        sink.location(of: "of", in: score.location),
                        sv: "\(owner) jämför färre än två delpoäng", en: "\(ownerEn) compares fewer than two subscores")
                }
                if !score.bands.isEmpty {
                    sink.error(
                        score.location, sv: "\(owner) är en profil och kan inte ha band",
                        en: "\(ownerEn) is a profile and cannot have bands")
                }
            } else if score.tolerance != nil {
                sink.error(
                    sink.location(of: "tolerance", in: score.location),
                    sv: "\(owner): tolerance gäller bara method=\"highest\"", en: "\(ownerEn): tolerance applies only to method=\"highest\"")
            }
            if score.countValue != nil, score.method != .count {
                sink.error(
                    sink.location(of: "value", in: score.location),
                    sv: "\(owner): value gäller bara method=\"count\"", en: "\(ownerEn): value applies only to method=\"count\"")
            }
            if let minAnswered = score.minAnswered, minAnswered > score.of.count {
                sink.error(
                    sink.location(of: "min-answered", in: score.location),
                    sv: "\(owner): min-answered (\(minAnswered)) är fler än delarna (\(score.of.count))",
                    en: "\(ownerEn): min-answered (\(minAnswered)) is more than its inputs (\(score.of.count))")
            }
            var codes: Set<String> = []
            for band in score.bands {
                if let min = band.min, let max = band.max, min > max {
                    sink.error(
                        sink.location(of: "min", in: band.location),
                        sv: "\(owner): bandet '\(band.code)' har min större än max",
                        en: "\(ownerEn): band '\(band.code)' has min greater than max")
                }
                if !codes.insert(band.code).inserted {
                    sink.error(
                        sink.location(of: "code", in: band.location),
                        sv: "\(owner): bandet '\(band.code)' finns två gånger", en: "\(ownerEn): duplicate band '\(band.code)'")
                }
            }
        }
        // Scores built on scores must not go round in a circle.
        let graph = Dictionary(form.scores.map { ($0.id, $0.of.filter(scoreIDs.contains)) }, uniquingKeysWith: { a, _ in a })
        var done: Set<String> = []
        for score in form.scores {
            var onPath: Set<String> = []
            if hasCycle(score.id, graph, &onPath, &done) {
                sink.error(
                    sink.location(of: "of", in: score.location),
                    sv: "poängen '\(score.id)' bygger i en cirkel på sig själv", en: "score '\(score.id)' depends on itself in a cycle")
            }
        }
    }

    private func hasCycle(_ id: String, _ graph: [String: [String]], _ onPath: inout Set<String>, _ done: inout Set<String>) -> Bool {
        if onPath.contains(id) { return true }
        if done.contains(id) { return false }
        onPath.insert(id)
        for next in graph[id] ?? [] where hasCycle(next, graph, &onPath, &done) { return true }
        onPath.remove(id)
        done.insert(id)
        return false
    }

    mutating func checkTriggers() {
        let scope = ExpressionScope(kind: .trigger, variables: ExpressionScope.triggerVariables)
        for trigger in programme.triggers {
            if trigger.window.approximateDays == 0 {
                sink.error(
                    sink.location(of: "window", in: trigger.location),
                    sv: "utlösaren '\(trigger.id)' har ett tomt tidsfönster", en: "trigger '\(trigger.id)' has an empty window")
            }
            checkExpression(trigger.test, scope: scope, owner: LocalizedMessage(sv: "utlösaren '\(trigger.id)'", en: "trigger '\(trigger.id)'"))
        }
    }
}
