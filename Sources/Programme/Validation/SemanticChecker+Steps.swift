/// Checks of steps: references, availability, due windows, recurrence and the `after` graph.
extension SemanticChecker {
    mutating func checkSteps() {
        let phaseIndex = Dictionary(
            programme.phases.enumerated().flatMap { i, phase in phase.steps.map { ($0.id, i) } },
            uniquingKeysWith: { a, _ in a })
        for (index, phase) in programme.phases.enumerated() {
            for step in phase.steps {
                checkStep(step, in: phase, phaseIndex: index, stepPhases: phaseIndex)
            }
        }
    }

    private mutating func checkStep(_ step: Step, in phase: Phase, phaseIndex: Int, stepPhases: [String: Int]) {
        let owner = "steget '\(step.id)'"
        let ownerEn = "step '\(step.id)'"
        for after in step.after {
            guard let afterPhase = stepPhases[after] else {
                sink.error(
                    sink.location(of: "after", in: step.location),
                    sv: "\(owner) kommer efter det okända steget '\(after)'",
                    en: "\(ownerEn) comes after unknown step '\(after)'",
                    hintSv: suggestion(after, among: allSteps.map(\.id)).map { "menade du '\($0)'?" },
                    hintEn: suggestion(after, among: allSteps.map(\.id)).map { "did you mean '\($0)'?" })
                continue
            }
            if after == step.id {
                sink.error(
                    sink.location(of: "after", in: step.location),
                    sv: "\(owner) kommer efter sig självt och kan aldrig bli aktuellt",
                    en: "\(ownerEn) comes after itself and can never become available")
            } else if afterPhase > phaseIndex {
                sink.error(
                    sink.location(of: "after", in: step.location),
                    sv: "\(owner) kommer efter '\(after)' i en senare fas och kan aldrig bli aktuellt",
                    en: "\(ownerEn) comes after '\(after)' in a later phase and can never become available",
                    hintSv: "ett steg kan bara vänta på steg i samma eller en tidigare fas",
                    hintEn: "a step can only wait for steps in the same or an earlier phase")
            }
        }
        for role in step.performedBy {
            checkRole(role, attribute: "performed-by", at: step.location, staffOnly: true, owner: LocalizedMessage(sv: owner, en: ownerEn))
        }
        for role in step.participants {
            checkRole(role, attribute: "participants", at: step.location, staffOnly: false, owner: LocalizedMessage(sv: owner, en: ownerEn))
        }
        if let module = step.module, programme.module(module) == nil {
            sink.error(
                sink.location(of: "module", in: step.location),
                sv: "\(owner) hör till den okända modulen '\(module)'", en: "\(ownerEn) belongs to unknown module '\(module)'")
        }
        for consent in step.consents where programme.consent(consent) == nil {
            sink.error(
                sink.location(of: "consent", in: step.location),
                sv: "\(owner) kräver det okända samtycket '\(consent)'", en: "\(ownerEn) requires unknown consent '\(consent)'",
                hintSv: "samtycken definieras i <consents>", hintEn: "consents are defined in <consents>")
        }
        for form in step.forms where forms[form] == nil {
            sink.error(
                location(ofFormRef: form, in: step),
                sv: "\(owner) använder det okända formuläret '\(form)'", en: "\(ownerEn) uses unknown form '\(form)'",
                hintSv: suggestion(form, among: programme.forms.map(\.id)).map { "menade du '\($0)'?" },
                hintEn: suggestion(form, among: programme.forms.map(\.id)).map { "did you mean '\($0)'?" })
        }
        switch (step.requirement, step.condition) {
        case (.conditional, nil):
            sink.error(
                sink.location(of: "requirement", in: step.location),
                sv: "\(owner) är villkorat men saknar condition", en: "\(ownerEn) is conditional but has no condition",
                hintSv: "lägg till condition=\"…\", till exempel condition=\"module-selected('rutiner')\"",
                hintEn: "add condition=\"…\", for example condition=\"module-selected('rutiner')\"")
        case (.required, .some), (.optional, .some):
            sink.error(
                sink.location(of: "condition", in: step.location),
                sv: "\(owner) har ett villkor men är inte requirement=\"conditional\"",
                en: "\(ownerEn) has a condition but is not requirement=\"conditional\"")
        default:
            break
        }
        if let condition = step.condition {
            checkExpression(condition, scope: programmeScope, owner: LocalizedMessage(sv: owner, en: ownerEn))
            let normalised = condition.source.filter { !$0.isWhitespace }
            if normalised == "false()" || normalised == "0" {
                sink.error(
                    condition.location,
                    sv: "\(owner) har ett villkor som aldrig är sant och kan aldrig bli aktuellt",
                    en: "\(ownerEn) has a condition that is never true and can never become available")
            }
        }
        if let due = step.due { checkDue(due, of: step, in: phase, stepPhases: stepPhases, phaseIndex: phaseIndex) }
        if let recurrence = step.recurrence {
            if recurrence.every.approximateDays == 0 {
                sink.error(
                    sink.location(of: "every", in: recurrence.location),
                    sv: "\(owner) upprepas med intervallet 0", en: "\(ownerEn) repeats every 0 days")
            }
            if let min = recurrence.min, let max = recurrence.max, min > max {
                sink.error(
                    sink.location(of: "min", in: recurrence.location),
                    sv: "\(owner): min (\(min)) är större än max (\(max))", en: "\(ownerEn): min (\(min)) is greater than max (\(max))")
            }
            if let condition = recurrence.whileCondition {
                checkExpression(condition, scope: programmeScope, owner: LocalizedMessage(sv: owner, en: ownerEn))
            }
        }
        var seen: Set<String> = []
        for item in step.checklist {
            guard let id = item.id else {
                sink.error(
                    item.location, sv: "en checklistepunkt i \(owner) saknar id", en: "a checklist item in \(ownerEn) has no id",
                    hintSv: "checklistepunkter behöver id så att utförandet kan följas upp",
                    hintEn: "checklist items need an id so that delivery can be followed up")
                continue
            }
            if !seen.insert(id).inserted {
                sink.error(
                    sink.location(of: "id", in: item.location),
                    sv: "checklistepunkten '\(id)' finns två gånger i \(owner)",
                    en: "duplicate checklist item id '\(id)' in \(ownerEn)")
            }
        }
    }

    private mutating func checkDue(_ due: DueWindow, of step: Step, in phase: Phase, stepPhases: [String: Int], phaseIndex: Int) {
        let owner = "steget '\(step.id)'"
        let ownerEn = "step '\(step.id)'"
        switch due.anchor {
        case .step:
            guard let anchor = due.step else {
                sink.error(
                    sink.location(of: "anchor", in: due.location),
                    sv: "\(owner): anchor=\"step\" kräver attributet step", en: "\(ownerEn): anchor=\"step\" needs a step attribute")
                break
            }
            if let anchorPhase = stepPhases[anchor] {
                if anchorPhase > phaseIndex {
                    sink.error(
                        sink.location(of: "step", in: due.location),
                        sv: "\(owner) räknar sin tidsram från '\(anchor)' i en senare fas",
                        en: "\(ownerEn) counts its due window from '\(anchor)' in a later phase")
                }
            } else {
                sink.error(
                    sink.location(of: "step", in: due.location),
                    sv: "\(owner) räknar sin tidsram från det okända steget '\(anchor)'",
                    en: "\(ownerEn) counts its due window from unknown step '\(anchor)'")
            }
        case .caseClosed:
            if !phase.isFollowUp {
                sink.error(
                    sink.location(of: "anchor", in: due.location),
                    sv: "\(owner): anchor=\"case-closed\" går bara i en uppföljningsfas",
                    en: "\(ownerEn): anchor=\"case-closed\" is only possible in a follow-up phase")
            }
            fallthrough
        case .phaseStart, .caseStart, .previous:
            if due.step != nil {
                sink.error(
                    sink.location(of: "step", in: due.location),
                    sv: "\(owner): attributet step hör bara till anchor=\"step\"",
                    en: "\(ownerEn): the step attribute belongs only with anchor=\"step\"")
            }
        }
        if due.anchor == .previous, step.recurrence == nil {
            sink.error(
                sink.location(of: "anchor", in: due.location),
                sv: "\(owner): anchor=\"previous\" gäller bara steg som upprepas (<repeat>)",
                en: "\(ownerEn): anchor=\"previous\" applies only to repeated steps (<repeat>)")
        }
        if let from = due.from, from.approximateDays > due.to.approximateDays {
            sink.error(
                sink.location(of: "from", in: due.location),
                sv: "\(owner): tidsramen börjar (\(from)) efter att den slutar (\(due.to))",
                en: "\(ownerEn): the due window starts (\(from)) after it ends (\(due.to))")
        }
    }

    /// Reports each cycle in the `after` graph once, at the step where it is first met.
    mutating func checkAfterCycles() {
        let steps = allSteps
        let afters = Dictionary(steps.map { ($0.id, $0.after) }, uniquingKeysWith: { a, _ in a })
        var state: [String: Int] = [:]  // 1 = on the path, 2 = done
        var path: [String] = []
        var reported: Set<Set<String>> = []

        func visit(_ id: String, _ report: inout [[String]]) {
            state[id] = 1
            path.append(id)
            for next in afters[id] ?? [] where afters[next] != nil && next != id {
                if state[next] == 1, let start = path.firstIndex(of: next) {
                    report.append(Array(path[start...]) + [next])
                } else if state[next] == nil {
                    visit(next, &report)
                }
            }
            path.removeLast()
            state[id] = 2
        }

        var cycles: [[String]] = []
        for step in steps where state[step.id] == nil {
            visit(step.id, &cycles)
        }
        for cycle in cycles {
            let members = Set(cycle)
            guard reported.insert(members).inserted, let first = steps.first(where: { members.contains($0.id) }) else { continue }
            let chain = cycle.map { "'\($0)'" }.joined(separator: " → ")
            sink.error(
                sink.location(of: "after", in: first.location),
                sv: "stegen \(chain) väntar på varandra i en cirkel och kan aldrig bli aktuella",
                en: "steps \(chain) wait for each other in a cycle and can never become available",
                hintSv: "ta bort ett av beroendena i after", hintEn: "remove one of the dependencies in after")
        }
    }

    private func location(ofFormRef form: String, in step: Step) -> SourceLocation {
        // <form ref="…"/> elements follow the step's start tag; find the line that names this form.
        for line in step.location.line..<(step.location.line + 200) {
            if let found = sink.source.location(ofAttribute: "ref", elementLine: line),
               sink.source.lineContains("ref=\"\(form)\"", line: found.line) {
                return SourceLocation(file: sink.file, line: found.line, column: found.column)
            }
        }
        return step.location
    }

    /// The closest known id, for "did you mean …?".
    func suggestion(_ id: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(id, $0)) }.filter { $0.1 <= max(2, id.count / 3) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
