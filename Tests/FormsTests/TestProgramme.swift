import Forms

/// A small programme written for these tests: an intake form with skip logic, constraints, a
/// calculation and a repeat group; and a SRAS-R-style form scored as DOMAIN.md §4.1 says (item
/// means, respondents averaged, a 0.25 tie tolerance). Item labels are placeholders, not the
/// licensed questionnaire's texts.
enum TestProgramme {
    static let today = ISODate.dayNumber("2026-11-22")!

    static let xml: String = {
        var items = ""
        for i in 1...24 {
            items += """
                    <field id="c\(i)" type="scale" min="0" max="6"><label>Barn, fråga \(i)</label></field>

                """
        }
        func itemsOf(_ f: Int) -> String { stride(from: f, through: 24, by: 4).map { "c\($0)" }.joined(separator: " ") }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <programme xmlns="urn:narvaro:programme:1" id="test" version="1.0.0" xml:lang="sv">
              <title>Testprogram</title>
              <owner>Testkommunen</owner>
              <provenance>Skrivet för tester.</provenance>
              <roles><role id="behandlare" kind="staff"><title>Behandlare</title></role></roles>
              <choice-list id="plats">
                <choice value="hem"><label>Hemma</label><label xml:lang="en">Home</label></choice>
                <choice value="skola"><label>Skolan</label><label xml:lang="en">School</label></choice>
                <choice value="digitalt"><label>Digitalt</label><label xml:lang="en">Online</label></choice>
              </choice-list>
              <phase id="fas"><title>Fas</title>
                <step id="intag" performed-by="behandlare" domain="elevhalsa"><title>Intag</title>
                  <form ref="intag"/><form ref="sras"/><form ref="had"/></step>
              </phase>
              <form id="intag" domain="elevhalsa">
                <title>Inskrivning</title>
                <field id="datum" type="date" required="true"><label>Datum</label></field>
                <field id="arskurs" type="integer" required="true" min="0" max="10"><label>Årskurs</label></field>
                <field id="tolk" type="boolean" required="true"><label>Behövs tolk?</label></field>
                <field id="sprak" type="text" required-when="$tolk = 'true'" relevant="$tolk = 'true'"><label>Språk</label></field>
                <field id="franvaro" type="percent" required="true"><label>Frånvaro senaste 3 veckorna</label></field>
                <field id="giltig" type="percent" constraint="$giltig &lt;= $franvaro">
                  <label>Varav giltig frånvaro</label>
                  <constraint-message>Den giltiga frånvaron kan inte vara större än all frånvaro.</constraint-message>
                  <constraint-message xml:lang="en">Valid absence cannot be more than all absence.</constraint-message>
                </field>
                <field id="ogiltig" type="percent" calculate="$franvaro - $giltig"><label>Ogiltig frånvaro</label></field>
                <field id="plats" type="choice" choices="plats" required="true"><label>Plats</label></field>
                <field id="sasong" type="multichoice"><label>Svårt när</label>
                  <choice value="morgon"><label>Morgon</label></choice>
                  <choice value="lunch"><label>Lunch</label></choice>
                </field>
                <field id="morgonrutin" type="longtext" relevant="selected($sasong, 'morgon')"><label>Morgonrutin</label></field>
                <field id="minuter" type="minutes" min="5" max="300"><label>Samtalets längd</label></field>
                <field id="kod" type="text" pattern="[A-Z]{3}-[0-9]{2}"><label>Kod</label></field>
                <group id="insatser" min="1" max="5">
                  <label>Tidigare insatser</label>
                  <field id="vad" type="text" required="true"><label>Vad</label></field>
                  <field id="effekt" type="choice" required="true"><label>Effekt</label>
                    <choice value="ingen"><label>Ingen</label></choice>
                    <choice value="viss"><label>Viss</label></choice>
                  </field>
                  <field id="narmare" type="text" relevant="$effekt = 'viss'"><label>Berätta mer</label></field>
                </group>
                <score id="antal_val" method="count" of="sasong"><label>Antal val</label></score>
              </form>
              <form id="sras" domain="elevhalsa" licensed-items="true">
                <title>Funktionsprofil (test)</title>
            \(items)
                <field id="vh_f1" type="decimal" min="0" max="6"><label>VH funktion 1</label></field>
                <field id="vh_f2" type="decimal" min="0" max="6"><label>VH funktion 2</label></field>
                <field id="vh_f3" type="decimal" min="0" max="6"><label>VH funktion 3</label></field>
                <field id="vh_f4" type="decimal" min="0" max="6"><label>VH funktion 4</label></field>
                <score id="barn_f1" method="mean" of="\(itemsOf(1))"><label>Barn F1</label></score>
                <score id="barn_f2" method="mean" of="\(itemsOf(2))"><label>Barn F2</label></score>
                <score id="barn_f3" method="mean" of="\(itemsOf(3))"><label>Barn F3</label></score>
                <score id="barn_f4" method="mean" of="\(itemsOf(4))"><label>Barn F4</label></score>
                <score id="f1" method="mean" of="barn_f1 vh_f1" min-answered="1"><label>F1</label></score>
                <score id="f2" method="mean" of="barn_f2 vh_f2" min-answered="1"><label>F2</label></score>
                <score id="f3" method="mean" of="barn_f3 vh_f3" min-answered="1"><label>F3</label></score>
                <score id="f4" method="mean" of="barn_f4 vh_f4" min-answered="1"><label>F4</label></score>
                <score id="profil" method="highest" of="f1 f2 f3 f4" tolerance="0.25"><label>Primär funktion</label></score>
              </form>
              <form id="had" domain="halsa">
                <title>HAD (poäng)</title>
                <field id="angest" type="integer" min="0" max="21" required="true"><label>Ångest</label></field>
                <field id="depression" type="integer" min="0" max="21"><label>Depression</label></field>
                <score id="angest_band" method="sum" of="angest">
                  <label>Ångest, tolkning</label>
                  <band code="normal" min="0" max="7"><label>Normalt</label></band>
                  <band code="mojlig" min="8" max="10"><label>Möjlig</label></band>
                  <band code="trolig" min="11" max="21"><label>Trolig</label></band>
                </score>
                <score id="summa" method="sum" of="angest depression" min-answered="1"><label>Summa</label></score>
              </form>
            </programme>
            """
    }()

    static let programme: Programme = {
        switch ProgrammeLoader.load(bytes: Array(xml.utf8), file: "test.xml") {
        case .success(let loaded): return loaded.programme
        case .failure(let error): fatalError(error.diagnostics.map { $0.rendered(.en) }.joined(separator: "\n"))
        }
    }()

    static func engine(_ form: String) -> FormEngine {
        FormEngine(form: programme.form(form)!, programme: programme)
    }
}
