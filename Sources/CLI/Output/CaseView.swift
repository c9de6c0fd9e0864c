import Foundation
import Store
import Workflow

/// A case as the team reads it: where it is, what to do next and by when, what is late, what happened.
struct CaseView {
    let state: CaseState
    let programme: Programme
    let language: Language
    let today: Day
    /// Imported school attendance, for conditions such as `attendance-percent('P2W')`.
    var attendance: AttendanceSource? = nil

    private func t(_ sv: String, _ en: String) -> String { language == .sv ? sv : en }

    var agenda: CaseAgenda {
        CaseMachine.agenda(state, programme: programme, today: today, evaluator: XPathEvaluator(), attendance: attendance)
    }

    func stepTitle(_ id: String) -> String { programme.step(id)?.title.text(language) ?? id }

    func phaseTitle(_ id: String?) -> String { id.flatMap { programme.phase($0)?.title.text(language) } ?? "–" }

    var statusText: String {
        switch state.status {
        case .active: return t("aktivt", "active")
        case .paused(let since, let reason): return t("pausat sedan \(since) (\(reason))", "paused since \(since) (\(reason))")
        case .closed(let on, let reason):
            if CaseSummary.isFollowedUp(state, programme: programme, today: today, agenda: agenda) {
                return t("avslutat \(on) och uppföljt", "closed on \(on) and followed up")
            }
            return t("avslutat \(on) (\(reason.rawValue))", "closed on \(on) (\(reason.rawValue))")
        }
    }

    /// "Next:" lines: what can be done now (overdue first), with due dates.
    func nextSteps(limit: Int) -> String {
        let agenda = self.agenda
        let actionable = agenda.actionable
        var out: [String] = []
        out.append(t("Fas: ", "Phase: ") + phaseTitle(state.currentPhase) + " · " + t("status: ", "status: ") + statusText)
        if actionable.isEmpty {
            let waiting = agenda.items.filter { if case .available = $0.status { false } else if case .done = $0.status { false } else { true } }
            if agenda.unmetRequirements.isEmpty, !state.isClosed {
                out.append(t("Fasens steg är klara. Nästa: narvaro case advance \(state.code)", "The phase's steps are done. Next: narvaro case advance \(state.code)"))
            } else if waiting.isEmpty {
                out.append(t("Inget att göra just nu.", "Nothing to do right now."))
            }
        } else {
            out.append(t("Nästa:", "Next:"))
            for item in actionable.prefix(limit) {
                let text = line(item)
                let prefix = String(text.prefix(2))
                let wrapped = Console.wrap(String(text.dropFirst(2)), indent: 4)
                out.append(prefix + wrapped.dropFirst(4))
            }
            if actionable.count > limit { out.append(t("  … och \(actionable.count - limit) till (narvaro case show \(state.code))", "  … and \(actionable.count - limit) more (narvaro case show \(state.code))")) }
        }
        return out.joined(separator: "\n")
    }

    func line(_ item: CaseAgenda.Item) -> String {
        var s = (item.isOverdue ? "! " : "  ") + stepTitle(item.step) + " [\(item.step)]"
        if let minimum = item.minimumOccurrences {
            s += t(" – tillfälle \(item.nextOccurrence) av minst \(minimum)", " – occurrence \(item.nextOccurrence) of at least \(minimum)")
        }
        if let due = item.due {
            if item.isOverdue {
                s += t(" – försenat, skulle vara klart \(due) (\(today - due) dagar sedan)", " – overdue, due \(due) (\(today - due) days ago)")
            } else {
                s += t(" – senast \(due)", " – due \(due)")
            }
        }
        return s
    }

    func full(events: [StoredEvent]) -> String {
        let agenda = self.agenda
        var out: [String] = []
        out.append(t("Ärende ", "Case ") + state.code + " · " + programme.title.text(language) + " \(state.opened.programmeVersion)")
        out.append(t("Skola: ", "School: ") + state.opened.school + " · " + t("årskurs ", "grade ") + "\(state.opened.grade)"
            + " · " + t("aktualiserat av ", "referred by ") + state.opened.referredBy.name(language) + " · " + t("öppnat ", "opened ") + "\(state.opened.on)")
        var phaseLine = t("Fas: ", "Phase: ") + phaseTitle(state.currentPhase)
        if let entered = state.phaseEntered {
            phaseLine += t(" sedan \(entered)", " since \(entered)")
            let days = today - entered - state.pausedDays(from: entered, to: today)
            phaseLine += t(" (dag \(days + 1))", " (day \(days + 1))")
        }
        out.append(phaseLine + " · " + t("status: ", "status: ") + statusText)
        if !state.staff.isEmpty {
            let staff = state.staff.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }.map { role, people in
                (programme.role(role)?.title.text(language) ?? role) + ": " + people.joined(separator: ", ")
            }
            out.append(t("Personal: ", "Staff: ") + staff.joined(separator: "; "))
        }
        out.append("")
        let actionable = agenda.actionable
        out.append(t("ATT GÖRA NU (försenat först)", "TO DO NOW (overdue first)"))
        if actionable.isEmpty { out.append(t("  –", "  –")) }
        for item in actionable { out.append("  " + line(item)) }
        let blocked = agenda.items.compactMap { item -> String? in
            switch item.status {
            case .waiting(let steps):
                return "  " + stepTitle(item.step) + " [\(item.step)] – " + t("väntar på ", "waits for ") + steps.map(stepTitle).joined(separator: ", ")
            case .needsConsent(let consents):
                let names = consents.map { id in programme.consent(id)?.title.text(language) ?? id }
                return "  " + stepTitle(item.step) + " [\(item.step)] – " + t("kräver samtycke: ", "needs consent: ") + names.joined(separator: ", ")
            default:
                return nil
            }
        }
        if !blocked.isEmpty {
            out.append("")
            out.append(t("VÄNTAR", "WAITING"))
            out += blocked
        }
        let done = agenda.items.filter { $0.completed > 0 || $0.status == .skipped || $0.status == .notApplicable }
        if !done.isEmpty {
            out.append("")
            out.append(t("KLART I FASEN", "DONE IN THE PHASE"))
            for item in done {
                var s = "  " + stepTitle(item.step) + " [\(item.step)]"
                switch item.status {
                case .skipped: s += t(" – överhoppat", " – skipped")
                case .notApplicable: s += t(" – gäller inte ärendet", " – does not apply")
                default: s += t(" – \(item.completed) gång\(item.completed == 1 ? "" : "er")", " – \(item.completed) time\(item.completed == 1 ? "" : "s")")
                }
                out.append(s)
            }
        }
        out.append("")
        out.append(t("TIDSLINJE", "TIMELINE"))
        // By the day things happened (something recorded afterwards with --date takes its place),
        // in the order they were recorded within a day.
        let chronological = events.enumerated().sorted { ($0.element.event.day ?? .init(0), $0.offset) < ($1.element.event.day ?? .init(0), $1.offset) }
        for (_, stored) in chronological { if let line = timelineLine(stored) { out.append("  " + line) } }
        if !state.deviations.isEmpty {
            out.append("")
            out.append(t("AVVIKELSER", "DEVIATIONS"))
            for d in state.deviations {
                let kind: String
                switch d.kind {
                case .stepSkipped: kind = t("steg överhoppat: ", "step skipped: ") + stepTitle(d.subject)
                case .gateOverridden: kind = t("fas lämnad trots ouppfyllda krav: ", "phase left with unmet requirements: ") + phaseTitle(d.subject)
                case .sessionDeviation: kind = t("avvikelse i ", "deviation in ") + stepTitle(d.subject)
                }
                out.append("  \(d.on) \(kind) – " + t("skäl: ", "reason: ") + d.reason + (d.actor.map { " (\($0))" } ?? ""))
            }
        }
        return out.joined(separator: "\n")
    }

    /// One line of the timeline, or nil for the details of a guided session (each answer is an
    /// event; the timeline shows the session's start, pause, cancellation and completion).
    func timelineLine(_ stored: StoredEvent) -> String? {
        let e = stored.event
        let text: String
        switch e {
        case .sessionStarted(let s): text = t("Session påbörjad: ", "Session begun: ") + stepTitle(s.step)
        case .sessionPaused: text = t("Session pausad", "Session paused")
        case .sessionCancelled(_, _, let by): text = t("Session inställd av ", "Session cancelled by ") + by.name(language)
        case .answerRecorded, .sessionFactsRecorded, .checklistMarked: return nil
        case .caseOpened(let o): text = t("Ärendet öppnat (\(o.referredBy.name(language)))", "Case opened (\(o.referredBy.name(language)))")
        case .phaseEntered(let phase, _): text = t("Fas: ", "Phase: ") + phaseTitle(phase)
        case .stepCompleted(let c):
            var s = stepTitle(c.step) + (c.occurrence > 1 ? " #\(c.occurrence)" : "")
            if let minutes = c.session?.minutes { s += ", \(minutes) min" }
            if let place = c.session?.place { s += ", \(place.rawValue)" }
            text = s
        case .stepSkipped(let step, _, _): text = t("Överhoppat: ", "Skipped: ") + stepTitle(step)
        case .gateOverridden(let phase, _, _, _): text = t("Grind förbigången: ", "Gate overridden: ") + phaseTitle(phase)
        case .casePaused(_, let reason): text = t("Pausat: ", "Paused: ") + reason
        case .caseResumed: text = t("Återupptaget", "Resumed")
        case .caseClosed(_, let reason): text = t("Avslutat: ", "Closed: ") + reason.rawValue
        case .staffAssigned(let role, let person, _): text = "\(person): \(programme.role(role)?.title.text(language) ?? role)"
        case .staffUnassigned(let role, let person, _): text = "\(person): " + t("inte längre ", "no longer ") + (programme.role(role)?.title.text(language) ?? role)
        case .consentRecorded(let c): text = t("Samtycke: ", "Consent: ") + (programme.consent(c.consent)?.title.text(language) ?? c.consent) + (c.validUntil.map { t(" till \($0)", " until \($0)") } ?? "")
        case .consentRevoked(let id, _): text = t("Samtycke återkallat: ", "Consent revoked: ") + (programme.consent(id)?.title.text(language) ?? id)
        case .concernReported: text = t("Orosanmälan gjord", "Report of concern filed")
        }
        return "\(e.day.map(\.description) ?? "") \(text) — \(stored.actor)"
    }

    func json(events: [StoredEvent]) throws -> String {
        struct Item: Encodable { var step: String; var status: String; var due: String?; var overdue: Bool; var completed: Int }
        struct Output: Encodable {
            var code: String; var programme: String; var version: String; var school: String; var grade: Int
            var phase: String?; var status: String; var agenda: [Item]; var events: [CaseEvent]; var version_: Int
            var deviations: Int
            enum CodingKeys: String, CodingKey { case code, programme, version, school, grade, phase, status, agenda, events, deviations, version_ = "eventCount" }
        }
        let items = agenda.items.map { item -> Item in
            let status: String
            switch item.status {
            case .available: status = "available"
            case .waiting: status = "waiting"
            case .needsConsent: status = "needs-consent"
            case .notApplicable: status = "not-applicable"
            case .done: status = "done"
            case .skipped: status = "skipped"
            }
            return Item(step: item.step, status: status, due: item.due?.description, overdue: item.isOverdue, completed: item.completed)
        }
        let status: String
        switch state.status {
        case .active: status = "active"
        case .paused: status = "paused"
        case .closed: status = "closed"
        }
        let output = Output(
            code: state.code, programme: programme.id, version: state.opened.programmeVersion, school: state.opened.school,
            grade: state.opened.grade, phase: state.currentPhase, status: status, agenda: items, events: events.map(\.event),
            version_: state.version, deviations: state.deviations.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
}

/// One line of `narvaro case list`.
struct CaseSummary: Encodable {
    var code: String
    var school: String
    var grade: Int
    var phase: String?
    var status: String
    var nextDue: String?
    var overdue: Int

    init(state: CaseState, programme: Programme, today: Day, evaluator: XPathEvaluator, attendance: AttendanceSource? = nil) {
        let agenda = CaseMachine.agenda(state, programme: programme, today: today, evaluator: evaluator, attendance: attendance)
        code = state.code
        school = state.opened.school
        grade = state.opened.grade
        phase = state.currentPhase
        switch state.status {
        case .active: status = "active"
        case .paused: status = "paused"
        case .closed: status = Self.isFollowedUp(state, programme: programme, today: today, agenda: agenda) ? "followed-up" : "closed"
        }
        nextDue = agenda.actionable.compactMap(\.due).min()?.description
        overdue = agenda.overdue.count
    }

    /// Closed as completed, and every required follow-up step done: the case is followed up (uppföljt).
    static func isFollowedUp(_ state: CaseState, programme: Programme, today: Day, agenda: CaseAgenda? = nil) -> Bool {
        guard case .closed(_, let reason) = state.status, reason.isCompletion,
              let phase = state.currentPhase.flatMap({ programme.phase($0) }), phase.isFollowUp else { return false }
        let agenda = agenda ?? CaseMachine.agenda(state, programme: programme, today: today, evaluator: XPathEvaluator())
        return agenda.unmetRequirements.isEmpty
    }

    static func json(_ rows: [CaseSummary]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }

    static func table(_ rows: [CaseSummary], language: Language) -> String {
        let sv = language == .sv
        guard !rows.isEmpty else { return sv ? "Inga ärenden." : "No cases." }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? String(s.prefix(n)) : s + String(repeating: " ", count: n - s.count) }
        var out = [pad(sv ? "ÄRENDE" : "CASE", 15) + pad(sv ? "SKOLA" : "SCHOOL", 18) + pad(sv ? "ÅK" : "GR", 4)
            + pad(sv ? "FAS" : "PHASE", 16) + pad(sv ? "NÄSTA" : "NEXT", 12) + (sv ? "FÖRSENAT" : "OVERDUE")]
        for r in rows {
            let status: String
            switch r.status {
            case "active": status = r.phase ?? "–"
            case "paused": status = sv ? "pausat" : "paused"
            case "followed-up": status = sv ? "uppföljt" : "followed up"
            default: status = sv ? "avslutat" : "closed"
            }
            out.append(pad(r.code, 15) + pad(r.school, 18) + pad(String(r.grade), 4) + pad(status, 16) + pad(r.nextDue ?? "–", 12)
                + (r.overdue > 0 ? "\(r.overdue)" : "–"))
        }
        return out.joined(separator: "\n")
    }
}
