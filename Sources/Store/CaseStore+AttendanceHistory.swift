import GRDB
import Workflow

/// Attendance per case, read once for a whole report.
struct StoreAttendanceHistory: AttendanceHistory {
    struct Period: Sendable {
        var from: Day
        var scheduled: Double
        var attended: Double
    }

    let periods: [String: [Period]]

    /// Scheduled and attended time of the periods that begin within `from..<to`.
    func totals(caseCode: String, from: Day, to: Day) -> (scheduled: Double, attended: Double)? {
        guard let list = periods[caseCode] else { return nil }
        var scheduled = 0.0, attended = 0.0, any = false
        for p in list where p.from >= from && p.from < to {
            scheduled += p.scheduled
            attended += p.attended
            any = true
        }
        return any ? (scheduled, attended) : nil
    }
}

extension CaseStore {
    /// Every case's attendance periods (through the case's personnummer), for the report's outcomes.
    public var attendanceHistory: AttendanceHistory? {
        let rows = try? read { db in
            try Row.fetchAll(db, sql: """
                SELECT i.code AS code, a.period_from AS period_from, a.scheduled AS scheduled, a.attended AS attended
                FROM identities i JOIN attendance_students s ON s.personnummer = i.personnummer JOIN attendance a ON a.student = s.id
                """)
        }
        guard let rows, !rows.isEmpty else { return nil }
        var periods: [String: [StoreAttendanceHistory.Period]] = [:]
        for row in rows {
            guard let from = Day(row["period_from"] as String) else { continue }
            periods[row["code"], default: []].append(.init(from: from, scheduled: row["scheduled"], attended: row["attended"]))
        }
        return StoreAttendanceHistory(periods: periods)
    }
}
