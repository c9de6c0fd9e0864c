extension CaseMachine {
    /// Folds one event into the state. Total: every event the machine decides can be folded.
    public static func evolve(_ state: consuming CaseState?, _ event: CaseEvent, actor: String? = nil) -> CaseState? {
        if case .caseOpened(let opened) = event {
            guard state == nil else { return state }
            var s = CaseState(code: opened.code, opened: opened)
            s.version = 1
            return s
        }
        guard var s = consume state else { return nil }  // moved, so appends below do not copy the arrays
        s.version += 1
        switch event {
        case .caseOpened:
            break
        case .phaseEntered(let phase, let on):
            if !s.phases.isEmpty { s.phases[s.phases.count - 1].left = on }
            s.phases.append(CaseState.PhaseVisit(phase: phase, entered: on, left: nil))
        case .stepCompleted(let completed):
            s.completions[completed.step, default: []].append(completed)
            if let session = completed.sessionID { s.sessions[session] = nil }
            for form in completed.forms {
                s.forms[form.form] = form
                s.formOrder.removeAll { $0 == form.form }
                s.formOrder.append(form.form)
            }
            if let reason = completed.deviation {
                s.deviations.append(CaseState.Deviation(kind: .sessionDeviation, subject: completed.step, on: completed.on, reason: reason, actor: actor))
            }
        case .stepSkipped(let step, let on, let reason):
            s.skipped[step] = on
            s.deviations.append(CaseState.Deviation(kind: .stepSkipped, subject: step, on: on, reason: reason, actor: actor))
        case .gateOverridden(let phase, _, let on, let reason):
            s.deviations.append(CaseState.Deviation(kind: .gateOverridden, subject: phase, on: on, reason: reason, actor: actor))
        case .casePaused(let on, let reason):
            s.status = .paused(since: on, reason: reason)
            s.pauses.append(CaseState.Pause(from: on, to: nil, reason: reason))
        case .caseResumed(let on):
            s.status = .active
            if !s.pauses.isEmpty { s.pauses[s.pauses.count - 1].to = on }
        case .caseClosed(let on, let reason):
            s.status = .closed(on: on, reason: reason)
            if !s.pauses.isEmpty, s.pauses[s.pauses.count - 1].to == nil { s.pauses[s.pauses.count - 1].to = on }
            if !s.phases.isEmpty, s.phases[s.phases.count - 1].left == nil { s.phases[s.phases.count - 1].left = on }
        case .staffAssigned(let role, let person, let on):
            if !(s.staff[role] ?? []).contains(person) { s.staff[role, default: []].append(person) }
            s.staffHistory.append(CaseState.StaffChange(role: role, person: person, on: on, assigned: true))
        case .staffUnassigned(let role, let person, let on):
            s.staff[role]?.removeAll { $0 == person }
            s.staffHistory.append(CaseState.StaffChange(role: role, person: person, on: on, assigned: false))
        case .consentRecorded(let given):
            s.consents.append(CaseState.Consent(
                consent: given.consent, givenBy: given.givenBy, validFrom: given.validFrom, validUntil: given.validUntil,
                recordedOn: given.on, revokedOn: nil))
        case .consentRevoked(let consent, let on):
            for i in s.consents.indices where s.consents[i].consent == consent && s.consents[i].revokedOn == nil {
                s.consents[i].revokedOn = on
            }
        case .concernReported(let on):
            s.concernReports.append(on)
        case .sessionStarted(let started):
            s.sessions[started.session] = CaseState.SessionDraft(
                id: started.session, step: started.step, occurrence: started.occurrence, started: started.on, startedBy: actor)
        case .answerRecorded(let answer):
            s.sessions[answer.session]?.answers[answer.form, default: [:]][answer.field] = answer.value
            s.sessions[answer.session]?.answerCount += 1
            s.sessions[answer.session]?.pausedOn = nil
            s.sessions[answer.session]?.pausedBy = nil
        case .sessionFactsRecorded(let session, let facts):
            s.sessions[session]?.facts = facts
        case .checklistMarked(let session, let item, let mark):
            s.sessions[session]?.checklist[item] = mark
        case .sessionPaused(let session, let on):
            s.sessions[session]?.pausedOn = on
            s.sessions[session]?.pausedBy = actor
        case .sessionCancelled(let session, let on, let by):
            if let draft = s.sessions.removeValue(forKey: session) {
                s.cancellations.append(CaseState.Cancellation(step: draft.step, on: on, by: by))
            }
        }
        return s
    }

    /// Replays a whole log.
    public static func replay(_ events: [CaseEvent]) -> CaseState? {
        var state: CaseState?
        for event in events { state = evolve(consume state, event) }
        return state
    }

    /// Replays a whole log with who recorded each event (deviations and sessions name them).
    public static func replay(_ events: [(event: CaseEvent, actor: String?)]) -> CaseState? {
        var state: CaseState?
        for (event, actor) in events { state = evolve(consume state, event, actor: actor) }
        return state
    }
}
