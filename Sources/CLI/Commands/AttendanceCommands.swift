import ArgumentParser
import Foundation
import Store
import Workflow

/// `narvaro attendance …`: attendance data from the school's system.
struct AttendanceGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Närvarodata från skolans system. (Attendance data from the school's system.)",
        subcommands: [Import.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Läs in en CSV-fil med närvaro per elev och period. (Import a CSV file of attendance per student and period.)",
            discussion: """
                Formatet beskrivs i docs/attendance.md. Allt kontrolleras först; är någon rad fel skrivs varje fel ut med
                sin radnummer och ingenting sparas. Samma fil två gånger ändrar ingenting.
                The format is described in docs/attendance.md. Everything is checked first; if any row is wrong, every
                problem is printed with its line number and nothing is stored. The same file twice changes nothing.
                """)

        @Argument(help: "CSV-filen. (The CSV file.)") var file: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openStore()
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            guard size <= AttendanceCSV.maxBytes, let data = FileManager.default.contents(atPath: file) else {
                Console.error(size > AttendanceCSV.maxBytes
                    ? options.t("\(file): fel: filen är större än \(AttendanceCSV.maxBytes >> 20) MiB; dela upp den",
                                "\(file): error: the file is larger than \(AttendanceCSV.maxBytes >> 20) MiB; split it")
                    : options.t("\(file): fel: filen kunde inte läsas", "\(file): error: cannot read the file"))
                throw ExitCode(1)
            }
            let parsed = AttendanceCSV.parse([UInt8](data), file: file, today: Day(Today.dayNumber()))
            let outcome: AttendanceImport.Outcome
            do {
                if parsed.problems.isEmpty {
                    outcome = try store.importAttendance(
                        records: parsed.records, file: (file as NSString).lastPathComponent, recordedAt: Clock.now())
                } else {
                    outcome = .rejected(parsed.problems + (try store.attendanceProblems(records: parsed.records)))
                }
            } catch {
                throw options.fail(error)
            }
            switch outcome {
            case .rejected(let problems):
                let ordered = AttendanceProblem.ordered(problems)
                for problem in ordered { Console.error(problem.rendered(file: file, options.language)) }
                Console.error(options.t(
                    "\(file): \(problems.count) fel – inget sparades",
                    "\(file): \(problems.count) \(problems.count == 1 ? "error" : "errors") – nothing was stored"))
                throw ExitCode(1)
            case .imported(let result):
                let name = (file as NSString).lastPathComponent
                func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
                Console.out(options.t(
                    "Läste in \(name): \(count(result.inserted, "ny rad", "nya rader")), \(result.changed) ändrade, \(result.unchanged) oförändrade (\(count(result.students, "elev", "elever"))).",
                    "Imported \(name): \(count(result.inserted, "new row", "new rows")), \(result.changed) changed, \(result.unchanged) unchanged (\(count(result.students, "student", "students")))."))
                if result.inserted + result.changed == 0, result.unchanged > 0 {
                    Console.out(options.t("Inget ändrades: filen var redan inläst.", "Nothing changed: the file was already imported."))
                }
                if result.studentsWithoutCase > 0 {
                    Console.out(options.t(
                        "\(result.studentsWithoutCase) av eleverna har inget ärende. Se vilka som möter programmens villkor med: narvaro screen",
                        "\(result.studentsWithoutCase) of the students \(result.studentsWithoutCase == 1 ? "has" : "have") no case. See who meets the programmes' criteria with: narvaro screen"))
                }
            }
        }
    }
}
