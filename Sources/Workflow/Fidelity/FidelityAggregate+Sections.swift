/// The outcomes section, and the small sums the report's sections share.
extension FidelityAggregate {
    /// The outcomes section summed over cases: attendance before, during and after, long absence,
    /// cases per phase, closures by reason, students reached.
    struct OutcomeTally {
        var before = (0.0, 0.0), during = (0.0, 0.0), after = (0.0, 0.0)
        var withData = [0, 0, 0]
        var longAtStart = 0, longNow = 0
        var perPhase: [String: Int] = [:]
        var closedBy: [String: Int] = [:]
        var reached = 0

        mutating func add(_ c: ReportCase, asOf: Day, filter: Filter, attendance: AttendanceHistory?) {
            let s = c.state
            let opened = s.opened.on
            var closed: Day?
            if case .closed(let on, let reason) = s.status, on <= asOf {
                closed = on
                closedBy[reason.rawValue, default: 0] += 1
            }
            if filter.from.map({ opened >= $0 }) ?? true { reached += 1 }
            let phase = s.isClosed && !(s.currentPhase.flatMap { c.programme.phase($0) }?.isFollowUp ?? false) ? "avslutade" : (s.currentPhase ?? "?")
            perPhase[phase, default: 0] += 1
            guard let attendance else { return }
            if let t = attendance.totals(caseCode: s.code, from: opened + (-84), to: opened), t.scheduled > 0 {
                before.0 += t.scheduled; before.1 += t.attended; withData[0] += 1
            }
            let end = closed ?? asOf
            if end > opened, let t = attendance.totals(caseCode: s.code, from: opened, to: end), t.scheduled > 0 {
                during.0 += t.scheduled; during.1 += t.attended; withData[1] += 1
            }
            if let closed, asOf > closed, let t = attendance.totals(caseCode: s.code, from: closed, to: asOf), t.scheduled > 0 {
                after.0 += t.scheduled; after.1 += t.attended; withData[2] += 1
            }
            if isAbsentFourWeeks(attendance, s.code, endingOn: opened) { longAtStart += 1 }
            if isAbsentFourWeeks(attendance, s.code, endingOn: asOf) { longNow += 1 }
        }

        mutating func merge(_ other: OutcomeTally) {
            before = (before.0 + other.before.0, before.1 + other.before.1)
            during = (during.0 + other.during.0, during.1 + other.during.1)
            after = (after.0 + other.after.0, after.1 + other.after.1)
            for i in withData.indices { withData[i] += other.withData[i] }
            longAtStart += other.longAtStart
            longNow += other.longNow
            perPhase.merge(other.perPhase, uniquingKeysWith: +)
            closedBy.merge(other.closedBy, uniquingKeysWith: +)
            reached += other.reached
        }

        func report() -> FidelityReport.Outcomes {
            func share(_ t: (Double, Double)) -> Double? { t.0 > 0 ? 100 * t.1 / t.0 : nil }
            return FidelityReport.Outcomes(
                attendanceBefore: share(before), attendanceDuring: share(during), attendanceAfter: share(after), casesWithAttendance: withData,
                longAbsenceAtStart: longAtStart, longAbsenceNow: longNow, casesPerPhase: perPhase, studentsReached: reached, closedByReason: closedBy)
        }
    }

    /// No attendance at all in each of the four weeks ending on `day`.
    static func isAbsentFourWeeks(_ attendance: AttendanceHistory, _ code: String, endingOn day: Day) -> Bool {
        for week in 0..<4 {
            let end = day + (-7 * week)
            guard let t = attendance.totals(caseCode: code, from: end + (-7), to: end), t.scheduled > 0, t.attended == 0 else { return false }
        }
        return true
    }

    /// The median of values given as value → how many times it occurs.
    static func median(counts: [Int: Int]) -> Double? {
        let n = counts.values.reduce(0, +)
        guard n > 0 else { return nil }
        // The values at places (n - 1) / 2 and n / 2 (0-based) of the sorted list.
        var seen = 0
        var low: Int?
        for (value, count) in counts.sorted(by: { $0.key < $1.key }) {
            seen += count
            if low == nil, seen > (n - 1) / 2 { low = value }
            if seen > n / 2 { return Double(low! + value) / 2 }
        }
        return nil
    }
}
