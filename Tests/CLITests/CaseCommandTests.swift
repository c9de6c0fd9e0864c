import Foundation
import Testing

/// A temporary store and a fixed clock for one test, driving the built `narvaro` executable. Everything
/// printed is kept, so that a test can check what never appears (the personnummer).
final class TestStore {
    let dir: URL
    var today: String
    private(set) var transcript: [String] = []

    static let student = "Testelev Namnsson"
    static let personnummer = "640823-3234"
    /// Every way the personnummer could show up in output.
    static let personnummerForms = ["640823-3234", "6408233234", "196408233234", "19640823", "640823"]

    init(today: String = "2026-09-01") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-case-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        self.today = today
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var path: String { dir.appendingPathComponent("data/narvaro.sqlite").path }

    var environment: [String: String] {
        ["NARVARO_STORE": path, "NARVARO_TODAY": today, "NARVARO_NOW": "\(today)T09:00:00Z"]
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> CLIRunner.Output {
        let r = try CLIRunner.run(arguments, environment: environment)
        transcript.append(r.stdout)
        transcript.append(r.stderr)
        return r
    }

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> CLIRunner.Output {
        let r = try run(arguments)
        #expect(r.status == 0, "narvaro \(arguments.joined(separator: " ")) failed: \(r.stderr)", sourceLocation: sourceLocation)
        return r
    }

    /// `narvaro init` with the HSP programme.
    @discardableResult
    func initialise() throws -> CLIRunner.Output {
        try ok(["init", "--programme", "programmes/hsp.xml"])
    }

    /// Opens a case and returns its code.
    func open(school: String = "Bergaskolan", grade: Int = 8, date: String? = nil, extra: [String] = []) throws -> String {
        var arguments = ["case", "open", "--student", Self.student, "--personnummer", Self.personnummer, "--school", school, "--grade", "\(grade)"]
        if let date { arguments += ["--date", date] }
        let r = try ok(arguments + extra)
        guard let line = r.stdout.split(separator: "\n").first, line.hasPrefix("Ärendet "), line.hasSuffix(" är öppnat.") else {
            Issue.record("unexpected output of case open: \(r.stdout)")
            return ""
        }
        return String(line.dropFirst("Ärendet ".count).dropLast(" är öppnat.".count))
    }

    /// Writes an answers file and returns its path.
    func answers(_ name: String, _ json: String) throws -> String {
        let file = dir.appendingPathComponent(name)
        try json.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// Everything a reader can get from the store: the case list, each case as JSON, and the verify counts.
    func snapshot() throws -> String {
        let list = try CLIRunner.run(["case", "list", "--format", "json"], environment: environment)
        var out = list.stdout
        let rows = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]] ?? []
        for code in rows.compactMap({ $0["code"] as? String }) {
            out += try CLIRunner.run(["case", "show", code, "--format", "json"], environment: environment).stdout
        }
        let verify = try CLIRunner.run(["verify"], environment: environment)
        #expect(verify.status == 0, "verify: \(verify.stderr)")
        return out + verify.stdout
    }

    /// Runs a command that must be refused: exit 1, the message on stderr, no backtrace, nothing saved.
    @discardableResult
    func refused(_ arguments: [String], _ expected: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> CLIRunner.Output {
        let before = try snapshot()
        let r = try run(arguments)
        let command = "narvaro " + arguments.joined(separator: " ")
        #expect(r.status == 1, "\(command): exit \(r.status)", sourceLocation: sourceLocation)
        for text in expected {
            // Messages are wrapped to 80 columns: compare with the line breaks folded.
            #expect(flat(r.stderr).contains(flat(text)), "\(command): stderr lacks '\(text)':\n\(r.stderr)", sourceLocation: sourceLocation)
        }
        #expect(!r.stdout.contains("Sparat"), "\(command): \(r.stdout)", sourceLocation: sourceLocation)
        expectNoBacktrace(r, sourceLocation: sourceLocation)
        #expect(try snapshot() == before, "\(command) changed the store", sourceLocation: sourceLocation)
        return r
    }

    func expectNoBacktrace(_ r: CLIRunner.Output, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "backtrace", "Swift runtime failure", "Illegal instruction"] {
            #expect(!r.stderr.contains(marker), "\(marker): \(r.stderr)", sourceLocation: sourceLocation)
        }
    }

    func listJSON(_ extra: [String] = []) throws -> [[String: Any]] {
        let r = try ok(["case", "list", "--format", "json"] + extra)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    func showJSON(_ code: String) throws -> [String: Any] {
        let r = try ok(["case", "show", code, "--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    func agendaStatus(_ code: String, _ step: String) throws -> String? {
        let agenda = try showJSON(code)["agenda"] as? [[String: Any]] ?? []
        return agenda.first { $0["step"] as? String == step }?["status"] as? String
    }
}

/// Answers files for the forms the gates read.
enum AnswersFiles {
    static let bemanning = """
        { "form": "bemanning", "answers": { "behandlare_antal": 2, "belastning_1": 3, "belastning_2": 4, "processledare_utsedd": "ja", "jourtelefon": "ja" } }
        """
    static let bemanningWithErrors = """
        { "form": "bemanning", "answers": { "behandlare_antal": "två", "belastning_1": 3, "processledare_utsedd": "kanske" } }
        """
}

@Suite struct CaseCommandTests {
    // MARK: - init, open, list, show

    @Test func initRegistersTheProgrammeOnce() throws {
        let store = try TestStore()
        let first = try store.ok(["init", "--programme", "programmes/hsp.xml", "--store", store.path])
        #expect(first.stdout.contains("Lagring: \(store.path)"))
        #expect(first.stdout.contains("Registrerade hsp 1.0.0 från programmes/hsp.xml"))
        let again = try store.ok(["init", "--programme", "programmes/hsp.xml"])
        #expect(again.stdout.contains("hsp 1.0.0 finns redan (samma innehåll)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0)
    }

    @Test func openPrintsTheCodeAndWhatToDoFirst() throws {
        let store = try TestStore()
        try store.initialise()
        let r = try store.ok([
            "case", "open", "--student", TestStore.student, "--personnummer", TestStore.personnummer, "--school", "Bergaskolan", "--grade", "8",
        ])
        #expect(r.stdout == """
            Ärendet HSP-2026-0001 är öppnat.
            Fas: Aktualisering och uppstart · status: aktivt
            Nästa:
              Registrera remiss [a_remiss] – senast 2026-09-02

            """)
        // Codes count up per programme and year.
        #expect(try store.open(school: "Ekskolan", grade: 7) == "HSP-2026-0002")
        let english = try store.ok([
            "case", "open", "--student", TestStore.student, "--personnummer", TestStore.personnummer, "--school", "Ekskolan", "--grade", "9", "--lang", "en",
        ])
        #expect(english.stdout.hasPrefix("Case HSP-2026-0003 is open.\nPhase: Referral and start-up · status: active\nNext:"))
    }

    @Test func listShowsCasesAsATableOrJSONAndFilters() throws {
        let store = try TestStore()
        try store.initialise()
        let empty = try store.ok(["case", "list"])
        #expect(empty.stdout == "Inga ärenden.\n")
        #expect(try store.listJSON().isEmpty)

        let a = try store.open(school: "Bergaskolan", grade: 8)
        store.today = "2026-09-03"
        let b = try store.open(school: "Ekskolan", grade: 9)
        try store.ok(["case", "advance", b, "--override", "Kartläggningen startar direkt enligt beslut"])

        let table = try store.ok(["case", "list"]).stdout.split(separator: "\n").map(String.init)
        #expect(table == [
            "ÄRENDE         SKOLA             ÅK  FAS             NÄSTA       FÖRSENAT",
            "HSP-2026-0001  Bergaskolan       8   aktualisering   2026-09-02  1",
            "HSP-2026-0002  Ekskolan          9   kartlaggning    2026-09-10  –",
        ])

        let rows = try store.listJSON()
        #expect(rows.count == 2)
        #expect(rows[0]["code"] as? String == a)
        #expect(rows[0]["school"] as? String == "Bergaskolan")
        #expect(rows[0]["grade"] as? Int == 8)
        #expect(rows[0]["phase"] as? String == "aktualisering")
        #expect(rows[0]["status"] as? String == "active")
        #expect(rows[0]["nextDue"] as? String == "2026-09-02")
        #expect(rows[0]["overdue"] as? Int == 1)
        #expect(rows[1]["code"] as? String == b)
        #expect(rows[1]["phase"] as? String == "kartlaggning")
        #expect(rows[1]["overdue"] as? Int == 0)

        #expect(try store.listJSON(["--school", "Ekskolan"]).compactMap { $0["code"] as? String } == [b])
        #expect(try store.listJSON(["--phase", "kartlaggning"]).compactMap { $0["code"] as? String } == [b])
        #expect(try store.listJSON(["--phase", "aktualisering"]).compactMap { $0["code"] as? String } == [a])
        #expect(try store.listJSON(["--overdue"]).compactMap { $0["code"] as? String } == [a])
        #expect(try store.ok(["case", "list", "--overdue", "--school", "Ekskolan"]).stdout == "Inga ärenden.\n")
        let english = try store.ok(["case", "list", "--lang", "en"]).stdout
        #expect(english.hasPrefix("CASE           SCHOOL            GR  PHASE           NEXT        OVERDUE"))
    }

    @Test func theTimelineIsInTheOrderThingsHappened() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        store.today = "2026-09-10"
        try store.ok(["case", "complete", code, "--step", "a_remiss", "--date", "2026-09-08"])
        // Recorded afterwards, but it happened earlier: it comes first.
        try store.ok(["case", "assign", code, "--role", "behandlare", "--person", "Bo Behandlare", "--date", "2026-09-03"])
        let text = try store.ok(["case", "show", code]).stdout
        let assigned = try #require(text.range(of: "2026-09-03 Bo Behandlare: Behandlare"), "\(text)")
        let remiss = try #require(text.range(of: "2026-09-08 Registrera remiss"), "\(text)")
        #expect(assigned.lowerBound < remiss.lowerBound)
    }

    @Test func showPrintsTheCaseAsTextOrJSON() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        try store.ok(["case", "complete", code, "--step", "a_remiss", "--actor", "Processledare Berg"])
        try store.ok(["case", "skip", code, "--step", "a_skolunderlag", "--reason", "Skolan har redan lämnat underlaget", "--actor", "Kurator Holm"])
        store.today = "2026-09-10"

        let text = try store.ok(["case", "show", code]).stdout
        for line in [
            "Ärende HSP-2026-0001 · Hemmasittarprogram – HSP-liknande behandlingsprogram (demo) 1.0.0",
            "Skola: Bergaskolan · årskurs 8 · aktualiserat av elevhälsoteamet · öppnat 2026-09-01",
            "Fas: Aktualisering och uppstart sedan 2026-09-01 (dag 10) · status: aktivt",
            "ATT GÖRA NU (försenat först)",
            "  ! Utse behandlarpar och processledare [a_bemanning] – försenat, skulle vara klart 2026-09-08 (2 dagar sedan)",
            "VÄNTAR",
            "  Informationsmöte och samtycke [a_information_samtycke] – väntar på Utse behandlarpar och processledare",
            "KLART I FASEN",
            "  Registrera remiss [a_remiss] – 1 gång",
            "  Skolans underlag och närvarohistorik [a_skolunderlag] – överhoppat",
            "TIDSLINJE",
            "  2026-09-01 Ärendet öppnat (elevhälsoteamet)",
            "  2026-09-01 Registrera remiss — Processledare Berg",
            "  2026-09-01 Överhoppat: Skolans underlag och närvarohistorik — Kurator Holm",
            "AVVIKELSER",
        ] {
            #expect(text.contains(line), "case show lacks: \(line)\n\(text)")
        }
        #expect(text.contains("2026-09-01 steg överhoppat: Skolans underlag och närvarohistorik – skäl: Skolan har redan lämnat underlaget"))

        let json = try store.showJSON(code)
        #expect(json["code"] as? String == code)
        #expect(json["programme"] as? String == "hsp")
        #expect(json["version"] as? String == "1.0.0")
        #expect(json["school"] as? String == "Bergaskolan")
        #expect(json["grade"] as? Int == 8)
        #expect(json["phase"] as? String == "aktualisering")
        #expect(json["status"] as? String == "active")
        #expect(json["eventCount"] as? Int == 4)
        #expect(json["deviations"] as? Int == 1)
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["type"] as? String } == ["caseOpened", "phaseEntered", "stepCompleted", "stepSkipped"])
        let agenda = try #require(json["agenda"] as? [[String: Any]])
        let bemanning = try #require(agenda.first { $0["step"] as? String == "a_bemanning" })
        #expect(bemanning["status"] as? String == "available")
        #expect(bemanning["due"] as? String == "2026-09-08")
        #expect(bemanning["overdue"] as? Bool == true)
        #expect(try store.agendaStatus(code, "a_skolunderlag") == "skipped")
        #expect(try store.agendaStatus(code, "a_information_samtycke") == "waiting")
    }

    // MARK: - The lifecycle commands

    @Test func aCaseIsDrivenThroughTheLifecycleCommands() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()

        // complete: a step without its form is saved with a note about the missing form.
        let remiss = try store.ok(["case", "complete", code, "--step", "a_remiss"])
        #expect(remiss.stdout.hasPrefix("Sparat: steget a_remiss är gjort.\n"))
        #expect(remiss.stderr.contains("Obs: stegets formulär fylldes inte i: inskrivning."))

        // assign
        let assigned = try store.ok(["case", "assign", code, "--role", "behandlare", "--person", "Behandlare Ek"])
        #expect(assigned.stdout.hasPrefix("Sparat: Behandlare Ek är behandlare i ärendet."))
        try store.ok(["case", "assign", code, "--role", "behandlare", "--person", "Behandlare Lind"])
        try store.ok(["case", "assign", code, "--role", "processledare", "--person", "Processledare Berg"])
        let removed = try store.ok(["case", "assign", code, "--role", "behandlare", "--person", "Behandlare Lind", "--remove"])
        #expect(removed.stdout.hasPrefix("Sparat: Behandlare Lind är inte längre behandlare."))
        try store.ok(["case", "assign", code, "--role", "behandlare", "--person", "Behandlare Lind"])
        #expect(try store.ok(["case", "show", code]).stdout.contains("Personal: Behandlare: Behandlare Ek, Behandlare Lind; Processledare: Processledare Berg"))

        // complete with an answers file
        let bemanning = try store.answers("bemanning.json", AnswersFiles.bemanning)
        let staffed = try store.ok(["case", "complete", code, "--step", "a_bemanning", "--answers", bemanning, "--date", "2026-09-01"])
        #expect(!staffed.stderr.contains("Obs"))

        // consent: a step that needs it says which one, and can be done once it is recorded
        store.today = "2026-09-03"
        try store.refused(["case", "complete", code, "--step", "a_skolunderlag"], [
            "fel: Steget Skolans underlag och närvarohistorik [a_skolunderlag] kräver ett gällande samtycke: Skolan till behandlarna [samtycke_skola_behandlare].",
            "Gör så här: Registrera samtycket: narvaro case consent \(code) --consent samtycke_skola_behandlare --given-by vardnadshavare-1",
        ])
        #expect(try store.agendaStatus(code, "a_skolunderlag") == "needs-consent")
        let consent = try store.ok(["case", "consent", code, "--consent", "samtycke_skola_behandlare", "--given-by", "vardnadshavare-1"])
        #expect(consent.stdout.hasPrefix("Sparat: samtycket samtycke_skola_behandlare är registrerat."))
        #expect(try store.agendaStatus(code, "a_skolunderlag") == "available")
        let revoked = try store.ok(["case", "consent", code, "--consent", "samtycke_skola_behandlare", "--revoke"])
        #expect(revoked.stdout.hasPrefix("Sparat: samtycket samtycke_skola_behandlare är återkallat."))
        #expect(try store.agendaStatus(code, "a_skolunderlag") == "needs-consent")
        try store.ok(["case", "consent", code, "--consent", "samtycke_skola_behandlare", "--given-by", "vardnadshavare-2", "--until", "2027-06-30"])
        try store.ok(["case", "complete", code, "--step", "a_skolunderlag", "--minutes", "30", "--place", "skola"])
        #expect(try store.ok(["case", "show", code]).stdout.contains("Samtycke: Skolan till behandlarna till 2027-06-30"))

        // pause and resume: nothing can be done while paused except an orosanmälan
        let paused = try store.ok(["case", "pause", code, "--reason", "Sjukhusvistelse"])
        #expect(paused.stdout.hasPrefix("Sparat: ärendet är pausat.\nFas: Aktualisering och uppstart · status: pausat sedan 2026-09-03 (Sjukhusvistelse)"))
        store.today = "2026-09-10"
        try store.refused(["case", "complete", code, "--step", "a_information_samtycke"], [
            "fel: Ärendet är pausat sedan 2026-09-03.", "Gör så här: Återuppta det först: narvaro case resume \(code)",
        ])
        let concern = try store.ok(["case", "concern", code])
        #expect(concern.stdout.hasPrefix("Sparat: orosanmälan är registrerad."))
        #expect(try store.listJSON(["--overdue"]).isEmpty)  // nothing is overdue while paused
        store.today = "2026-09-13"
        #expect(try store.ok(["case", "resume", code]).stdout.hasPrefix("Sparat: ärendet är återupptaget."))
        // 10 paused days: the information meeting (due 2026-09-15) is now due 2026-09-25.
        let agenda = try store.showJSON(code)["agenda"] as? [[String: Any]] ?? []
        #expect(agenda.first { $0["step"] as? String == "a_information_samtycke" }?["due"] as? String == "2026-09-25")

        // skip, then advance: a skipped information meeting leaves the consent gate unmet, so the team overrides it
        let skipped = try store.ok(["case", "skip", code, "--step", "a_information_samtycke", "--reason", "Informationen gavs vid remissmötet"])
        #expect(skipped.stdout.hasPrefix("Sparat: steget a_information_samtycke hoppas över (avvikelse)."))
        try store.refused(["case", "advance", code], [
            "fel: Fasen Aktualisering och uppstart är inte klar: ett krav är inte uppfyllt.",
            "  - grind: Håll informationsmötet och registrera samtycket.",
        ])
        let advanced = try store.ok(["case", "advance", code, "--override", "Informationsmötet hölls vid remissmötet; remissen finns på papper", "--actor", "Teamledare Sand"])
        #expect(advanced.stdout.hasPrefix("Sparat: ärendet har gått vidare till nästa fas.\nFas: Kartläggning · status: aktivt\nNästa:"))
        let shown = try store.ok(["case", "show", code]).stdout
        #expect(shown.contains("2026-09-13 Grind förbigången: Aktualisering och uppstart — Teamledare Sand"))
        #expect(shown.contains("2026-09-13 fas lämnad trots ouppfyllda krav: Aktualisering och uppstart – skäl: Informationsmötet hölls vid remissmötet; remissen finns på papper"))
        #expect(shown.contains("remissen finns på papper (Teamledare Sand)"))

        // close with a dropout reason: allowed in any phase; then only follow-up and concerns
        store.today = "2026-09-20"
        try store.refused(["case", "close", code, "--reason", "genomfort"], [
            "fel: Ett ärende avslutas som genomfört först i programmets sista fas (Vidmakthållande).",
        ])
        let closed = try store.ok(["case", "close", code, "--reason", "flyttat"])
        #expect(closed.stdout.hasPrefix("Sparat: ärendet är avslutat.\nFas: Kartläggning · status: avslutat 2026-09-20 (flyttat)"))
        #expect(!closed.stdout.contains("Nästa:"))
        try store.refused(["case", "complete", code, "--step", "k_foraldrasamtal"], ["fel: Ärendet \(code) avslutades 2026-09-20."])
        try store.ok(["case", "concern", code])
        store.today = "2026-12-01"
        let overdueCases = try store.listJSON(["--overdue"])
        let listed = try store.listJSON()
        #expect(overdueCases.isEmpty)
        #expect(listed.first?["overdue"] as? Int == 0)
        let json = try store.showJSON(code)
        #expect(json["status"] as? String == "closed")
        let types = (json["events"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        #expect(types.filter { $0 == "concernReported" }.count == 2)
        #expect(types.last == "concernReported")

        // verify and backup
        let verify = try store.ok(["verify"])
        #expect(verify.stdout == "Kontrollerade 1 ärenden och \(types.count) händelser.\nAllt stämmer.\n")
        let backup = store.dir.appendingPathComponent("kopia.sqlite").path
        let copied = try store.ok(["backup", backup])
        #expect(copied.stdout == "Säkerhetskopian \(backup) är skriven och kontrollerad: 1 ärenden, \(types.count) händelser.\n")
        let copyVerify = try CLIRunner.run(["verify", "--store", backup], environment: store.environment)
        #expect(copyVerify.status == 0, "\(copyVerify.stderr)")
        #expect(copyVerify.stdout == verify.stdout)
        let copyShow = try CLIRunner.run(["case", "show", code, "--format", "json", "--store", backup], environment: store.environment)
        #expect(copyShow.stdout == (try store.ok(["case", "show", code, "--format", "json"])).stdout)
        // A backup never overwrites a file.
        let again = try store.run(["backup", backup])
        #expect(again.status == 1)
        #expect(!again.stderr.isEmpty)
        store.expectNoBacktrace(again)
    }

    @Test func repeatingACommandSavesNothingNew() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        let first = try store.ok(["case", "complete", code, "--step", "a_remiss", "--command-id", "kommando-1"])
        #expect(first.stdout.hasPrefix("Sparat: steget a_remiss är gjort."))
        let before = try store.snapshot()
        let second = try store.ok(["case", "complete", code, "--step", "a_remiss", "--command-id", "kommando-1"])
        #expect(second.stdout.hasPrefix("Redan gjort (samma kommando); inget nytt sparades."))
        #expect(try store.snapshot() == before)
    }

    // MARK: - Bad input: a clear message on stderr, exit 1, no backtrace, the store unchanged

    @Test func anUnknownCaseCode() throws {
        let store = try TestStore()
        try store.initialise()
        _ = try store.open()
        let message = "fel: Det finns inget ärende HSP-2026-0099. Se ärendena med: narvaro case list"
        try store.refused(["case", "show", "HSP-2026-0099"], [message])
        try store.refused(["case", "complete", "HSP-2026-0099", "--step", "a_remiss"], [message])
        try store.refused(["case", "pause", "HSP-2026-0099", "--reason", "Lov"], [message])
        try store.refused(["case", "concern", "HSP-2026-0099"], [message])
        let english = try store.refused(["case", "skip", "HSP-2026-0099", "--step", "a_remiss", "--reason", "Skäl", "--lang", "en"], [])
        #expect(english.stderr == "error: There is no case HSP-2026-0099. See the cases with: narvaro case list\n")
    }

    @Test func aStepThatIsNotInTheProgramme() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        try store.refused(["case", "complete", code, "--step", "hembesok"], [
            "fel: Programmet hsp har inget steg 'hembesok'.", "Gör så här: Se stegen med: narvaro case show \(code)",
        ])
        try store.refused(["case", "skip", code, "--step", "hembesok", "--reason", "Finns inte"], ["fel: Programmet hsp har inget steg 'hembesok'."])
        try store.refused(["case", "complete", code, "--step", "k_foraldrasamtal"], [
            "fel: Steget Föräldrasamtal [k_foraldrasamtal] hör till fasen Kartläggning, men ärendet är i fasen Aktualisering och uppstart.",
        ])
    }

    @Test func advancingWithUnmetRequirements() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        try store.refused(["case", "advance", code], [
            "fel: Fasen Aktualisering och uppstart är inte klar: 7 krav är inte uppfyllda.",
            "  - steget Registrera remiss [a_remiss] är inte gjort",
            "  - grind: Två behandlare och en processledare måste vara utsedda (narvaro case assign, eller bemanningsformuläret).",
            "Gör så här: Gör det som saknas, hoppa över steg med ett skäl (narvaro case skip), eller gå vidare ändå med --override \"skäl\" (det blir en avvikelse).",
        ])
        try store.refused(["case", "advance", code, "--override", " "], ["fel: Ange skälet att gå vidare trots att kraven inte är uppfyllda."])
    }

    @Test func aSkipWithoutAReason() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        try store.refused(["case", "skip", code, "--step", "a_remiss", "--reason", " "], [
            "fel: Ange varför steget hoppas över.",
            "Gör så här: Skriv skälet med några ord; det sparas som en dokumenterad avvikelse eller uppgift.",
        ])
        // Leaving out --reason altogether is a usage error from the argument parser.
        let before = try store.snapshot()
        let r = try store.run(["case", "skip", code, "--step", "a_remiss"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--reason"))
        store.expectNoBacktrace(r)
        #expect(try store.snapshot() == before)
        #expect(r.status == 64)  // EX_USAGE: the command line itself is wrong
        #expect(r.stderr.contains("fel: kommandot kunde inte läsas"))
    }

    @Test func aPersonnummerThatFailsValidation() throws {
        let store = try TestStore()
        try store.initialise()
        _ = try store.open()
        for (input, message) in [
            ("641323-3230", "fel: Personnumret innehåller inget giltigt födelsedatum."),
            ("6408", "fel: Ange personnumret med 10 eller 12 siffror"),
        ] {
            let r = try store.refused(["case", "open", "--student", TestStore.student, "--personnummer", input, "--school", "Bergaskolan", "--grade", "8"], [message])
            #expect(!r.stderr.contains(input), "the rejected personnummer is echoed")
        }
        let checkDigit = try store.refused(["case", "open", "--student", TestStore.student, "--personnummer", "640823-3235", "--school", "Bergaskolan", "--grade", "8"], [
            "fel: Personnumrets kontrollsiffra stämmer inte.",
        ])
        #expect(!checkDigit.stderr.contains("640823"))
        #expect(checkDigit.stderr.lowercased().contains("personnum"))
        #expect(try store.listJSON().count == 1)
        // The next case still gets the next code.
        #expect(try store.open() == "HSP-2026-0002")
    }

    @Test func aClosedCase() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        try store.ok(["case", "close", code, "--reason", "tackat-nej"])
        let closed = "fel: Ärendet \(code) avslutades 2026-09-01."
        try store.refused(["case", "complete", code, "--step", "a_remiss"], [closed, "Gör så här: Ett avslutat ärende ändras inte; uppföljningssteg registreras som vanligt."])
        try store.refused(["case", "skip", code, "--step", "a_remiss", "--reason", "Avslutat"], [closed])
        try store.refused(["case", "advance", code, "--override", "Vidare ändå"], [closed])
        try store.refused(["case", "pause", code, "--reason", "Lov"], [closed])
        try store.refused(["case", "close", code, "--reason", "flyttat"], [closed])
        try store.refused(["case", "assign", code, "--role", "behandlare", "--person", "Behandlare Ek"], [closed])
        try store.refused(["case", "resume", code], [closed])
        #expect(try store.ok(["case", "concern", code]).stdout.hasPrefix("Sparat: orosanmälan är registrerad."))
    }

    @Test func datesInTheFutureOrBeforeTheCaseOpened() throws {
        let store = try TestStore(today: "2026-09-10")
        try store.initialise()
        let code = try store.open(date: "2026-09-05")
        try store.refused(["case", "complete", code, "--step", "a_remiss", "--date", "2026-09-11"], [
            "fel: Datumet 2026-09-11 ligger i framtiden.", "Gör så här: Registrera det som redan har hänt, med dagens eller ett tidigare datum.",
        ])
        try store.refused(["case", "pause", code, "--reason", "Lov", "--date", "2026-12-24"], ["fel: Datumet 2026-12-24 ligger i framtiden."])
        try store.refused(["case", "complete", code, "--step", "a_remiss", "--date", "2026-09-04"], [
            "fel: Datumet 2026-09-04 ligger före ärendets start (2026-09-05).",
        ])
        // An orosanmälan is never refused, not even with a date before the case was opened.
        try store.ok(["case", "concern", code, "--date", "2026-09-04"])
        try store.refused(["case", "open", "--student", TestStore.student, "--personnummer", TestStore.personnummer, "--school", "Bergaskolan", "--grade", "8", "--date", "2026-09-11"], [
            "fel: Datumet 2026-09-11 ligger i framtiden.",
        ])
        // A date that does not exist is a usage error.
        let r = try store.run(["case", "complete", code, "--step", "a_remiss", "--date", "2026-02-30"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("2026-02-30"))
        store.expectNoBacktrace(r)
    }

    @Test func otherBadInput() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        try store.complete(code, "a_remiss")
        try store.refused(["case", "open", "--student", TestStore.student, "--personnummer", TestStore.personnummer, "--school", "Bergaskolan", "--grade", "14"], [
            "fel: Årskursen 14 finns inte; ange 0 (förskoleklass) till 12.",
        ])
        try store.refused(["case", "open", "--student", " ", "--personnummer", TestStore.personnummer, "--school", "Bergaskolan", "--grade", "8"], ["fel: Ange elevens namn."])
        try store.refused(["case", "open", "--student", TestStore.student, "--personnummer", TestStore.personnummer, "--school", "Bergaskolan", "--grade", "8", "--programme", "okand"], [
            "fel: Programmet 'okand' finns inte i lagringen. Registrerade: hsp.",
        ])
        try store.refused(["case", "consent", code, "--consent", "samtycke_allt", "--given-by", "vardnadshavare-1"], [
            "fel: Programmet har inget samtycke 'samtycke_allt'.", "Samtycken i programmet: samtycke_skola_behandlare,",
        ])
        try store.refused(["case", "consent", code, "--consent", "samtycke_skola_behandlare", "--revoke"], [
            "fel: Det finns inget gällande samtycke 'samtycke_skola_behandlare' att återkalla.",
        ])
        try store.refused(["case", "assign", code, "--role", "kurator", "--person", "Holm"], [
            "fel: Programmet har ingen roll 'kurator'.", "Gör så här: Personalroller: behandlare, processledare, teamledare, metodgarant.",
        ])
        try store.refused(["case", "assign", code, "--role", "elev", "--person", "Holm"], ["fel: 'elev' är en deltagare, inte personal."])
        try store.refused(["case", "resume", code], ["fel: Ärendet är inte pausat."])
        try store.refused(["case", "complete", code, "--step", "a_remiss"], ["fel: Steget Registrera remiss [a_remiss] är redan gjort."])
        try store.refused(["case", "complete", code, "--step", "a_information_samtycke"], [
            "fel: Steget Informationsmöte och samtycke [a_information_samtycke] väntar på: Utse behandlarpar och processledare [a_bemanning].",
        ])
        let wrong = try store.answers("fel.json", AnswersFiles.bemanningWithErrors)
        try store.refused(["case", "complete", code, "--step", "a_bemanning", "--answers", wrong], [
            "fel: Svaren kan inte sparas:", "  - bemanning.behandlare_antal:", "Gör så här: Rätta svaren och försök igen; inget sparades.",
        ])
        try store.refused(["case", "complete", code, "--step", "a_bemanning", "--answers", store.dir.appendingPathComponent("saknas.json").path], [
            "saknas.json: fel: filen kunde inte läsas",
        ])
        let pause = try store.refused(["case", "pause", code, "--reason", ""], ["fel: "])
        #expect(pause.stderr.split(separator: "\n").first?.contains("skäl") == true)
    }

    @Test func withoutAStoreEveryCommandSaysHowToCreateIt() throws {
        let store = try TestStore()
        for arguments in [["case", "list"], ["case", "show", "HSP-2026-0001"], ["verify"]] {
            let r = try store.run(arguments)
            #expect(r.status == 1)
            #expect(r.stderr == "fel: Det finns ingen lagring i \(store.path). Skapa den med: narvaro init --programme programmes/hsp.xml\n")
            store.expectNoBacktrace(r)
        }
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }

    // MARK: - Privacy

    @Test func thePersonnummerNeverAppearsInAnyOutput() throws {
        let store = try TestStore()
        try store.initialise()
        let code = try store.open()
        _ = try store.open(school: "Ekskolan", grade: 9)
        try store.complete(code, "a_remiss")
        try store.ok(["case", "assign", code, "--role", "behandlare", "--person", "Behandlare Ek"])
        try store.ok(["case", "consent", code, "--consent", "samtycke_skola_behandlare", "--given-by", "vardnadshavare-1"])
        try store.ok(["case", "skip", code, "--step", "a_skolunderlag", "--reason", "Underlaget finns redan"])
        try store.ok(["case", "pause", code, "--reason", "Lov"])
        try store.ok(["case", "resume", code])
        try store.ok(["case", "concern", code])
        try store.ok(["case", "advance", code, "--override", "Testet går vidare"])
        for lang in ["sv", "en"] {
            try store.ok(["case", "list", "--lang", lang])
            try store.ok(["case", "list", "--format", "json", "--lang", lang])
            try store.ok(["case", "show", code, "--lang", lang])
            try store.ok(["case", "show", code, "--format", "json", "--lang", lang])
        }
        try store.ok(["verify"])
        try store.ok(["backup", store.dir.appendingPathComponent("kopia.sqlite").path])
        _ = try store.run(["case", "advance", code])
        _ = try store.run(["case", "complete", code, "--step", "hembesok"])
        _ = try store.run(["case", "close", code, "--reason", "genomfort"])
        try store.ok(["case", "close", code, "--reason", "flyttat"])
        _ = try store.run(["case", "open", "--student", TestStore.student, "--personnummer", TestStore.personnummer, "--school", "Ekskolan", "--grade", "15"])

        let everything = store.transcript.joined(separator: "\n")
        #expect(store.transcript.count > 40)
        for form in TestStore.personnummerForms {
            #expect(!everything.contains(form), "the personnummer (\(form)) was printed")
        }
        #expect(!everything.contains(TestStore.student), "the student's name was printed")
    }
}

extension TestStore {
    /// `case complete CODE --step STEP` that must succeed.
    @discardableResult
    func complete(_ code: String, _ step: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> CLIRunner.Output {
        try ok(["case", "complete", code, "--step", step], sourceLocation: sourceLocation)
    }
}
