/// One row of a school's attendance export: a student's scheduled time over a period and how it was
/// spent (attended, valid absence, invalid absence), in minutes or lessons. Närvaro keeps the raw
/// figures and computes percentages from them, never the other way round (DOMAIN.md §5.3).
public struct AttendanceRecord: Hashable, Sendable {
    /// Who the row is about, as the file names the student.
    public enum Student: Hashable, Sendable {
        case personnummer(Personnummer)
        /// A case code such as `HSP-2026-0001`, resolved to the personnummer by the store.
        case caseCode(String)
    }

    public enum Unit: String, Hashable, Sendable, Codable, CaseIterable {
        case minutes
        case lessons

        public func spelled(_ language: Language) -> String {
            switch (self, language) {
            case (.minutes, .sv): "minuter"
            case (.minutes, .en): "minutes"
            case (.lessons, .sv): "lektioner"
            case (.lessons, .en): "lessons"
            }
        }
    }

    /// The 1-based line of the file the row starts on (0 for rows read back from the store).
    public var line: Int
    public var student: Student
    /// The student's name, when the file gives one.
    public var name: String?
    /// The first and last day of the period (a week is Monday to Sunday).
    public var from: Day
    public var to: Day
    public var unit: Unit
    public var scheduled: Double
    public var attended: Double
    public var validAbsence: Double
    public var invalidAbsence: Double

    public init(
        line: Int = 0, student: Student, name: String? = nil, from: Day, to: Day, unit: Unit, scheduled: Double, attended: Double,
        validAbsence: Double, invalidAbsence: Double
    ) {
        self.line = line
        self.student = student
        self.name = name
        self.from = from
        self.to = to
        self.unit = unit
        self.scheduled = scheduled
        self.attended = attended
        self.validAbsence = validAbsence
        self.invalidAbsence = invalidAbsence
    }

    /// The same figures (unit and the four numbers), whatever the line, name or file.
    public func sameFigures(as other: AttendanceRecord) -> Bool {
        unit == other.unit && scheduled == other.scheduled && attended == other.attended
            && validAbsence == other.validAbsence && invalidAbsence == other.invalidAbsence
    }
}

/// A problem with one line of an attendance file (or with the file as a whole, on line 1).
public struct AttendanceProblem: Hashable, Sendable, Error {
    /// 1-based.
    public var line: Int
    public var message: LocalizedMessage

    public init(line: Int, message: LocalizedMessage) {
        self.line = line
        self.message = message
    }

    public init(line: Int, sv: String, en: String) {
        self.init(line: line, message: LocalizedMessage(sv: sv, en: en))
    }

    /// Ordered by line; problems of one line keep their order.
    public static func ordered(_ problems: [AttendanceProblem]) -> [AttendanceProblem] {
        problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }

    /// `file:line: fel: …`, compiler-style.
    public func rendered(file: String, _ language: Language) -> String {
        "\(file):\(line): \(language == .sv ? "fel" : "error"): \(message.text(language))"
    }
}

/// Case codes as the store makes them: `HSP-2026-0001` (up to four letters or digits starting with a
/// letter, the year, a number of at least four digits).
public enum CaseCodePattern {
    public static func matches(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return false }
        let prefix = parts[0], year = parts[1], number = parts[2]
        guard (1...4).contains(prefix.count), let first = prefix.first, first.isASCII, first.isUppercase,
              prefix.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })
        else { return false }
        return year.count == 4 && year.allSatisfy { $0.isASCII && $0.isNumber }
            && number.count >= 4 && number.count <= 9 && number.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
