import Foundation
import Testing

/// `narvaro attendance import` and `narvaro screen`, end to end, on a temporary store.
@Suite struct AttendanceCommandTests {
    /// Testa Testsson (121212-1212, no case): absent weeks 45–48. The case's student (640823-3234):
    /// absent weeks 47–48 and 30 % absence over the last four weeks.
    static let weeks = """
        Personnummer;Namn;Vecka;Enhet;Schemalagd;Närvarande;Giltig frånvaro;Ogiltig frånvaro
        121212-1212;Testa Testsson;2026-W45;minuter;1200;0;0;1200
        121212-1212;Testa Testsson;2026-W46;minuter;1200;0;240;960
        121212-1212;Testa Testsson;2026-W47;minuter;1200;0;0;1200
        121212-1212;Testa Testsson;2026-W48;minuter;1200;0;0;1200
        640823-3234;;2026-W45;minuter;1000;1000;0;0
        640823-3234;;2026-W46;minuter;1000;800;100;100
        640823-3234;;2026-W47;minuter;1000;0;500;500
        640823-3234;;2026-W48;minuter;1000;0;0;1000

        """

    /// A small programme with a therapist and a student, around the given phases.
    static func miniProgramme(_ phases: String) -> String {
        """
            <?xml version="1.0" encoding="UTF-8"?>
            <programme xmlns="urn:narvaro:programme:1" id="mini" version="1.0.0" xml:lang="sv">
              <title>Miniprogram</title>
              <owner>Exempelkommunen</owner>
              <provenance>Ett testprogram.</provenance>
              <roles>
                <role id="behandlare" kind="staff"><title>Behandlare</title></role>
                <role id="elev" kind="participant"><title>Elev</title></role>
              </roles>
            \(phases)
            </programme>
            """
    }

    func write(_ store: TestStore, _ name: String, _ text: String) throws -> String {
        let url = store.dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// No full personnummer in anything printed (the masked `ÅÅÅÅMMDD-****` of `screen` is allowed).
    func expectNoPersonnummer(_ store: TestStore, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let everything = store.transcript.joined(separator: "\n")
        for form in ["640823-3234", "6408233234", "196408233234", "121212-1212", "1212121212", "201212121212"] {
            #expect(!everything.contains(form), "'\(form)' was printed", sourceLocation: sourceLocation)
        }
    }

    @Test func importTwiceChangesNothingAndAChangedRowIsReplaced() throws {
        let store = try TestStore(today: "2026-11-29")
        try store.initialise()
        let file = try write(store, "v45-48.csv", Self.weeks)
        let first = try store.ok(["attendance", "import", file])
        #expect(first.stdout.contains("Läste in v45-48.csv: 8 nya rader, 0 ändrade, 0 oförändrade (2 elever)."), "\(first.stdout)")
        #expect(first.stdout.contains("2 av eleverna har inget ärende"))
        let again = try store.ok(["attendance", "import", file, "--lang", "en"])
        #expect(again.stdout.contains("Imported v45-48.csv: 0 new rows, 0 changed, 8 unchanged (2 students)."), "\(again.stdout)")
        #expect(again.stdout.contains("Nothing changed: the file was already imported."))
        let screened = try store.ok(["screen", "--format", "json"]).stdout

        let corrected = try write(store, "rättad.csv", Self.weeks.replacingOccurrences(of: "2026-W48;minuter;1000;0;0;1000", with: "2026-W48;minuter;1000;400;300;300"))
        let third = try store.ok(["attendance", "import", corrected])
        #expect(third.stdout.contains("0 nya rader, 1 ändrade, 7 oförändrade"), "\(third.stdout)")
        #expect(try store.ok(["screen", "--format", "json"]).stdout != screened)
        expectNoPersonnummer(store)
    }

    @Test func aFailingFileStoresNothingAndNamesEveryBadLine() throws {
        let store = try TestStore(today: "2026-11-29")
        try store.initialise()
        let code = try store.open()
        let bad = try write(store, "trasig.csv", """
            Elev;Vecka;Schemalagd;Närvarande;Giltig frånvaro;Ogiltig frånvaro
            121212-1212;2026-W45;1200;0;0;1200
            121212-1212;2026-W46;1200;12OO;0;0
            \(code);2026-W46;1000;800;100;100
            HSP-2026-0099;2026-W46;1000;800;100;100
            121212-1212;2026-W47;1200;1300;0;0
            121212-1213;2026-W47;1200;0;0;1200
            121212-1212;2025-W53;1200;0;0;1200
            121212-1212;2026-W48;1200;0;-5;1200

            """)
        let r = try store.run(["attendance", "import", bad])
        #expect(r.status == 1)
        for line in [3, 5, 6, 7, 8, 9] {
            #expect(r.stderr.contains("\(bad):\(line): fel: "), "line \(line) not named:\n\(r.stderr)")
        }
        #expect(!r.stderr.contains("\(bad):2:") && !r.stderr.contains("\(bad):4:"))
        #expect(r.stderr.contains("\(bad):5: fel: det finns inget ärende HSP-2026-0099"))
        #expect(r.stderr.contains("\(bad): 6 fel – inget sparades"))
        #expect(r.stdout.isEmpty)
        store.expectNoBacktrace(r)

        // Nothing was stored: the good rows of the failing file are new when imported alone.
        let good = try write(store, "hel.csv", """
            Elev;Vecka;Schemalagd;Närvarande;Giltig frånvaro;Ogiltig frånvaro
            121212-1212;2026-W45;1200;0;0;1200
            \(code);2026-W46;1000;800;100;100

            """)
        let ok = try store.ok(["attendance", "import", good])
        #expect(ok.stdout.contains("2 nya rader, 0 ändrade, 0 oförändrade (2 elever)"), "\(ok.stdout)")
        #expect(ok.stdout.contains("1 av eleverna har inget ärende"))

        // An unknown case code alone, in English.
        let unknown = try write(store, "okänd.csv", "case,week,scheduled,attended,valid absence,invalid absence\nHSP-2026-0099,2026-W47,10,10,0,0\n")
        let refused = try store.run(["attendance", "import", unknown, "--lang", "en"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(unknown):2: error: there is no case HSP-2026-0099"), "\(refused.stderr)")
        #expect(refused.stderr.contains("1 error – nothing was stored"))
        expectNoPersonnummer(store)
    }

    @Test func aFileThatCannotBeReadOrHasNoHeader() throws {
        let store = try TestStore(today: "2026-11-29")
        try store.initialise()
        let missing = store.dir.appendingPathComponent("finns-inte.csv").path
        let r = try store.run(["attendance", "import", missing])
        #expect(r.status == 1 && r.stderr.contains("filen kunde inte läsas"))
        let header = try write(store, "fel-rubrik.csv", "Namn;Datum;Minuter\nTesta;2026-11-02;100\n")
        let wrong = try store.run(["attendance", "import", header, "--lang", "en"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("\(header):1: error: the header line lacks the columns 'student', 'week' (or 'from' and 'to')"), "\(wrong.stderr)")
    }

    @Test func screenListsStudentsWithoutAnOpenCase() throws {
        let store = try TestStore(today: "2026-11-29")
        try store.initialise()
        try store.ok(["init", "--programme", "programmes/processledare.xml"])
        _ = try store.open(extra: ["--programme", "hsp"])
        let none = try store.ok(["screen"])
        #expect(none.stdout.contains("Det finns ingen närvarodata"))
        try store.ok(["attendance", "import", try write(store, "v45-48.csv", Self.weeks)])

        let text = try store.ok(["screen"]).stdout
        #expect(text.contains("20121212-****  Testa Testsson"), "\(text)")
        #expect(text.contains("Fyra veckor utan närvaro (processledare: fyra-veckor-utan-narvaro)"))
        #expect(text.contains("4 veckor 2026-11-02–2026-11-29 (4 rader): frånvaro 100 % (giltig 5 %, ogiltig 95 %), närvaro 0 %, 4 hela veckor i följd utan närvaro"), "\(text)")
        #expect(!text.contains("19640823"), "the student with a case is listed:\n\(text)")
        #expect(text.contains("1 elev till möter ett villkor men har redan ett öppet ärende."))

        let json = try store.ok(["screen", "--format", "json", "--lang", "en"]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["date"] as? String == "2026-11-29")
        #expect(object["studentsWithOpenCase"] as? Int == 1)
        let students = try #require(object["students"] as? [[String: Any]])
        #expect(students.count == 1)
        #expect(students.first?["personnummer"] as? String == "20121212-****")
        let matches = try #require(students.first?["matches"] as? [[String: Any]])
        let triggers = matches.map { "\($0["programme"] ?? ""):\($0["trigger"] ?? "")" }
        #expect(triggers == ["hsp:tre-veckor-utan-narvaro", "hsp:franvaro-50", "processledare:franvaro-20", "processledare:fyra-veckor-utan-narvaro"])
        #expect(matches.first?["title"] as? String == "Three weeks absent")
        #expect(matches.first?["veckor_helt_franvarande"] as? Int == 4)

        // On an earlier day only the data up to that day counts: by 2026-11-15 two weeks were missed.
        let earlier = try store.ok(["screen", "--date", "2026-11-15", "--format", "json"]).stdout
        #expect(!earlier.contains("fyra-veckor-utan-narvaro") && earlier.contains("processledare"))
        expectNoPersonnummer(store)
    }

    @Test func aGateOnAttendancePassesAfterImport() throws {
        let store = try TestStore(today: "2026-11-29")
        let programme = try write(store, "mini.xml", Self.miniProgramme("""
              <phase id="behandling" duration="P4W">
                <title>Behandling</title>
                <step id="samtal" performed-by="behandlare" participants="elev" domain="skola"><title>Samtal</title></step>
                <gate id="narvaro" test="attendance-percent('P4W') &gt;= 80">
                  <message>Närvaron de senaste fyra veckorna måste vara minst 80 procent.</message>
                </gate>
              </phase>
              <phase id="uppfoljning" duration="P4W">
                <title>Uppföljning</title>
                <step id="uppfoljningssamtal" performed-by="behandlare" participants="elev" domain="skola"><title>Uppföljningssamtal</title></step>
              </phase>
            """))
        try store.ok(["init", "--programme", programme])
        let code = try store.open()
        try store.ok(["case", "complete", code, "--step", "samtal"])
        let before = try store.run(["case", "advance", code])
        #expect(before.status == 1)
        #expect(before.stderr.contains("Närvaron de senaste fyra veckorna måste vara minst 80 procent."), "\(before.stderr)")

        // 75 % first (the gate still holds back), then the week corrected to 87.5 %.
        let low = "ärende;från;till;schemalagd;närvarande;giltig frånvaro;ogiltig frånvaro\n\(code);2026-11-02;2026-11-29;4800;3600;600;600\n"
        try store.ok(["attendance", "import", try write(store, "låg.csv", low)])
        #expect(try store.run(["case", "advance", code]).status == 1)
        let high = low.replacingOccurrences(of: "4800;3600;600;600", with: "4800;4200;300;300")
        let changed = try store.ok(["attendance", "import", try write(store, "hög.csv", high)])
        #expect(changed.stdout.contains("0 nya rader, 1 ändrade, 0 oförändrade"), "\(changed.stdout)")
        let after = try store.ok(["case", "advance", code])
        #expect(after.stdout.contains("Fas: Uppföljning"), "\(after.stdout)")
        expectNoPersonnummer(store)
    }

    /// A repeated step that goes on while attendance is low is done once attendance is back, in
    /// `case show` and `case list` as in the engine (they read the imported attendance too).
    @Test func showAndListReadAttendanceInConditions() throws {
        let store = try TestStore(today: "2026-11-29")
        let programme = try write(store, "mini.xml", Self.miniProgramme("""
              <phase id="behandling" duration="P8W">
                <title>Behandling</title>
                <step id="aterga" performed-by="behandlare" participants="elev" domain="skola">
                  <title>Gradvis återgång</title>
                  <due anchor="phase-start" to="P1W"/>
                  <repeat every="P1W" min="1" while="not(attendance-percent('P4W') &gt;= 80)"/>
                </step>
              </phase>
            """))
        try store.ok(["init", "--programme", programme])
        let code = try store.open(date: "2026-11-02")
        try store.ok(["case", "complete", code, "--step", "aterga", "--date", "2026-11-03"])
        func status() throws -> String {
            let json = try store.ok(["case", "show", code, "--format", "json"]).stdout
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let agenda = object?["agenda"] as? [[String: Any]]
            return agenda?.first { $0["step"] as? String == "aterga" }?["status"] as? String ?? "?"
        }
        func overdue() throws -> Int {
            let json = try store.ok(["case", "list", "--format", "json"]).stdout
            let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
            return rows?.first?["overdue"] as? Int ?? -1
        }
        // No attendance yet: the return goes on, and the next occurrence (a week after the 3rd) is late.
        #expect(try status() == "available")
        #expect(try overdue() == 1)
        let high = "ärende;från;till;schemalagd;närvarande;giltig frånvaro;ogiltig frånvaro\n\(code);2026-11-02;2026-11-29;4800;4200;300;300\n"
        try store.ok(["attendance", "import", try write(store, "hög.csv", high)])
        #expect(try status() == "done")
        #expect(try overdue() == 0)
        #expect(!(try store.ok(["case", "show", code]).stdout.contains("Försenat")))
    }
}
