import Foundation
import GRDB
import Workflow

/// What an attendance import did.
public struct AttendanceImport: Hashable, Sendable {
    /// Rows for a student and period not seen before.
    public var inserted = 0
    /// Rows that replaced different figures for the same student and period.
    public var changed = 0
    /// Rows exactly as stored already.
    public var unchanged = 0
    /// Different students in the file, and how many of them have no case.
    public var students = 0
    public var studentsWithoutCase = 0

    public init() {}

    /// Imported, or refused with every problem (then nothing was stored).
    public enum Outcome: Hashable, Sendable {
        case imported(AttendanceImport)
        case rejected([AttendanceProblem])
    }
}

/// A student known from the attendance files, with the rows the screening needs.
public struct AttendanceStudent: Sendable {
    public var personnummer: Personnummer
    /// From the attendance file, else from the student's case.
    public var name: String?
    /// The codes of the student's cases that are not closed.
    public var openCases: [String]
    public var records: [AttendanceRecord]
}

extension CaseStore {
    /// Imports parsed attendance rows, all or nothing, in one transaction under the writer lock. A
    /// case code is stored under its student's personnummer; an unknown case code, and a period that
    /// overlaps another of the same student, are problems with the row's line. The same student and
    /// period again replaces the old figures (counted as changed) or leaves them (unchanged).
    public func importAttendance(
        records: [AttendanceRecord], file: String, recordedAt: String
    ) throws(StoreError) -> AttendanceImport.Outcome {
        try attendanceWrite { db in
            let (rows, problems) = try Self.resolve(records, db)
            guard problems.isEmpty else { return .rejected(problems) }
            var result = AttendanceImport()
            let keys = Set(rows.map(\.key))
            result.students = keys.count
            result.studentsWithoutCase = try keys.filter { try !Self.hasCase(personnummer: $0, db) }.count
            for (key, record) in rows {
                try db.execute(
                    sql: "INSERT INTO attendance_students (personnummer, name) VALUES (?, ?) ON CONFLICT(personnummer) DO NOTHING",
                    arguments: [key, record.name])
                let student = try Int64.fetchOne(db, sql: "SELECT id FROM attendance_students WHERE personnummer = ?", arguments: [key]) ?? 0
                if let name = record.name {
                    try db.execute(
                        sql: "UPDATE attendance_students SET name = ? WHERE id = ? AND name IS NOT ?", arguments: [name, student, name])
                }
                let period: [(any DatabaseValueConvertible)?] = [student, record.from.description, record.to.description]
                if let old = try Row.fetchOne(
                    db, sql: "SELECT unit, scheduled, attended, valid_absence, invalid_absence FROM attendance WHERE student = ? AND period_from = ? AND period_to = ?",
                    arguments: StatementArguments(period))
                {
                    let stored = AttendanceRecord(
                        student: record.student, from: record.from, to: record.to, unit: AttendanceRecord.Unit(rawValue: old["unit"]) ?? .minutes,
                        scheduled: old["scheduled"], attended: old["attended"], validAbsence: old["valid_absence"], invalidAbsence: old["invalid_absence"])
                    if stored.sameFigures(as: record) {
                        result.unchanged += 1
                        continue
                    }
                    try db.execute(
                        sql: """
                            UPDATE attendance SET unit = ?, scheduled = ?, attended = ?, valid_absence = ?, invalid_absence = ?, imported_at = ?, file = ?
                            WHERE student = ? AND period_from = ? AND period_to = ?
                            """,
                        arguments: StatementArguments(Self.figures(record) + [recordedAt, file] + period))
                    result.changed += 1
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO attendance (unit, scheduled, attended, valid_absence, invalid_absence, imported_at, file, student, period_from, period_to)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: StatementArguments(Self.figures(record) + [recordedAt, file] + period))
                    result.inserted += 1
                }
            }
            return .imported(result)
        }
    }

    /// The problems `importAttendance` would report for these rows (unknown case codes, overlapping
    /// periods), without writing anything: for a file that has other problems too.
    public func attendanceProblems(records: [AttendanceRecord]) throws(StoreError) -> [AttendanceProblem] {
        try runRead { db in try Self.resolve(records, db).problems }
    }

    /// The rows of the case's student whose period ends within `from…to`.
    public func attendanceRecords(caseCode: String, endingFrom from: Day, to: Day) throws(StoreError) -> [AttendanceRecord] {
        try runRead { db in
            try Row.fetchAll(db, sql: """
                SELECT a.* FROM attendance a
                JOIN attendance_students s ON s.id = a.student
                JOIN identities i ON i.personnummer = s.personnummer
                WHERE i.code = ? AND a.period_to BETWEEN ? AND ?
                ORDER BY a.period_from
                """, arguments: [caseCode, from.description, to.description]
            ).compactMap { Self.record($0, student: .caseCode(caseCode)) }
        }
    }

    /// Every student with rows whose period ends within `from…to`, with those rows and the student's
    /// open cases (a case is open until it is closed; a paused case is open).
    public func attendanceStudents(endingFrom from: Day, to: Day) throws(StoreError) -> [AttendanceStudent] {
        var (students, codes) = try runRead { db -> ([AttendanceStudent], [String: [String]]) in
            var students: [AttendanceStudent] = []
            var byID: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT a.*, s.personnummer, COALESCE(s.name, (SELECT name FROM identities i WHERE i.personnummer = s.personnummer ORDER BY i.code DESC LIMIT 1)) AS student_name
                FROM attendance a JOIN attendance_students s ON s.id = a.student
                WHERE a.period_to BETWEEN ? AND ?
                ORDER BY s.personnummer, a.period_from
                """, arguments: [from.description, to.description])
            {
                let id: Int64 = row["student"]
                if byID[id] == nil {
                    guard case .success(let personnummer) = Personnummer.parse(row["personnummer"], today: 0) else { continue }
                    byID[id] = students.count
                    students.append(AttendanceStudent(personnummer: personnummer, name: row["student_name"], openCases: [], records: []))
                }
                let index = byID[id]!
                if let record = Self.record(row, student: .personnummer(students[index].personnummer)) {
                    students[index].records.append(record)
                }
            }
            var codes: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT code, personnummer FROM identities ORDER BY code") {
                codes[row["personnummer"], default: []].append(row["code"])
            }
            return (students, codes)
        }
        for index in students.indices {
            for code in codes.removeValue(forKey: students[index].personnummer.canonical) ?? [] where try !caseState(code).state.isClosed {
                students[index].openCases.append(code)
            }
        }
        return students
    }

    /// What the store holds: students, rows and the last day any row reaches.
    public func attendanceSummary() throws(StoreError) -> (students: Int, rows: Int, latest: Day?) {
        try runRead { db in
            let students = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attendance_students") ?? 0
            let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attendance") ?? 0
            let latest = try String.fetchOne(db, sql: "SELECT MAX(period_to) FROM attendance").flatMap { Day($0) }
            return (students, rows, latest)
        }
    }

    /// The store's attendance data for the engine's `attendance-percent()`.
    public var attendance: AttendanceSource { StoreAttendanceSource(store: self) }

    // MARK: - Internals

    /// Each row with its student's key (canonical personnummer), and the rows that cannot be stored.
    static func resolve(
        _ records: [AttendanceRecord], _ db: Database
    ) throws -> (rows: [(key: String, record: AttendanceRecord)], problems: [AttendanceProblem]) {
        var rows: [(key: String, record: AttendanceRecord)] = []
        var problems: [AttendanceProblem] = []
        var codes: [String: String?] = [:]
        for record in records {
            switch record.student {
            case .personnummer(let personnummer):
                rows.append((personnummer.canonical, record))
            case .caseCode(let code):
                if codes[code] == nil {
                    codes[code] = .some(try String.fetchOne(db, sql: "SELECT personnummer FROM identities WHERE code = ?", arguments: [code]))
                }
                if let key = codes[code] ?? nil {
                    rows.append((key, record))
                } else {
                    problems.append(AttendanceProblem(
                        line: record.line,
                        sv: "det finns inget ärende \(code) (se narvaro case list); ange personnumret i stället",
                        en: "there is no case \(code) (see narvaro case list); give the personnummer instead"))
                }
            }
        }
        var stored: [String: [AttendancePeriods.Stored]] = [:]
        for key in Set(rows.map(\.key)) {
            stored[key] = try Row.fetchAll(db, sql: """
                SELECT a.period_from, a.period_to, a.file FROM attendance a JOIN attendance_students s ON s.id = a.student
                WHERE s.personnummer = ?
                """, arguments: [key]
            ).compactMap { row in
                guard let from = Day(row["period_from"] as String), let to = Day(row["period_to"] as String) else { return nil }
                return AttendancePeriods.Stored(from: from, to: to, file: row["file"])
            }
        }
        problems += AttendancePeriods.conflicts(rows, stored: stored)
        return (rows, AttendanceProblem.ordered(problems))
    }

    static func hasCase(personnummer: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM identities WHERE personnummer = ? LIMIT 1", arguments: [personnummer]) == true
    }

    static func figures(_ record: AttendanceRecord) -> [(any DatabaseValueConvertible)?] {
        [record.unit.rawValue, record.scheduled, record.attended, record.validAbsence, record.invalidAbsence]
    }

    static func record(_ row: Row, student: AttendanceRecord.Student) -> AttendanceRecord? {
        guard let from = Day(row["period_from"] as String), let to = Day(row["period_to"] as String),
              let unit = AttendanceRecord.Unit(rawValue: row["unit"])
        else { return nil }
        return AttendanceRecord(
            student: student, from: from, to: to, unit: unit, scheduled: row["scheduled"], attended: row["attended"],
            validAbsence: row["valid_absence"], invalidAbsence: row["invalid_absence"])
    }

    private func attendanceWrite<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database("\(error)")
        }
    }
}

/// `attendance-percent()` from the store: the share of scheduled time the case's student attended
/// over the window, or nil (not a number in the expression) when there is no data.
struct StoreAttendanceSource: AttendanceSource {
    let store: CaseStore

    func attendancePercent(caseCode: String, window: ISODuration, endingOn: Day) -> Double? {
        let (from, to) = AttendanceFigures.window(window, endingOn: endingOn)
        guard let records = try? store.attendanceRecords(caseCode: caseCode, endingFrom: from, to: to) else { return nil }
        return AttendanceFigures.compute(records, window: window, endingOn: endingOn)?.attendancePercent
    }
}
