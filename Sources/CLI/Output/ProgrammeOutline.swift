import Programme

/// A programme as an outline a team member reads: phases → steps with windows, participants,
/// forms and checklist; then the forms and the fidelity criteria.
struct ProgrammeOutline {
    let programme: Programme
    let language: Language

    private func t(_ sv: String, _ en: String) -> String { language == .sv ? sv : en }
    private func text(_ l: LocalizedText) -> String { l.text(language) }

    func render() -> String {
        var out: [String] = []
        let p = programme
        out.append("\(text(p.title))  (\(p.id) \(p.version))")
        out.append(String(repeating: "=", count: min(78, text(p.title).count + p.id.count + p.version.count + 5)))
        if let d = p.description { out.append(Console.wrap(text(d), indent: 0)) }
        out.append(Console.wrap(t("Ägare: ", "Owner: ") + text(p.owner), indent: 0))
        out.append(Console.wrap(t("Ursprung: ", "Provenance: ") + text(p.provenance), indent: 0))
        out.append("")
        out.append(t("Roller: ", "Roles: ") + p.roles.map { text($0.title) }.joined(separator: ", "))
        for (index, phase) in p.phases.enumerated() {
            out.append("")
            out.append(contentsOf: renderPhase(phase, number: index + 1))
        }
        if !p.forms.isEmpty {
            out.append("")
            out.append(t("FORMULÄR", "FORMS"))
            for form in p.forms {
                let fieldCount = form.items.reduce(0) { n, item in
                    switch item {
                    case .field: n + 1
                    case .group(let g): n + g.fields.count
                    }
                }
                var line = "  \(text(form.title)) [\(form.id)] – \(fieldCount) " + t("fält", "fields")
                if !form.scores.isEmpty { line += ", \(form.scores.count) " + t("poäng", "scores") }
                line += " · " + t("sekretess: ", "secrecy: ") + domainName(form.domain)
                out.append(line)
            }
        }
        if !p.triggers.isEmpty {
            out.append("")
            out.append(t("SCREENING", "SCREENING"))
            for trigger in p.triggers {
                out.append("  \(text(trigger.title)) [\(trigger.id)]: \(trigger.test.source) " + t("under ", "over ") + trigger.window.spelled(language))
            }
        }
        if !p.criteria.isEmpty {
            out.append("")
            out.append(t("TROHETSKRITERIER", "FIDELITY CRITERIA"))
            for c in p.criteria {
                let threshold = c.threshold.rounded() == c.threshold ? String(Int(c.threshold)) : String(c.threshold)
                var line = "  \(c.id.padding(toLength: 4, withPad: " ", startingAt: 0)) [\(c.dimension.rawValue)] \(text(c.title))"
                line += " – " + t("tröskel ", "threshold ") + "\(threshold) %"
                if c.weight != 1 { line += t(", vikt ", ", weight ") + (c.weight.rounded() == c.weight ? String(Int(c.weight)) : String(c.weight)) }
                if !c.inComposite { line += t(" (ej i index)", " (not in index)") }
                out.append(line)
            }
        }
        return out.joined(separator: "\n")
    }

    private func renderPhase(_ phase: Phase, number: Int) -> [String] {
        var out: [String] = []
        var heading = t("FAS ", "PHASE ") + "\(number): \(text(phase.title).uppercased()) [\(phase.id)]"
        if phase.isFollowUp { heading += t(" – efter avslut", " – after closure") }
        out.append(heading)
        var window: [String] = []
        if let d = phase.duration { window.append(t("normalt ", "usually ") + d.spelled(language)) }
        if let min = phase.minDuration, let max = phase.maxDuration {
            window.append("\(min.spelled(language))–\(max.spelled(language))")
        }
        if !window.isEmpty { out.append("  " + t("Längd: ", "Length: ") + window.joined(separator: ", ")) }
        if let purpose = phase.purpose { out.append(Console.wrap(text(purpose), indent: 2)) }
        for (index, step) in phase.steps.enumerated() {
            out.append("")
            out.append(contentsOf: renderStep(step, number: "\(number).\(index + 1)"))
        }
        for gate in phase.gates {
            out.append("")
            out.append("  " + t("Grind", "Gate") + " [\(gate.id)]: " + text(gate.message))
            out.append("    " + t("villkor: ", "test: ") + gate.test.source)
        }
        return out
    }

    private func renderStep(_ step: Step, number: String) -> [String] {
        var out: [String] = []
        let requirement: String
        switch step.requirement {
        case .required: requirement = t("obligatoriskt", "required")
        case .optional: requirement = t("valfritt", "optional")
        case .conditional: requirement = t("villkorat", "conditional")
        }
        out.append("  \(number) \(text(step.title)) [\(step.id)] – \(requirement)")
        if let condition = step.condition { out.append("      " + t("när: ", "when: ") + condition.source) }
        if let purpose = step.purpose { out.append(Console.wrap(text(purpose), indent: 6)) }
        out.append("      " + t("Utförs av: ", "Performed by: ") + roleNames(step.performedBy))
        if !step.participants.isEmpty { out.append("      " + t("Deltar: ", "Participants: ") + roleNames(step.participants)) }
        if !step.after.isEmpty { out.append("      " + t("Efter: ", "After: ") + step.after.joined(separator: ", ")) }
        if let due = step.due { out.append("      " + t("Tidsram: ", "Due: ") + dueText(due)) }
        if let r = step.recurrence {
            var line = "      " + t("Upprepas: var ", "Repeats: every ") + r.every.spelled(language)
            if let min = r.min { line += t(", minst \(min) gånger", ", at least \(min) times") }
            if let max = r.max { line += t(", högst \(max)", ", at most \(max)") }
            if let w = r.whileCondition { line += t(" så länge ", " while ") + w.source }
            out.append(line)
        }
        if !step.forms.isEmpty {
            let names = step.forms.map { id in programme.form(id).map { text($0.title) } ?? id }
            out.append("      " + t("Formulär: ", "Forms: ") + names.joined(separator: ", "))
        }
        var domain = "      " + t("Sekretess: ", "Secrecy: ") + domainName(step.domain)
        if !step.consents.isEmpty {
            domain += t(" · kräver samtycke: ", " · needs consent: ") + step.consents.map { id in
                programme.consent(id).map { text($0.title) } ?? id
            }.joined(separator: ", ")
        }
        out.append(domain)
        if !step.checklist.isEmpty {
            out.append("      " + t("Checklista:", "Checklist:"))
            for item in step.checklist {
                out.append(Console.wrap("[ ] " + text(item.text) + (item.isRequired ? "" : t(" (valfri)", " (optional)")), indent: 8))
            }
        }
        return out
    }

    private func dueText(_ due: DueWindow) -> String {
        let anchor: String
        switch due.anchor {
        case .phaseStart: anchor = t("fasens start", "the start of the phase")
        case .caseStart: anchor = t("ärendets start", "the start of the case")
        case .step: anchor = t("steget ", "step ") + (due.step.flatMap { programme.step($0).map { text($0.title) } } ?? due.step ?? "?")
        case .previous: anchor = t("förra tillfället", "the previous occurrence")
        case .caseClosed: anchor = t("avslutet", "closure")
        }
        if let from = due.from, from.approximateDays > 0 {
            return "\(from.spelled(language))–\(due.to.spelled(language)) " + t("efter ", "after ") + anchor
        }
        return t("inom ", "within ") + due.to.spelled(language) + t(" från ", " of ") + anchor
    }

    private func roleNames(_ ids: [String]) -> String {
        ids.map { id in programme.role(id).map { text($0.title) } ?? id }.joined(separator: ", ")
    }

    private func domainName(_ domain: SecrecyDomain) -> String {
        switch domain {
        case .skola: t("skola", "school")
        case .elevhalsa: t("elevhälsa", "student health (elevhälsa)")
        case .halsa: t("hälso- och sjukvård", "health care")
        case .socialtjanst: t("socialtjänst", "social services")
        case .samtycke: t("delas med samtycke", "shared by consent")
        }
    }
}
