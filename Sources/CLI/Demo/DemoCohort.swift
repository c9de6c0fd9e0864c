import Forms
import Foundation
import Store
import Workflow

/// Drives a synthetic cohort through a programme, the way a team's year might look: cases opened
/// over eleven months in three schools, sessions held (and some cancelled), steps late or skipped,
/// gates met or overridden, pauses, drop-outs, and weekly attendance that is low before and climbs
/// during the programme.
struct DemoCohort {
    let store: CaseStore
    let programme: Programme
    let programmeID: String
    let today: Day
    var rng: DemoRandom
    let evaluator = XPathEvaluator()
    static let schools = ["Exempelskolan", "Testby skola", "Påhittebo skola"]
    static let reasons = [
        "Familjen bad om uppskov; teamet dokumenterade beslutet", "Eleven var sjuk; samtalet gjordes i förkortad form",
        "Skolan kunde inte delta; informationen togs i telefon", "Teamet bedömde att steget inte behövdes i det här ärendet",
    ]

    var therapistPool = 6

    init(store: CaseStore, programme: Programme, programmeID: String, today: Day, seed: UInt64) {
        self.store = store
        self.programme = programme
        self.programmeID = programmeID
        self.today = today
        rng = DemoRandom(state: seed)
    }

    func stamp(_ actor: String) -> Stamp {
        Stamp(commandID: UUID().uuidString, actor: actor, recordedAt: Clock.now(), today: today)
    }

    /// Runs a command; a refusal is simply not recorded (the demo tries something else).
    @discardableResult
    func run(_ command: CaseCommand, _ code: String, actor: String = "Demo Processledare") -> CaseState? {
        try? store.execute(command, case: code, stamp: stamp(actor), evaluator: evaluator, attendance: store.attendance).state
    }

    mutating func make(cases count: Int) throws(StoreError) -> (cases: Int, records: Int) {
        var records = 0
        // A team about the size the manual asks for: roughly five cases per therapist, two per case,
        // so most caseloads hold and a few do not.
        therapistPool = max(6, (count * 2 + 4) / 5)
        for n in 0..<count {
            records += try makeCase(n)
        }
        try makeTeamLog(from: today + -345)
        return (count, records)
    }

    /// The team's own log over the demo year: a team meeting most Tuesdays (none in the summer
    /// holiday, a few missed), and supervision for each therapist about every four weeks, sometimes late.
    mutating func makeTeamLog(from first: Day) throws(StoreError) {
        var day = first
        while day.number % 7 != 5 { day = day + 1 }  // 1970-01-01 was a Thursday: 5 is a Tuesday
        while day <= today {
            let month = Int(day.description.dropFirst(5).prefix(2)) ?? 0
            let summer = month == 7 || (month == 6 && day.description.suffix(2) >= "20") || (month == 8 && day.description.suffix(2) < "15")
            if !summer, rng.chance(92) { try store.recordTeam(.meetingHeld(on: day), stamp: stamp("Demo Processledare")) }
            day = day + 7
        }
        for n in 1...therapistPool {
            var next = first + rng.int(28)
            while next <= today {
                try store.recordTeam(.supervisionHeld(person: "Demo Behandlare \(n)", on: next), stamp: stamp("Demo Processledare"))
                next = next + 24 + rng.int(rng.chance(80) ? 10 : 30)
            }
        }
    }

    mutating func makeCase(_ n: Int) throws(StoreError) -> Int {
        let opened = today + -(12 + rng.int(330))
        let outcome = try store.openCase(
            programmeID: programmeID, identity: .init(name: DemoPeople.name(n), personnummer: DemoPeople.personnummer(n).canonical),
            school: Self.schools[n % Self.schools.count], grade: 6 + rng.int(4), referredBy: ReferralSource.allCases[rng.int(4)], on: opened,
            stamp: stamp("Demo Processledare"), evaluator: evaluator)
        let code = outcome.code
        let records = try importAttendance(code, opened: opened)
        var state = outcome.state
        var day = opened
        let therapists = ["Demo Behandlare \(1 + n % therapistPool)", "Demo Behandlare \(1 + (n + 1) % therapistPool)"]
        state = run(.assign(role: "behandlare", person: therapists[0], on: day), code) ?? state
        if rng.chance(90) { state = run(.assign(role: "behandlare", person: therapists[1], on: day + 1), code) ?? state }
        state = run(.assign(role: "processledare", person: "Demo Processledare", on: day), code) ?? state
        for consent in programme.consents where rng.chance(85) {
            state = run(.recordConsent(consent: consent.id, givenBy: "vardnadshavare-1", validFrom: day + 2, validUntil: nil, on: day + 2), code) ?? state
        }
        let dropsOut = rng.chance(12)
        let pausesAt = rng.chance(15) ? rng.int(150) + 20 : nil
        var steps = 0
        while day < today, !state.isClosed || (state.currentPhase.flatMap { programme.phase($0) }?.isFollowUp ?? false) {
            steps += 1
            if steps > 2000 { break }
            if let pause = pausesAt, day >= opened + pause, state.pauses.isEmpty, !state.isClosed {
                state = run(.pause(reason: "Sjukdom", on: day), code) ?? state
                day = day + 14 + rng.int(10)
                if day >= today { break }
                state = run(.resume(on: day), code) ?? state
            }
            if dropsOut, !state.isClosed, day > opened + 40, rng.chance(8) {
                let reason: CloseReason = [.moved, .declined, .droppedOut, .referredElsewhere][rng.int(4)]
                state = run(.close(reason: reason, on: day), code) ?? state
                break
            }
            let agenda = CaseMachine.agenda(state, programme: programme, today: day, evaluator: evaluator)
            if let item = agenda.actionable.first(where: { $0.completed < max(1, $0.minimumOccurrences ?? 1) || rng.chance(25) }) {
                // Several components a week in treatment; now and then a step is late.
                let wait = (item.minimumOccurrences != nil ? rng.int(3) : 1 + rng.int(4)) + (rng.chance(10) ? 8 + rng.int(12) : 0)
                let earliest = max(day, item.earliest ?? day)
                let on = min(earliest + wait, today)
                guard on < today || on == today else { break }
                day = on
                state = complete(item.step, code, on: on, state: state) ?? state
                continue
            }
            if let waiting = agenda.items.first(where: { if case .needsConsent = $0.status { true } else { false } }) {
                if case .needsConsent(let ids) = waiting.status {
                    for id in ids { state = run(.recordConsent(consent: id, givenBy: "vardnadshavare-1", validFrom: day, validUntil: nil, on: day), code) ?? state }
                }
                continue
            }
            for item in agenda.unmetRequirements {
                state = run(.skipStep(step: item.step, reason: Self.reasons[rng.int(Self.reasons.count)], on: day), code) ?? state
            }
            if state.isClosed { break }
            day = min(day + 2 + rng.int(5), today)
            if let next = run(.advance(on: day, override: nil), code) {
                state = next
            } else if let next = run(.close(reason: .completed, on: day), code) {
                state = next
            } else if rng.chance(70), let next = run(.advance(on: day, override: Self.reasons[rng.int(Self.reasons.count)]), code, actor: "Demo Teamledare") {
                state = next
            } else {
                day = min(day + 7, today)
                if day >= today { break }
            }
        }
        return records
    }

    /// One session or step, with its forms, session facts and checklist; now and then cancelled.
    mutating func complete(_ stepID: String, _ code: String, on: Day, state: CaseState) -> CaseState? {
        guard let step = programme.step(stepID) else { return nil }
        let actor = "Demo Behandlare \(1 + rng.int(6))"
        if step.isSession, rng.chance(9) {
            let by = SessionFacts.CancelledBy.allCases[rng.int(4)]
            _ = run(.recordCancellation(session: UUID().uuidString, step: stepID, on: on, by: by), code, actor: actor)
        }
        var synthetic = SyntheticAnswers(rng: rng)
        var forms: [String: FormAnswers] = [:]
        for formID in step.forms {
            guard let form = programme.form(formID) else { continue }
            forms[formID] = synthetic.complete(form, programme: programme, on: on)
        }
        rng = synthetic.rng
        var facts: SessionFacts?
        if step.isSession {
            let home = step.title.sv.lowercased().contains("hem")
            let place: SessionFacts.Place = home && rng.chance(85) ? .hem : [.skola, .kontor, .digitalt, .hem, .telefon][rng.int(5)]
            facts = SessionFacts(
                minutes: 40 + 5 * rng.int(11), start: "\(9 + rng.int(7)):00", place: place, participants: step.participants,
                bothPractitioners: rng.chance(70))
        }
        var checklist: [String: ChecklistMark] = [:]
        for item in step.checklist {
            guard let id = item.id else { continue }
            let roll = rng.int(100)
            checklist[id] = roll < 84 ? .delivered : roll < 93 ? .notDelivered : .notApplicable
        }
        let deviation = rng.chance(5) ? Self.reasons[rng.int(Self.reasons.count)] : nil
        let record = StepRecord(step: stepID, on: on, forms: forms, session: facts, checklist: checklist, deviation: deviation)
        if let next = run(.completeStep(record), code, actor: actor) { return next }
        // Answers the demo could not make complete: record the step without them.
        return run(.completeStep(StepRecord(step: stepID, on: on, session: facts, checklist: checklist)), code, actor: actor)
    }

    /// Weekly attendance from twelve weeks before the case to today: low before, climbing during the
    /// programme towards a target, a little lower after; some weeks missing.
    mutating func importAttendance(_ code: String, opened: Day) throws(StoreError) -> Int {
        let monday = opened + -(((opened.number + 3) % 7 + 7) % 7) + -84
        let before = Double(10 + rng.int(35)) / 100
        let target = Double(55 + rng.int(40)) / 100
        let longAbsence = rng.chance(25)
        var records: [AttendanceRecord] = []
        var week = monday
        var index = 0
        while week + 6 < today {
            defer { week = week + 7; index += 1 }
            if rng.chance(4) { continue }
            let share: Double
            if week < opened {
                share = longAbsence && week + 35 >= opened ? 0 : before
            } else {
                let progress = min(1, Double(week - opened) / 180)
                share = before + (target - before) * progress
            }
            let scheduled = 1500.0
            let attended = (scheduled * min(1, max(0, share + Double(rng.int(11) - 5) / 100))).rounded()
            let absent = scheduled - attended
            let valid = (absent * 0.3).rounded()
            records.append(AttendanceRecord(
                line: index + 2, student: .caseCode(code), from: week, to: week + 6, unit: .minutes, scheduled: scheduled, attended: attended,
                validAbsence: valid, invalidAbsence: absent - valid))
        }
        guard !records.isEmpty else { return 0 }
        if case .rejected(let problems) = try store.importAttendance(records: records, file: "demo-narvaro.csv", recordedAt: Clock.now()) {
            throw StoreError.io("the demo's attendance did not import: \(problems.first?.message.en ?? "?")")
        }
        return records.count
    }
}
