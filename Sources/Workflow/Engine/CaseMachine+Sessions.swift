/// Guided sessions: a step done answer by answer, each stored as it is given.
extension CaseMachine {
    /// Why a session for `step` cannot start whatever its date (an unknown step, another phase, a
    /// step waiting for others, done, skipped or not applying, a session already open): asked before
    /// the session's date, so that nobody answers a question only to be told no. Nil when only the
    /// date (or a consent valid on it) could decide.
    public static func sessionRefusal(step: String, state: CaseState, programme: Programme, context: Context) -> WorkflowError? {
        do {
            _ = try decideSession(.startSession(session: "", step: step, on: context.today), state: state, programme: programme, context: context)
            return nil
        } catch {
            switch error.kind {
            case .futureDate, .beforeCaseOpened, .missingConsent, .noValidConsent: return nil
            default: return error
            }
        }
    }

    static func decideSession(_ command: CaseCommand, state: CaseState, programme: Programme, context: Context) throws(WorkflowError) -> [CaseEvent] {
        switch command {
        case .startSession(let session, let step, let on):
            if let open = state.sessions.values.first(where: { $0.step == step }) {
                throw WorkflowError(
                    .alreadyDone, sv: "Det finns redan en påbörjad session för steget \(stepName(step, programme, .sv)) (från \(open.started)).",
                    en: "There is already a session in progress for step \(stepName(step, programme, .en)) (from \(open.started)).",
                    hintSv: "Fortsätt den: narvaro session \(state.code) --step \(step)",
                    hintEn: "Continue it: narvaro session \(state.code) --step \(step)")
            }
            let item = try availableItem(step, state: state, programme: programme, context: context, allowClosed: true)
            return [.sessionStarted(SessionStarted(session: session, step: step, occurrence: item.nextOccurrence, on: on))]
        case .recordAnswer(let session, let form, let field, let value):
            let draft = try openDraft(session, state)
            guard let step = programme.step(draft.step), step.forms.contains(form), let formModel = programme.form(form) else {
                throw WorkflowError(.unknownForm, sv: "Steget använder inte formuläret '\(form)'.", en: "The step does not use form '\(form)'.")
            }
            guard formModel.items.contains(where: { $0.id == field }) else {
                throw WorkflowError(.invalidCommand, sv: "Formuläret '\(form)' har inget fält '\(field)'.", en: "Form '\(form)' has no field '\(field)'.")
            }
            if let value, case .field(let f)? = formModel.items.first(where: { $0.id == field }), !value.isEmpty {
                if case .failure(let error) = FieldInput.accept(value, for: f, in: programme, today: context.today.number) {
                    throw WorkflowError(.invalidAnswers, sv: error.localized.sv, en: error.localized.en)
                }
            }
            return [.answerRecorded(AnswerRecorded(session: session, form: form, field: field, value: value))]
        case .recordSessionFacts(let session, let facts):
            _ = try openDraft(session, state)
            if let minutes = facts.minutes, !(0...1440).contains(minutes) {
                throw WorkflowError(.invalidCommand, sv: "En session kan inte vara \(minutes) minuter.", en: "A session cannot last \(minutes) minutes.")
            }
            return [.sessionFactsRecorded(session: session, facts: facts)]
        case .markChecklist(let session, let item, let mark):
            let draft = try openDraft(session, state)
            guard programme.step(draft.step)?.checklist.contains(where: { $0.id == item }) == true else {
                throw WorkflowError(.invalidCommand, sv: "Steget har ingen checklistepunkt '\(item)'.", en: "The step has no checklist item '\(item)'.")
            }
            return [.checklistMarked(session: session, item: item, mark: mark)]
        case .pauseSession(let session, let on):
            _ = try openDraft(session, state)
            return [.sessionPaused(session: session, on: on)]
        case .cancelSession(let session, let on, let by):
            _ = try openDraft(session, state)
            return [.sessionCancelled(session: session, on: on, by: by)]
        case .recordCancellation(let session, let step, let on, let by):
            let started = try decideSession(.startSession(session: session, step: step, on: on), state: state, programme: programme, context: context)
            return started + [.sessionCancelled(session: session, on: on, by: by)]
        case .completeSession(let session, let on, let deviation):
            let draft = try openDraft(session, state)
            var record = StepRecord(step: draft.step, on: on, forms: draft.answers, session: draft.facts, checklist: draft.checklist, deviation: deviation)
            record.forms = draft.answers.mapValues { $0.filter { !$0.value.isEmpty } }
            var events = try completeStep(record, state: state, programme: programme, context: context)
            if case .stepCompleted(var completed)? = events.first {
                completed.sessionID = session
                completed.occurrence = draft.occurrence
                events = [.stepCompleted(completed)]
            }
            return events
        default:
            preconditionFailure("decideSession handles session commands only")
        }
    }

    static func openDraft(_ session: String, _ state: CaseState) throws(WorkflowError) -> CaseState.SessionDraft {
        guard let draft = state.sessions[session] else {
            throw WorkflowError(
                .invalidCommand, sv: "Sessionen finns inte eller är redan avslutad.", en: "The session does not exist or has already ended.",
                hintSv: "Se ärendet: narvaro case show \(state.code)", hintEn: "See the case: narvaro case show \(state.code)")
        }
        return draft
    }
}
