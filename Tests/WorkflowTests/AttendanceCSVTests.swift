import Foundation
import Testing
@testable import Workflow

/// The attendance CSV parser: what school systems export, and every broken file with its lines.
@Suite struct AttendanceCSVTests {
    static let today = day("2026-11-29")

    func parse(_ text: String, bytes prefix: [UInt8] = []) -> AttendanceCSV.Parsed {
        AttendanceCSV.parse(prefix + Array(text.utf8), file: "test.csv", today: Self.today)
    }

    /// The lines of the problems, in order.
    func lines(_ text: String) -> [Int] { parse(text).problems.map(\.line) }

    // MARK: - What is accepted

    @Test func swedishHeadersSemicolonsBOMCRLFAndDecimalCommas() throws {
        let text = "Personnummer;Namn;Vecka;Enhet;Schemalagd;Närvarande;Giltig frånvaro;Ogiltig frånvaro\r\n"
            + "121212-1212;Testa Testsson;2026-W45;minuter;1 200;600,5;300;299,5\r\n"
            + "201212121212;;2026-W46;lektioner;30;30;0;0\r\n"
        let parsed = parse(text, bytes: [0xEF, 0xBB, 0xBF])
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        try #require(parsed.records.count == 2)
        let first = parsed.records[0]
        #expect(first.line == 2)
        #expect(first.student == .personnummer(try #require(try? Personnummer.parse("201212121212", today: 0).get())))
        #expect(first.name == "Testa Testsson")
        #expect(first.from == day("2026-11-02") && first.to == day("2026-11-08"))
        #expect(first.unit == .minutes)
        #expect(first.scheduled == 1200 && first.attended == 600.5 && first.validAbsence == 300 && first.invalidAbsence == 299.5)
        let second = parsed.records[1]
        #expect(second.line == 3 && second.name == nil && second.unit == .lessons)
        #expect(second.from == day("2026-11-09") && second.to == day("2026-11-15"))
    }

    @Test func englishHeadersCommasQuotesAndDateRanges() throws {
        let text = #"""
            Student,Name,From,To,Unit,Scheduled,Attended,Valid absence,Invalid absence
            HSP-2026-0001,"Testsson, ""Testa""",2026-11-02,2026-11-06,lessons,"25,5",20,"2.5",3
            hsp-2026-0002,,2026-11-09,2026-11-13,,100,100,,

            """#
        let parsed = parse(text)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        try #require(parsed.records.count == 2)
        #expect(parsed.records[0].student == .caseCode("HSP-2026-0001"))
        #expect(parsed.records[0].name == "Testsson, \"Testa\"")
        #expect(parsed.records[0].scheduled == 25.5 && parsed.records[0].validAbsence == 2.5)
        #expect(parsed.records[0].from == day("2026-11-02") && parsed.records[0].to == day("2026-11-06"))
        // A lower-case case code; no unit means minutes; empty absence cells are 0.
        #expect(parsed.records[1].student == .caseCode("HSP-2026-0002"))
        #expect(parsed.records[1].unit == .minutes)
        #expect(parsed.records[1].validAbsence == 0 && parsed.records[1].invalidAbsence == 0)
    }

    @Test(arguments: [
        "giltig frånvaro", "Giltig_frånvaro", "GILTIG FRÅNVARO (min)", " giltig-franvaro ", "Valid absence", "valid_absence", "Authorised absence",
    ])
    func headerSpellings(_ header: String) {
        #expect(AttendanceColumn(header: header) == .validAbsence)
    }

    @Test func aPercentageColumnIsNeverReadAsACount() {
        #expect(AttendanceColumn(header: "Närvarande %") == nil)
        #expect(AttendanceColumn(header: "Närvaro (procent)") == nil)
        #expect(AttendanceColumn(header: "Klass") == nil)
    }

    @Test(arguments: ["2026-W45", "2026W45", "2026-w45", "2026-45"])
    func weekSpellings(_ week: String) throws {
        let days = try #require(ISOWeek.parse(week))
        #expect(days.monday == day("2026-11-02") && days.sunday == day("2026-11-08"))
    }

    @Test func weeksAtTheTurnOfTheYear() throws {
        #expect(ISOWeek.weeks(in: 2026) == 53)
        #expect(ISOWeek.weeks(in: 2025) == 52)
        #expect(try #require(ISOWeek.parse("2026-W01")).monday == day("2025-12-29"))
        #expect(try #require(ISOWeek.parse("2026-W53")).sunday == day("2027-01-03"))
        #expect(ISOWeek.parse("2025-W53") == nil)
    }

    @Test func tabsUnknownColumnsBlankRowsAndTrailingSeparators() {
        let text = "Klass\tPersonnummer\tVecka\tSchemalagd\tNärvarande\tGiltig frånvaro\tOgiltig frånvaro\n"
            + "8B\t121212-1212\t2026-W45\t100\t90\t5\t5\t\t\n"
            + "\t\t\t\t\t\t\n"
            + "\n"
            + "8B\t121212-1212\t2026-W46\t100\t100\t0\t0\n"
        let parsed = parse(text)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(parsed.records.map(\.line) == [2, 5])
    }

    @Test func sumsMayBeOverScheduledByOnePercentAtMost() {
        let header = "personnummer;vecka;schemalagd;närvarande;giltig frånvaro;ogiltig frånvaro\n"
        #expect(lines(header + "121212-1212;2026-W45;100;90;10;1\n").isEmpty)
        #expect(lines(header + "121212-1212;2026-W45;100;90;10;2\n") == [2])
    }

    // MARK: - Broken files

    struct Broken: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var lines: [Int]
        /// A word each problem's English message has.
        var says: String
        var testDescription: String { name }
    }

    static let header = "Personnummer;Vecka;Schemalagd;Närvarande;Giltig frånvaro;Ogiltig frånvaro\n"
    static let good = "121212-1212;2026-W45;100;80;10;10\n"

    static let broken: [Broken] = [
        Broken(name: "wrong header", text: "Namn;Datum;Tid\nTesta;2026-11-02;100\n", lines: [1], says: "header line lacks"),
        Broken(
            name: "missing column", text: "Personnummer;Vecka;Schemalagd;Närvarande;Giltig frånvaro\n" + good, lines: [1],
            says: "'invalid absence'"),
        Broken(name: "from without to", text: "Personnummer;Från;Schemalagd;Närvarande;Giltig;Ogiltig\n", lines: [1], says: "'to'"),
        Broken(name: "two student columns", text: "Elev;Personnummer;Vecka;Schemalagd;Närvarande;Giltig;Ogiltig\n", lines: [1], says: "both mean"),
        Broken(
            name: "letters in numbers", text: header + good + "121212-1212;2026-W46;100;8O;10;10\n" + "121212-1212;2026-W47;1OO;80;10;10\n",
            lines: [3, 4], says: "not a number"),
        Broken(name: "more attended than scheduled", text: header + good + good + "121212-1212;2026-W46;100;101;0;0\n", lines: [4], says: "greater than"),
        Broken(name: "negative numbers", text: header + "121212-1212;2026-W45;100;80;-10;10\n" + good + "121212-1212;2026-W46;100;80;10;−1\n", lines: [2, 4], says: "negative"),
        Broken(
            name: "bad date",
            text: "Personnummer;Från;Till;Schemalagd;Närvarande;Giltig;Ogiltig\n"
                + "121212-1212;2026-02-30;2026-03-06;100;80;10;10\n121212-1212;2026/11/02;2026-11-06;100;80;10;10\n"
                + "121212-1212;2026-11-02;2026-11-06;100;80;10;10\n121212-1212;2026-11-09;;100;80;10;10\n",
            lines: [2, 3, 5], says: "date"),
        Broken(
            name: "from after to",
            text: "Personnummer;Från;Till;Schemalagd;Närvarande;Giltig;Ogiltig\n121212-1212;2026-11-06;2026-11-02;100;80;10;10\n",
            lines: [2], says: "after"),
        Broken(
            name: "bad week", text: header + "121212-1212;2025-W53;100;80;10;10\n121212-1212;2026-W0;100;80;10;10\n" + good + "121212-1212;v45;100;80;10;10\n",
            lines: [2, 3, 5], says: "week"),
        Broken(
            name: "invalid personnummer", text: header + "121212-1213;2026-W45;100;80;10;10\n" + good + "121312-1212;2026-W46;100;80;10;10\n",
            lines: [2, 4], says: "personnummer"),
        Broken(name: "neither personnummer nor case code", text: header + "Testa Testsson;2026-W45;100;80;10;10\n", lines: [2], says: "neither"),
        Broken(name: "empty scheduled", text: header + "121212-1212;2026-W45;;80;10;10\n", lines: [2], says: "empty"),
        Broken(name: "too few fields", text: header + good + "121212-1212;2026-W46;100;80\n", lines: [3], says: "fields"),
        Broken(name: "unknown unit", text: "Personnummer;Vecka;Enhet;Schemalagd;Närvarande;Giltig;Ogiltig\n121212-1212;2026-W45;timmar;10;8;1;1\n", lines: [2], says: "minutes or lessons"),
        Broken(name: "quote never closed", text: header + good + "\"121212-1212;2026-W46;100;80;10;10\n" + good, lines: [3], says: "never closed"),
        Broken(
            name: "line numbers after a field over two lines",
            text: "Personnummer;Namn;Vecka;Schemalagd;Närvarande;Giltig;Ogiltig\n121212-1212;\"Testa\nTestsson\";2026-W45;100;80;10;10\n121212-1212;;2026-W46;100;x;10;10\n",
            lines: [4], says: "not a number"),
        Broken(name: "empty file", text: "", lines: [1], says: "empty"),
    ]

    @Test(arguments: broken)
    func brokenFile(_ file: Broken) {
        let parsed = parse(file.text)
        #expect(parsed.problems.map(\.line) == file.lines, "\(parsed.problems.map { $0.rendered(file: "test.csv", .en) })")
        for problem in parsed.problems {
            #expect(problem.message.en.contains(file.says), "\(problem.message.en)")
            #expect(!problem.message.sv.isEmpty && problem.message.sv != problem.message.en)
        }
    }

    @Test func oneRowCanHaveSeveralProblems() {
        let parsed = parse(Self.header + "121212-1213;2026-W99;x;-1;;\n")
        #expect(parsed.problems.map(\.line) == [2, 2, 2, 2])
        #expect(parsed.records.isEmpty)
    }

    @Test func messagesNeverRepeatACell() {
        // A column that slipped: the personnummer stands where a number belongs.
        let parsed = parse(Self.header + "121212-1213;2026-W45;121212-1212;80;10;10\n")
        #expect(parsed.problems.count == 2)
        for problem in parsed.problems {
            for text in [problem.message.sv, problem.message.en] {
                #expect(!text.contains("121212"), "\(text)")
                #expect(!text.contains("1212121"), "\(text)")
            }
        }
    }

    @Test func namesLoseControlCharacters() {
        let parsed = parse("Personnummer;Namn;Vecka;Schemalagd;Närvarande;Giltig;Ogiltig\n121212-1212;\"\u{1B}]0;x\u{07}Testa\u{202E} Testsson\";2026-W45;10;10;0;0\n")
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(parsed.records.first?.name == "]0;xTesta Testsson")
    }

    @Test func invalidUTF8IsRefusedWithItsLine() {
        // "Närvarande" in Windows-1252 on line 3 (0xE4 is 'ä').
        var bytes = Array((Self.header + Self.good).utf8)
        bytes += Array("121212-1212;2026-W46;100;80;10;10;N".utf8) + [0xE4] + Array("rvarande\n".utf8)
        let parsed = AttendanceCSV.parse(bytes, file: "test.csv", today: Self.today)
        #expect(parsed.problems.map(\.line) == [3])
        #expect(parsed.problems.first?.message.en.contains("not UTF-8") == true)
        #expect(parsed.records.isEmpty)

        let utf16 = AttendanceCSV.parse([0xFF, 0xFE, 0x50, 0x00], file: "test.csv", today: Self.today)
        #expect(utf16.problems.map(\.line) == [1])
        #expect(utf16.problems.first?.message.en.contains("UTF-16") == true)
    }

    @Test func renderedLikeACompiler() {
        let problem = AttendanceProblem(line: 7, sv: "'närvarande' är inget tal", en: "'attended' is not a number")
        #expect(problem.rendered(file: "v45.csv", .sv) == "v45.csv:7: fel: 'närvarande' är inget tal")
        #expect(problem.rendered(file: "v45.csv", .en) == "v45.csv:7: error: 'attended' is not a number")
    }

    @Test func numbers() {
        #expect(AttendanceCSV.number("12") == .value(12))
        #expect(AttendanceCSV.number(" 1\u{00A0}200,25 ") == .value(1200.25))
        #expect(AttendanceCSV.number("0.5") == .value(0.5))
        #expect(AttendanceCSV.number("") == .empty)
        #expect(AttendanceCSV.number("-3") == .negative)
        #expect(AttendanceCSV.number("1e3") == .invalid)
        #expect(AttendanceCSV.number("1,000.5") == .invalid)
        #expect(AttendanceCSV.number("5,") == .invalid)
        #expect(AttendanceCSV.number(",5") == .invalid)
    }

    // MARK: - The documentation's examples

    func example(_ name: String) throws -> AttendanceCSV.Parsed {
        let url = HSP.packageRoot.appendingPathComponent("docs/examples/\(name)")
        return AttendanceCSV.parse(Array(try Data(contentsOf: url)), file: name, today: Self.today)
    }

    @Test func documentedExamples() throws {
        let weeks = try example("narvaro-v45-48.csv")
        #expect(weeks.problems.isEmpty && weeks.records.count == 10)
        let english = try example("narvaro-en.csv")
        #expect(english.problems.isEmpty && english.records.count == 3)
        #expect(english.records.first?.validAbsence == 300.5)
        // Line 7 (an unknown case code) is the store's to find.
        #expect(try example("narvaro-fel.csv").problems.map(\.line) == [3, 4, 5, 6])
    }

    // MARK: - Overlapping periods

    @Test func overlappingPeriodsOfOneStudentAreRefused() throws {
        let text = "Personnummer;Från;Till;Schemalagd;Närvarande;Giltig;Ogiltig\n"
            + "121212-1212;2026-11-02;2026-11-08;100;80;10;10\n"   // 2
            + "640823-3234;2026-11-02;2026-11-08;100;80;10;10\n"   // 3: another student, fine
            + "121212-1212;2026-11-09;2026-11-15;100;80;10;10\n"   // 4
            + "121212-1212;2026-11-02;2026-11-08;100;70;10;10\n"   // 5: the same period as line 2
            + "121212-1212;2026-11-12;2026-11-20;100;80;10;10\n"   // 6: overlaps line 4
        let parsed = parse(text)
        #expect(parsed.problems.isEmpty)
        let rows = parsed.records.map { record -> (key: String, record: AttendanceRecord) in
            guard case .personnummer(let p) = record.student else { return ("", record) }
            return (p.canonical, record)
        }
        let stored = ["201212121212": [AttendancePeriods.Stored(from: day("2026-10-26"), to: day("2026-11-03"), file: "okt.csv")]]
        let problems = AttendancePeriods.conflicts(rows, stored: stored)
        #expect(problems.map(\.line) == [2, 5, 5, 6])
        #expect(problems[0].message.en.contains("okt.csv"))
        #expect(problems[1].message.en.contains("same student and period as on line 2"))
        #expect(problems[3].message.en.contains("line 4"))
        // The same period as stored is a replacement, not a conflict.
        let same = ["201212121212": [AttendancePeriods.Stored(from: day("2026-11-09"), to: day("2026-11-15"), file: "v46.csv")]]
        #expect(AttendancePeriods.conflicts(Array(rows.prefix(3)), stored: same).isEmpty)
    }
}
