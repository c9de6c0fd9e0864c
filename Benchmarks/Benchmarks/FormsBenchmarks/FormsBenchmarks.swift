import Benchmark
import Forms

/// A 40-field form with relevance (skip logic), constraints and two calculated scores, validated
/// from scratch, as after every keystroke of a guided session. Target: ≤ 20 µs per validation.
let benchmarks: @Sendable () -> Void = {
    var fields = ""
    for i in 1...40 {
        switch i % 4 {
        case 0:
            fields += """
                <field id="f\(i)" type="integer" min="0" max="10" constraint="$f\(i) != 7"><label>Fråga \(i)</label>
                  <constraint-message>Inte sju.</constraint-message></field>\n
                """
        case 1:
            fields += "<field id=\"f\(i)\" type=\"boolean\" required=\"true\"><label>Fråga \(i)</label></field>\n"
        case 2:
            fields += "<field id=\"f\(i)\" type=\"decimal\" relevant=\"$f\(i - 1) = 'true'\" required-when=\"$f\(i - 1) = 'true'\"><label>Fråga \(i)</label></field>\n"
        default:
            fields += """
                <field id="f\(i)" type="choice" required="true"><label>Fråga \(i)</label>
                  <choice value="a"><label>A</label></choice><choice value="b"><label>B</label></choice></field>\n
                """
        }
    }
    let integers = stride(from: 4, through: 40, by: 4).map { "f\($0)" }.joined(separator: " ")
    let decimals = stride(from: 2, through: 40, by: 4).map { "f\($0)" }.joined(separator: " ")
    let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <programme xmlns="urn:narvaro:programme:1" id="bench" version="1.0.0" xml:lang="sv">
          <title>Bänk</title><owner>Test</owner><provenance>Benchmark</provenance>
          <roles><role id="r" kind="staff"><title>R</title></role></roles>
          <phase id="p"><title>P</title><step id="s" performed-by="r" domain="skola"><title>S</title><form ref="f"/></step></phase>
          <form id="f" domain="skola"><title>F</title>
          \(fields)
            <score id="summa" method="sum" of="\(integers)"><label>Summa</label>
              <band code="lag" max="40"><label>Låg</label></band><band code="hog" min="41"><label>Hög</label></band></score>
            <score id="medel" method="mean" of="\(decimals)" min-answered="1"><label>Medel</label></score>
          </form>
        </programme>
        """
    guard case .success(let loaded) = ProgrammeLoader.load(bytes: Array(xml.utf8), file: "bench.xml") else {
        fatalError("the benchmark form does not load")
    }
    let form = loaded.programme.form("f")!
    var answers: FormAnswers = [:]
    for i in 1...40 {
        switch i % 4 {
        case 0: answers["f\(i)"] = .number(Double(i % 7 == 0 ? 3 : i % 11))
        case 1: answers["f\(i)"] = .bool(i % 8 == 1)
        case 2: answers["f\(i)"] = .number(Double(i) / 3)
        default: answers["f\(i)"] = .text(i % 2 == 0 ? "a" : "b")
        }
    }
    let today = ISODate.dayNumber("2026-11-22")!
    let engine = FormEngine(form: form, programme: loaded.programme)
    precondition(engine.evaluate(answers, today: today).scores["summa"]?.value != nil)

    Benchmark(
        "validate a 40-field form",
        configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(3))
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(engine.evaluate(answers, today: today))
        }
    }
}
