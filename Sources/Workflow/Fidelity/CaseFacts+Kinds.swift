/// The criterion kinds that need more than a line or two.
extension CaseFacts {
    /// Each completed occurrence on or before its due date; an open occurrence past its due date counts
    /// as late. Due dates are the programme's windows, net of paused days.
    func timeliness(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        timeliness(steps: steps(of: c), id: c.id)
    }

    func timeliness(steps: [FidelityIndex.StepInfo], id: String) -> CriterionOutcome {
        var ok = 0, total = 0
        for step in steps {
            guard let v = visit(of: step) else { continue }
            var previous: Day?
            let done = done(step)
            // By index: only each completion's day is read (a copy of each would be most of the time).
            for index in done.indices {
                let on = done[index].on
                guard let due = dueDate(step, phaseStart: v.entered, occurrence: index + 1, previous: previous) else { break }
                total += 1
                // On time: not after the window closes, nor (first occurrence) before it opens.
                let opens = index == 0 ? windowOpens(step, phaseStart: v.entered) : nil
                if on <= due, opens.map({ on >= $0 }) ?? true { ok += 1 }
                previous = on
            }
            // A required occurrence still open past its due date in the current phase counts as late;
            // in a case closed as completed that is the follow-up phase, whose steps are still due.
            let followUpDue: Bool = {
                if case .closed(_, let reason) = state.status { return step.phaseIsFollowUp && reason.isCompletion }
                return false
            }()
            let open = state.currentPhase == step.phase && !state.isPaused && (!state.isClosed || followUpDue) && (state.skipped.isEmpty || state.skipped[step.id] == nil)
            let wanted = step.requirement == .required && (done.isEmpty || step.recurrence.map { r in r.max.map { done.count < $0 } ?? true } == true)
            if open, wanted, let due = dueDate(step, phaseStart: v.entered, occurrence: done.count + 1, previous: done.last?.on), due < asOf {
                total += 1
            }
        }
        return CriterionOutcome(criterion: id, compliant: ok, total: total, notAssessable: FidelityReasons.noSessions)
    }

    func dueDate(_ step: FidelityIndex.StepInfo, phaseStart: Day, occurrence: Int, previous: Day?) -> Day? {
        if occurrence > 1, let recurrence = step.recurrence, let previous {
            return state.shifted(previous, by: recurrence.every)
        }
        guard let due = step.due, let anchor = state.anchorDay(of: due, phaseStart: phaseStart) else { return nil }
        return state.shifted(anchor, by: due.to)
    }

    /// The first day of a step's first window (`from`), net of paused days; nil when it opens at once.
    func windowOpens(_ step: FidelityIndex.StepInfo, phaseStart: Day) -> Day? {
        guard let due = step.due, let from = due.from, let anchor = state.anchorDay(of: due, phaseStart: phaseStart) else { return nil }
        return state.shifted(anchor, by: from)
    }

    /// Calendar periods of `per` over the phase's time (or the whole case), skipping periods spent
    /// wholly paused; each period complies when it holds at least `min` occurrences.
    func periods(_ per: ISODuration, from: Day, to: Day) -> [(Day, Day)] {
        var result: [(Day, Day)] = []
        var start = from
        while true {
            let end = start.adding(per)
            guard end <= to, end > start else { break }
            if state.pausedDays(from: start, to: end) < end - start { result.append((start, end)) }
            start = end
        }
        return result
    }

    /// Periods of `per` (a week by default) from the case's start to its closing (or the report day),
    /// not wholly paused, that have any imported attendance for the student.
    func attendanceData(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        guard let attendance else { return .none(c.id, FidelityReasons.noAttendance) }
        var end = asOf
        if case .closed(let on, _) = state.status { end = min(on, asOf) }
        let active = periods(c.per ?? ISODuration(days: 7), from: state.opened.on, to: end)
        guard !active.isEmpty else { return .none(c.id, FidelityReasons.noFullPeriod) }
        let recorded = active.filter { attendance.totals(caseCode: state.code, from: $0.0, to: $0.1) != nil }.count
        return CriterionOutcome(criterion: c.id, compliant: recorded, total: active.count)
    }

    func dosage(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        guard let stepID = c.step, let phase = index.stepsByID[stepID]?.phase, let v = visit(phase) else {
            return .none(c.id, FidelityReasons.phaseNotReached)
        }
        let days = completions(stepID).map(\.on)
        let minimum = Int(c.min ?? 1)
        guard let per = c.per else {
            guard v.left != nil else { return .none(c.id, FidelityReasons.phaseNotFinished) }
            return .met(c.id, days.count >= minimum)
        }
        let windows = periods(per, from: v.entered, to: end(of: v))
        let ok = windows.filter { window in days.filter { $0 >= window.0 && $0 < window.1 }.count >= minimum }.count
        return CriterionOutcome(criterion: c.id, compliant: ok, total: windows.count, notAssessable: FidelityReasons.tooFewOccurrences)
    }

    func place(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        let place = c.place.flatMap(SessionFacts.Place.init(rawValue:))
        var sessions: [Day] = []
        for step in steps(of: c) {
            let done = done(step)
            // By index: a copy of each completion would cost more than the test.
            for i in done.indices where done[i].session?.place == place { sessions.append(done[i].on) }
        }
        let minimum = Int(c.min ?? 1)
        let phaseID = c.phase ?? c.step.flatMap { index.stepsByID[$0]?.phase }
        guard let phaseID, let v = visit(phaseID) else { return .none(c.id, FidelityReasons.phaseNotReached) }
        guard let per = c.per else {
            guard v.left != nil || sessions.count >= minimum else { return .none(c.id, FidelityReasons.phaseNotFinished) }
            return .met(c.id, sessions.count >= minimum)
        }
        let windows = periods(per, from: v.entered, to: end(of: v))
        let ok = windows.filter { window in sessions.filter { $0 >= window.0 && $0 < window.1 }.count >= minimum }.count
        return CriterionOutcome(criterion: c.id, compliant: ok, total: windows.count, notAssessable: FidelityReasons.phaseNotFinished)
    }

    /// Share of the case's active days (opened to closed or as-of, pauses excluded) with at least `min`
    /// people in the role.
    func staffing(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        guard let role = c.role else { return .none(c.id, FidelityReasons.noData) }
        let start = state.opened.on
        var stop = asOf
        if case .closed(let on, _) = state.status, on < stop { stop = on }
        guard stop > start else { return .none(c.id, FidelityReasons.noData) }
        let changes = state.staffHistory.filter { $0.role == role }.sorted { $0.on < $1.on }
        var ok = 0, total = 0
        var day = start
        var people: Set<String> = []
        var index = 0
        while day < stop {
            while index < changes.count, changes[index].on <= day {
                if changes[index].assigned { people.insert(changes[index].person) } else { people.remove(changes[index].person) }
                index += 1
            }
            if state.pausedDays(from: day, to: day + 1) == 0 {
                total += 1
                if people.count >= Int(c.min ?? 1) { ok += 1 }
            }
            day = day + 1
        }
        return CriterionOutcome(criterion: c.id, compliant: ok, total: total)
    }

    /// Every module the plan selected answers to a recorded SRAS-R function (from a profile score such
    /// as `f1 f4`) or to a recorded case-formulation factor.
    func moduleMatch(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        guard let formID = c.form, let field = c.field, let plan = state.forms[formID] else { return .none(c.id, FidelityReasons.noSubmissions) }
        let selected: [String]
        switch plan.answers[field] {
        case .list(let values)?: selected = values
        case .text(let value)?: selected = [value]
        default: return .none(c.id, FidelityReasons.noSubmissions)
        }
        var functions: Set<String> = []
        var factors: Set<String> = []
        for submission in state.forms.values {
            guard let form = programme.form(submission.form) else { continue }
            for score in form.scores where score.method == .highest {
                for id in (submission.scores[score.id] ?? "").split(separator: " ") {
                    functions.insert(String(id.filter(\.isNumber)))
                }
            }
            // The plan's own lists (its module ids) are what is being checked, not evidence for it.
            guard submission.form != formID else { continue }
            for (_, value) in submission.answers {
                if case .list(let values) = value { factors.formUnion(values) }
            }
        }
        guard !functions.isEmpty || !factors.isEmpty else { return .none(c.id, FidelityReasons.noProfile) }
        let matched = selected.filter { id in
            guard let module = programme.module(id) else { return false }
            return !Set(module.functions).isDisjoint(with: functions) || !Set(module.factors).isDisjoint(with: factors)
        }
        return CriterionOutcome(criterion: c.id, compliant: matched.count, total: selected.count, notAssessable: FidelityReasons.noSubmissions)
    }
}

/// Team-level kinds, still one outcome per case, so that the report counts, suppresses and
/// explains them like any other criterion and no staff member's own figure appears anywhere.
extension CaseFacts {
    /// `team-meeting`: a team meeting in every whole period of length `per` while the case was open,
    /// up to the report's day: ISO weeks (Monday to Sunday) for `P1W`, otherwise periods from the
    /// case's opening. Not assessable until the team records a meeting, nor before the case has
    /// lived one whole period.
    func teamMeetings(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        guard let team, !team.meetings.isEmpty else { return .none(c.id, FidelityReasons.noTeamMeetings) }
        let per = c.per.flatMap { $0.months > 0 || $0.days > 0 ? $0 : nil } ?? ISODuration(days: 7)
        var end = asOf + 1
        if case .closed(let on, _) = state.status, on < end { end = on + 1 }
        var start = state.opened.on
        if per == ISODuration(days: 7) {
            // The first Monday on or after the opening (day 0, 1970-01-01, was a Thursday).
            start = start + ((4 - start.number % 7) + 7) % 7
        }
        var held = 0, periods = 0
        while true {
            let next = start.adding(per)
            guard next <= end else { break }
            periods += 1
            if team.meetingHeld(from: start, to: next) { held += 1 }
            start = next
        }
        return CriterionOutcome(criterion: c.id, compliant: held, total: periods, notAssessable: FidelityReasons.noFullPeriod)
    }

    /// `supervision`: of the people in `role` on an active case, how many had supervision in the
    /// last period of length `per` up to the report's day.
    func supervision(_ c: FidelityIndex.CriterionInfo) -> CriterionOutcome {
        guard FidelityAggregate.isActive(state, asOf: asOf) else { return .none(c.id, FidelityReasons.notActive) }
        let people = Set(state.staff[c.role ?? ""] ?? [])
        guard !people.isEmpty else { return .none(c.id, FidelityReasons.noneInRole) }
        guard let team, team.hasSupervision else { return .none(c.id, FidelityReasons.noSupervision) }
        let per = c.per.flatMap { $0.months > 0 || $0.days > 0 ? $0 : nil } ?? ISODuration(days: 30)
        let from = asOf.adding(ISODuration(months: -per.months, days: -per.days)) + 1
        return CriterionOutcome(criterion: c.id, compliant: people.filter { team.supervised($0, from: from, to: asOf) }.count, total: people.count)
    }
}
