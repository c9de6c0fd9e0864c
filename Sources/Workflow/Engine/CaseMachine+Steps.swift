extension CaseMachine {
    static func completeStep(_ record: StepRecord, state: CaseState, programme: Programme, context: Context) throws(WorkflowError) -> [CaseEvent] {
        let item = try availableItem(record.step, state: state, programme: programme, context: context, allowClosed: true, on: record.on)
        guard let step = programme.step(record.step) else { preconditionFailure("availableItem checked the step") }
        if let entered = state.phaseEntered, record.on < entered {
            throw WorkflowError(
                .invalidDates, sv: "Datumet \(record.on) ligger före fasens start (\(entered)).",
                en: "The date \(record.on) is before the phase began (\(entered)).")
        }
        for after in step.after {
            if let done = state.completions[after]?.first?.on, record.on < done {
                throw WorkflowError(
                    .invalidDates, sv: "Datumet \(record.on) ligger före \(stepName(after, programme, .sv)) (\(done)), som steget kommer efter.",
                    en: "The date \(record.on) is before \(stepName(after, programme, .en)) (\(done)), which the step comes after.")
            }
        }
        if let deviation = record.deviation { try requireReason(deviation, sv: "skälet till avvikelsen", en: "the reason for the deviation") }
        var submissions: [FormSubmission] = []
        var problems: [LocalizedMessage] = []
        for (formID, answers) in record.forms.sorted(by: { $0.key < $1.key }) {
            guard step.forms.contains(formID), let form = programme.form(formID) else {
                throw WorkflowError(
                    .unknownForm, sv: "Steget \(stepName(step.id, programme, .sv)) använder inte formuläret '\(formID)'.",
                    en: "Step \(stepName(step.id, programme, .en)) does not use form '\(formID)'.",
                    hintSv: "Stegets formulär: \(step.forms.joined(separator: ", ")).", hintEn: "The step's forms: \(step.forms.joined(separator: ", ")).")
            }
            let check = AnswersCheck(form: form, programme: programme, answers: answers, today: context.today.number)
            for problem in check.problems {
                problems.append(LocalizedMessage(sv: "\(formID).\(problem.path): \(problem.message.sv)", en: "\(formID).\(problem.path): \(problem.message.en)"))
            }
            var scores: [String: String] = [:]
            for (id, result) in check.evaluation.scores {
                if let value = result.value { scores[id] = XPathValue.number(value).stringValue }
                if let profile = result.profile { scores[id] = profile.joined(separator: " ") }
            }
            var stored = check.evaluation.effectiveAnswers
            for (id, value) in check.evaluation.calculated { stored[id] = value }
            submissions.append(FormSubmission(form: formID, answers: stored, scores: scores))
        }
        if !problems.isEmpty {
            throw WorkflowError(
                .invalidAnswers, sv: "Svaren kan inte sparas: \(problems.count) problem.", en: "The answers cannot be saved: \(problems.count) problems.",
                hintSv: "Rätta svaren och försök igen; inget sparades.", hintEn: "Correct the answers and try again; nothing was saved.",
                details: problems)
        }
        for (itemID, _) in record.checklist where !step.checklist.contains(where: { $0.id == itemID }) {
            throw WorkflowError(
                .invalidCommand, sv: "Steget har ingen checklistepunkt '\(itemID)'.", en: "The step has no checklist item '\(itemID)'.",
                hintSv: "Punkter: \(step.checklist.compactMap(\.id).joined(separator: ", ")).",
                hintEn: "Items: \(step.checklist.compactMap(\.id).joined(separator: ", ")).")
        }
        return [.stepCompleted(StepCompleted(
            step: step.id, occurrence: item.nextOccurrence, on: record.on, forms: submissions, session: record.session,
            checklist: record.checklist, deviation: record.deviation))]
    }

    static func skipStep(_ stepID: String, reason: String, on: Day, state: CaseState, programme: Programme, context: Context) throws(WorkflowError) -> [CaseEvent] {
        try requireReason(reason, sv: "varför steget hoppas över", en: "why the step is skipped")
        let item = try locate(stepID, state: state, programme: programme, context: context, allowClosed: true)
        switch item.status {
        case .skipped:
            throw WorkflowError(.alreadyDone, sv: "Steget är redan överhoppat.", en: "The step has already been skipped.")
        case .done:
            throw WorkflowError(.alreadyDone, sv: "Steget är redan gjort.", en: "The step has already been done.")
        case .notApplicable:
            throw WorkflowError(
                .conditionFalse, sv: "Steget gäller inte ärendet; det finns inget att hoppa över.",
                en: "The step does not apply to the case; there is nothing to skip.")
        case .available, .waiting, .needsConsent:
            return [.stepSkipped(step: stepID, on: on, reason: reason)]
        }
    }

    /// The agenda item of a step in the current phase, or a refusal that says where the step is.
    static func locate(_ stepID: String, state: CaseState, programme: Programme, context: Context, allowClosed: Bool, on: Day? = nil) throws(WorkflowError) -> CaseAgenda.Item {
        guard let step = programme.step(stepID), let stepPhase = programme.phase(containingStep: stepID) else {
            throw WorkflowError(
                .unknownStep, sv: "Programmet \(programme.id) har inget steg '\(stepID)'.", en: "Programme \(programme.id) has no step '\(stepID)'.",
                hintSv: "Se stegen med: narvaro case show \(state.code)", hintEn: "See the steps with: narvaro case show \(state.code)")
        }
        if case .closed(let closedOn, let reason) = state.status {
            if !(allowClosed && stepPhase.isFollowUp) { try requireOpen(state) }
            if !reason.isCompletion {
                throw WorkflowError(
                    .caseClosed, sv: "Ärendet avslutades \(closedOn) (\(reason.rawValue)); uppföljning görs bara i ärenden som avslutats som genomförda.",
                    en: "The case was closed on \(closedOn) (\(reason.rawValue)); follow-up is done only in cases closed as completed.")
            }
        } else {
            try requireActive(state)
        }
        guard state.currentPhase == stepPhase.id, let phase = programme.phase(stepPhase.id) else {
            let current = state.currentPhase.flatMap { programme.phase($0) }
            let currentName = current.map { $0.title.sv } ?? "?"
            let currentNameEn = current.map { $0.title.text(.en) } ?? "?"
            let earlier = (programme.phases.firstIndex { $0.id == stepPhase.id } ?? 0) < (programme.phases.firstIndex { $0.id == state.currentPhase } ?? 0)
            throw WorkflowError(
                .wrongPhase,
                sv: "Steget \(stepName(stepID, programme, .sv)) hör till fasen \(stepPhase.title.sv), men ärendet är i fasen \(currentName).",
                en: "Step \(stepName(stepID, programme, .en)) belongs to phase \(stepPhase.title.text(.en)), but the case is in phase \(currentNameEn).",
                hintSv: earlier ? "Den fasen är avslutad." : "Gå vidare till den fasen först: narvaro case advance \(state.code)",
                hintEn: earlier ? "That phase is over." : "Advance to that phase first: narvaro case advance \(state.code)")
        }
        let environment = CaseEnvironment(state: state, programme: programme, today: context.today, attendance: context.attendance)
        return agendaItem(
            step, phase: phase, state: state, programme: programme, today: context.today, environment: environment, evaluator: context.evaluator,
            consentDay: on)
    }

    static func availableItem(_ stepID: String, state: CaseState, programme: Programme, context: Context, allowClosed: Bool, on: Day? = nil) throws(WorkflowError) -> CaseAgenda.Item {
        let item = try locate(stepID, state: state, programme: programme, context: context, allowClosed: allowClosed, on: on)
        if case .available = item.status { return item }
        // Named only for a refusal: an accepted step (the common case) builds no message.
        let name = (stepName(stepID, programme, .sv), stepName(stepID, programme, .en))
        switch item.status {
        case .available:
            return item
        case .done:
            throw WorkflowError(
                .alreadyDone, sv: "Steget \(name.0) är redan gjort.", en: "Step \(name.1) has already been done.",
                hintSv: "Se vad som står på tur: narvaro case show \(state.code)", hintEn: "See what is next: narvaro case show \(state.code)")
        case .skipped:
            throw WorkflowError(.alreadyDone, sv: "Steget \(name.0) har hoppats över.", en: "Step \(name.1) was skipped.")
        case .notApplicable:
            throw WorkflowError(
                .conditionFalse, sv: "Steget \(name.0) gäller inte det här ärendet (villkoret är inte uppfyllt).",
                en: "Step \(name.1) does not apply to this case (its condition does not hold).",
                hintSv: programme.step(stepID)?.condition.map { "Villkor: \($0.source)" },
                hintEn: programme.step(stepID)?.condition.map { "Condition: \($0.source)" })
        case .waiting(let steps):
            throw WorkflowError(
                .waitingForSteps, sv: "Steget \(name.0) väntar på: \(steps.map { stepName($0, programme, .sv) }.joined(separator: ", ")).",
                en: "Step \(name.1) waits for: \(steps.map { stepName($0, programme, .en) }.joined(separator: ", ")).",
                hintSv: "Gör de stegen först, eller hoppa över dem med ett skäl (narvaro case skip).",
                hintEn: "Do those steps first, or skip them with a reason (narvaro case skip).")
        case .needsConsent(let consents):
            let names = consents.map { id in programme.consent(id).map { "\($0.title.sv) [\(id)]" } ?? id }
            let namesEn = consents.map { id in programme.consent(id).map { "\($0.title.text(.en)) [\(id)]" } ?? id }
            throw WorkflowError(
                .missingConsent, sv: "Steget \(name.0) kräver ett gällande samtycke: \(names.joined(separator: ", ")).",
                en: "Step \(name.1) needs a consent in force: \(namesEn.joined(separator: ", ")).",
                hintSv: "Registrera samtycket: narvaro case consent \(state.code) --consent \(consents[0]) --given-by vardnadshavare-1",
                hintEn: "Record the consent: narvaro case consent \(state.code) --consent \(consents[0]) --given-by vardnadshavare-1")
        }
    }

    // MARK: - Phases and closing

    static func advance(on: Day, override: String?, state: CaseState, programme: Programme, context: Context) throws(WorkflowError) -> [CaseEvent] {
        try requireActive(state)
        guard let phaseID = state.currentPhase, let index = programme.phases.firstIndex(where: { $0.id == phaseID }) else {
            throw WorkflowError(.invalidCommand, sv: "Ärendet har ingen aktuell fas.", en: "The case has no current phase.")
        }
        let next = programme.phases.dropFirst(index + 1).first
        guard let next, !next.isFollowUp else {
            throw WorkflowError(
                .lastPhase, sv: "Ärendet är i programmets sista fas.", en: "The case is in the programme's last phase.",
                hintSv: "Avsluta ärendet: narvaro case close \(state.code) --reason genomfort",
                hintEn: "Close the case: narvaro case close \(state.code) --reason genomfort")
        }
        if let entered = state.phaseEntered, on < entered {
            throw WorkflowError(
                .invalidDates, sv: "Datumet \(on) ligger före den nuvarande fasens start (\(entered)).",
                en: "The date \(on) is before the current phase began (\(entered)).")
        }
        let unmet = requirementsUnmet(state: state, programme: programme, context: context)
        if unmet.isEmpty { return [.phaseEntered(phase: next.id, on: on)] }
        guard let override else {
            throw WorkflowError(
                .requirementsUnmet,
                sv: "Fasen \(programme.phases[index].title.sv) är inte klar: \(unmet.count == 1 ? "ett krav är inte uppfyllt" : "\(unmet.count) krav är inte uppfyllda").",
                en: "Phase \(programme.phases[index].title.text(.en)) is not finished: \(unmet.count == 1 ? "one requirement is not met" : "\(unmet.count) requirements are not met").",
                hintSv: "Gör det som saknas, hoppa över steg med ett skäl (narvaro case skip), eller gå vidare ändå med --override \"skäl\" (det blir en avvikelse).",
                hintEn: "Do what is missing, skip steps with a reason (narvaro case skip), or advance anyway with --override \"reason\" (recorded as a deviation).",
                details: unmet.map(\.message))
        }
        try requireReason(override, sv: "skälet att gå vidare trots att kraven inte är uppfyllda", en: "the reason to advance although the requirements are not met")
        return [.gateOverridden(phase: phaseID, unmet: unmet.map(\.id), on: on, reason: override), .phaseEntered(phase: next.id, on: on)]
    }

    struct Unmet {
        var id: String
        var message: LocalizedMessage
    }

    /// Required steps not done (at least their minimum) or skipped, and gates that do not hold.
    static func requirementsUnmet(state: CaseState, programme: Programme, context: Context) -> [Unmet] {
        guard let phase = state.currentPhase.flatMap({ programme.phase($0) }) else { return [] }
        let agenda = agenda(state, programme: programme, today: context.today, evaluator: context.evaluator, attendance: context.attendance)
        var unmet = agenda.unmetRequirements.map { item -> Unmet in
            let needed = max(1, item.minimumOccurrences ?? 1)
            let count = needed > 1 ? " (\(item.completed) av minst \(needed))" : ""
            let countEn = needed > 1 ? " (\(item.completed) of at least \(needed))" : ""
            return Unmet(id: item.step, message: LocalizedMessage(
                sv: "steget \(stepName(item.step, programme, .sv)) är inte gjort\(count)",
                en: "step \(stepName(item.step, programme, .en)) is not done\(countEn)"))
        }
        let environment = CaseEnvironment(state: state, programme: programme, today: context.today, attendance: context.attendance)
        for gate in phase.gates where (try? context.evaluator.test(gate.test.source, in: environment)) != true {
            unmet.append(Unmet(id: gate.id, message: LocalizedMessage(sv: "grind: \(gate.message.sv)", en: "gate: \(gate.message.text(.en))")))
        }
        return unmet
    }

    static func close(reason: CloseReason, on: Day, state: CaseState, programme: Programme, context: Context) throws(WorkflowError) -> [CaseEvent] {
        try requireOpen(state)
        var events: [CaseEvent] = [.caseClosed(on: on, reason: reason)]
        if reason.isCompletion {
            let active = programme.phases.filter { !$0.isFollowUp }
            guard state.currentPhase == active.last?.id else {
                throw WorkflowError(
                    .requirementsUnmet,
                    sv: "Ett ärende avslutas som genomfört först i programmets sista fas (\(active.last?.title.sv ?? "?")).",
                    en: "A case is closed as completed only in the programme's last phase (\(active.last?.title.text(.en) ?? "?")).",
                    hintSv: "Gå vidare med narvaro case advance, eller avsluta med ett annat skäl (till exempel --reason avbrutet).",
                    hintEn: "Advance with narvaro case advance, or close with another reason (for example --reason avbrutet).")
            }
            let unmet = requirementsUnmet(state: state, programme: programme, context: context)
            if !unmet.isEmpty {
                throw WorkflowError(
                    .requirementsUnmet, sv: "Sista fasen är inte klar: \(unmet.count == 1 ? "ett krav är inte uppfyllt" : "\(unmet.count) krav är inte uppfyllda").",
                    en: "The last phase is not finished: \(unmet.count == 1 ? "one requirement is not met" : "\(unmet.count) requirements are not met").",
                    hintSv: "Gör det som saknas eller hoppa över steg med ett skäl (narvaro case skip).",
                    hintEn: "Do what is missing or skip steps with a reason (narvaro case skip).",
                    details: unmet.map(\.message))
            }
            if let followUp = programme.phases.first(where: \.isFollowUp) {
                events.append(.phaseEntered(phase: followUp.id, on: on))
            }
        }
        return events
    }
}
