/// The case state machine: `decide(command, state, programme)` → events, `evolve(state, event)` →
/// state. Pure and synchronous: no I/O, no clock, no random ids (they arrive on the command).
public enum CaseMachine {
    /// What decisions may look at besides the state: today's date (for "not in the future" and
    /// consent validity), the expression evaluator (a compile cache), attendance figures.
    public struct Context {
        public var today: Day
        public var programmeHash: String
        public var evaluator: XPathEvaluator
        public var attendance: AttendanceSource?

        public init(today: Day, programmeHash: String, evaluator: XPathEvaluator, attendance: AttendanceSource? = nil) {
            self.today = today
            self.programmeHash = programmeHash
            self.evaluator = evaluator
            self.attendance = attendance
        }
    }

    public static func decide(_ command: CaseCommand, state: CaseState?, programme: Programme, context: Context) throws(WorkflowError) -> [CaseEvent] {
        if let on = command.day, on > context.today {
            throw WorkflowError(
                .futureDate, sv: "Datumet \(on) ligger i framtiden.", en: "The date \(on) is in the future.",
                hintSv: "Registrera det som redan har hänt, med dagens eller ett tidigare datum.",
                hintEn: "Record what has already happened, with today's or an earlier date.")
        }
        guard let state else {
            guard case .open(let code, let school, let grade, let referredBy, let on) = command else {
                throw WorkflowError(.invalidCommand, sv: "Ärendet finns inte.", en: "The case does not exist.")
            }
            return try open(code: code, school: school, grade: grade, referredBy: referredBy, on: on, programme: programme, context: context)
        }
        if let on = command.day, on < state.opened.on, !isConcern(command) {
            throw WorkflowError(
                .beforeCaseOpened, sv: "Datumet \(on) ligger före ärendets start (\(state.opened.on)).",
                en: "The date \(on) is before the case started (\(state.opened.on)).")
        }
        switch command {
        case .open:
            throw WorkflowError(.alreadyOpen, sv: "Ärendet \(state.code) finns redan.", en: "Case \(state.code) already exists.")
        case .reportConcern(let on):
            // An orosanmälan is never blocked, whatever the state of the case.
            return [.concernReported(on: on)]
        case .completeStep(let record):
            return try completeStep(record, state: state, programme: programme, context: context)
        case .skipStep(let step, let reason, let on):
            return try skipStep(step, reason: reason, on: on, state: state, programme: programme, context: context)
        case .advance(let on, let override):
            return try advance(on: on, override: override, state: state, programme: programme, context: context)
        case .pause(let reason, let on):
            try requireActive(state)
            try requireReason(reason, sv: "skälet till uppehållet (till exempel sjukdom, lov eller placering)", en: "the reason for the pause (for example illness, holiday or placement)")
            return [.casePaused(on: on, reason: reason)]
        case .resume(let on):
            try requireOpen(state)
            guard case .paused(let since, _) = state.status else {
                throw WorkflowError(.caseNotPaused, sv: "Ärendet är inte pausat.", en: "The case is not paused.")
            }
            if on < since {
                throw WorkflowError(
                    .invalidDates, sv: "Ärendet pausades \(since); det kan inte återupptas före dess.",
                    en: "The case was paused on \(since); it cannot resume before that.")
            }
            return [.caseResumed(on: on)]
        case .close(let reason, let on):
            return try close(reason: reason, on: on, state: state, programme: programme, context: context)
        case .assign(let role, let person, let on):
            try requireOpen(state)
            try requireStaffRole(role, programme)
            if state.staff[role]?.contains(person) == true {
                throw WorkflowError(
                    .alreadyAssigned, sv: "\(person) är redan \(roleName(role, programme, .sv)) i ärendet.",
                    en: "\(person) is already \(roleName(role, programme, .en)) in the case.")
            }
            try requireReason(person, sv: "en person", en: "a person")
            return [.staffAssigned(role: role, person: person, on: on)]
        case .unassign(let role, let person, let on):
            try requireOpen(state)
            guard state.staff[role]?.contains(person) == true else {
                throw WorkflowError(
                    .notAssigned, sv: "\(person) är inte \(roleName(role, programme, .sv)) i ärendet.",
                    en: "\(person) is not \(roleName(role, programme, .en)) in the case.")
            }
            return [.staffUnassigned(role: role, person: person, on: on)]
        case .recordConsent(let consent, let givenBy, let validFrom, let validUntil, let on):
            try requireOpen(state)
            guard let scope = programme.consent(consent) else {
                throw WorkflowError(
                    .unknownConsent, sv: "Programmet har inget samtycke '\(consent)'.", en: "The programme has no consent '\(consent)'.",
                    hintSv: "Samtycken i programmet: \(programme.consents.map(\.id).joined(separator: ", ")).",
                    hintEn: "Consents in the programme: \(programme.consents.map(\.id).joined(separator: ", ")).")
            }
            try requireReason(givenBy, sv: "vem som gav samtycket", en: "who gave the consent")
            let until = validUntil ?? scope.validFor.map { validFrom.adding($0) }
            if let until, until < validFrom {
                throw WorkflowError(
                    .invalidDates, sv: "Samtycket kan inte gälla till \(until), före \(validFrom).",
                    en: "The consent cannot be valid until \(until), before \(validFrom).")
            }
            return [.consentRecorded(ConsentGiven(consent: consent, givenBy: givenBy, validFrom: validFrom, validUntil: until, on: on))]
        case .revokeConsent(let consent, let on):
            guard state.consents.contains(where: { $0.consent == consent && $0.revokedOn == nil }) else {
                throw WorkflowError(
                    .noValidConsent, sv: "Det finns inget gällande samtycke '\(consent)' att återkalla.",
                    en: "There is no consent '\(consent)' in force to revoke.")
            }
            return [.consentRevoked(consent: consent, on: on)]
        case .startSession, .recordAnswer, .recordSessionFacts, .markChecklist, .pauseSession, .completeSession, .cancelSession,
             .recordCancellation:
            return try decideSession(command, state: state, programme: programme, context: context)
        }
    }

    private static func isConcern(_ command: CaseCommand) -> Bool {
        if case .reportConcern = command { return true }
        return false
    }

    // MARK: - Opening

    static func open(code: String, school: String, grade: Int, referredBy: ReferralSource, on: Day, programme: Programme, context: Context) throws(WorkflowError) -> [CaseEvent] {
        guard let first = programme.phases.first(where: { !$0.isFollowUp }) else {
            throw WorkflowError(.invalidCommand, sv: "Programmet har ingen fas att börja i.", en: "The programme has no phase to start in.")
        }
        if school.trimmingWhitespace.isEmpty {
            throw WorkflowError(.invalidCommand, sv: "Ange skolenheten.", en: "Give the school unit.")
        }
        if !(0...12).contains(grade) {
            throw WorkflowError(
                .invalidCommand, sv: "Årskursen \(grade) finns inte; ange 0 (förskoleklass) till 12.",
                en: "Grade \(grade) does not exist; give 0 (förskoleklass) to 12.")
        }
        let opened = CaseOpened(
            code: code, programmeID: programme.id, programmeVersion: programme.version, programmeHash: context.programmeHash,
            school: school, grade: grade, referredBy: referredBy, on: on)
        return [.caseOpened(opened), .phaseEntered(phase: first.id, on: on)]
    }

    // MARK: - Guards

    static func requireOpen(_ state: CaseState) throws(WorkflowError) {
        if case .closed(let on, _) = state.status {
            throw WorkflowError(
                .caseClosed, sv: "Ärendet \(state.code) avslutades \(on).", en: "Case \(state.code) was closed on \(on).",
                hintSv: "Ett avslutat ärende ändras inte; uppföljningssteg registreras som vanligt.",
                hintEn: "A closed case is not changed; follow-up steps are recorded as usual.")
        }
    }

    static func requireActive(_ state: CaseState) throws(WorkflowError) {
        try requireOpen(state)
        if case .paused(let since, _) = state.status {
            throw WorkflowError(
                .casePaused, sv: "Ärendet är pausat sedan \(since).", en: "The case has been paused since \(since).",
                hintSv: "Återuppta det först: narvaro case resume \(state.code)", hintEn: "Resume it first: narvaro case resume \(state.code)")
        }
    }

    static func requireReason(_ text: String, sv: String, en: String) throws(WorkflowError) {
        if text.trimmingWhitespace.count < 2 {
            throw WorkflowError(
                .reasonRequired, sv: "Ange \(sv).", en: "Give \(en).",
                hintSv: "Skriv skälet med några ord; det sparas som en dokumenterad avvikelse eller uppgift.",
                hintEn: "Write the reason in a few words; it is kept as a documented deviation or fact.")
        }
    }

    static func requireStaffRole(_ role: String, _ programme: Programme) throws(WorkflowError) {
        guard let r = programme.role(role) else {
            let staff = programme.roles.filter { $0.kind == .staff }.map(\.id).joined(separator: ", ")
            throw WorkflowError(
                .unknownRole, sv: "Programmet har ingen roll '\(role)'.", en: "The programme has no role '\(role)'.",
                hintSv: "Personalroller: \(staff).", hintEn: "Staff roles: \(staff).")
        }
        if r.kind != .staff {
            throw WorkflowError(
                .notStaff, sv: "'\(role)' är en deltagare, inte personal.", en: "'\(role)' is a participant, not staff.")
        }
    }

    static func roleName(_ role: String, _ programme: Programme, _ language: Language) -> String {
        programme.role(role)?.title.text(language).lowercased() ?? role
    }

    static func stepName(_ step: String, _ programme: Programme, _ language: Language) -> String {
        programme.step(step).map { "\($0.title.text(language)) [\(step)]" } ?? step
    }
}
