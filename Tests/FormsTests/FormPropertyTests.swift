import Foundation
import Forms
import PropertyBased
import TestSupport
import Testing

/// Random answer sets against every form of the shipped programmes and the test programme.
@Suite struct FormPropertyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let programmes: [Programme] = {
        var list = [TestProgramme.programme]
        for name in ["hsp", "processledare"] {
            if case .success(let loaded) = ProgrammeLoader.load(path: root.appendingPathComponent("programmes/\(name).xml").path) {
                list.append(loaded.programme)
            }
        }
        return list
    }()

    static let forms: [(Programme, Form)] = programmes.flatMap { p in p.forms.map { (p, $0) } }

    @Test func theShippedProgrammesAreIncluded() {
        #expect(Self.programmes.count == 3)
    }

    @Test func randomAnswersNeverCrashAndCompleteMeansEveryRuleHolds() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix(seed: UInt64(seed))
            let (programme, form) = Self.forms[Int(rng.next() % UInt64(Self.forms.count))]
            let answers = RandomAnswers.make(for: form, in: programme, rng: &rng)
            let engine = FormEngine(form: form, programme: programme)
            let e = engine.evaluate(answers, today: TestProgramme.today)
            _ = AnswersCheck(form: form, programme: programme, answers: answers, today: TestProgramme.today)

            // Checked again, independently: a fresh evaluator over the answers the engine counted.
            let check = IndependentCheck(form: form, evaluation: e)
            for id in e.itemsToAsk {
                if let relevant = form.field(id)?.relevant ?? form.groups.first(where: { $0.id == id })?.relevant {
                    #expect(check.test(relevant.source), "\(form.id).\(id) is asked although '\(relevant.source)' is false")
                }
            }
            if e.isComplete {
                for id in e.itemsToAsk {
                    guard let field = form.fields.first(where: { $0.id == id }) else { continue }
                    // A constraint holds for an answer; an empty value (even of another type, as `[]` for a date) is no answer.
                    if let constraint = field.constraint, let answer = e.effectiveAnswers[id], !answer.isEmpty {
                        #expect(check.test(constraint.source), "complete, but \(form.id).\(id) breaks '\(constraint.source)'")
                    }
                    if field.isRequired {
                        #expect(e.effectiveAnswers[id].map { !$0.isEmpty } == true, "complete, but required \(form.id).\(id) is empty")
                    }
                }
            }
        }
    }


    @Test func answersThatAreValidForEveryFieldMakeCompleteFormsOfTheTestProgramme() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix(seed: UInt64(seed))
            let form = TestProgramme.programme.form("had")!
            let a = Double(rng.next() % 22), d = Double(rng.next() % 22)
            let e = FormEngine(form: form, programme: TestProgramme.programme)
                .evaluate(["angest": .number(a), "depression": .number(d)], today: TestProgramme.today)
            #expect(e.isComplete)
            #expect(e.scores["summa"]?.value == a + d)
        }
    }
}

/// Evaluates expressions over what the engine says counts, with nothing shared with the engine.
final class IndependentCheck: XPathEnvironment {
    let evaluator = XPathEvaluator()
    var values: [String: XPathValue] = [:]
    let known: Set<String>

    init(form: Form, evaluation: FormEvaluation) {
        var known = Set(form.scores.map(\.id))
        for item in form.items {
            known.insert(item.id)
            if case .group(let g) = item { known.formUnion(g.fields.map(\.id)) }
        }
        self.known = known
        for (id, value) in evaluation.effectiveAnswers { values[id] = value.xpathValue }
        for (id, result) in evaluation.scores { values[id] = result.xpathValue }
    }

    var functionNames: Set<String> { StandardFunctions.names }

    func variable(_ name: String) -> XPathValue? { values[name] ?? (known.contains(name) ? .string("") : nil) }

    func call(_ name: String, _ arguments: [XPathValue]) -> XPathValue? {
        StandardFunctions.call(name, arguments, today: TestProgramme.today)
    }

    func test(_ source: String) -> Bool { (try? evaluator.test(source, in: self)) == true }
}

/// Answers of every kind: mostly plausible, some wrong in form, some of the wrong type, some missing.
enum RandomAnswers {
    static func make(for form: Form, in programme: Programme, rng: inout SplitMix) -> FormAnswers {
        var answers: FormAnswers = [:]
        for item in form.items {
            switch item {
            case .field(let field):
                if let value = value(for: field, in: programme, rng: &rng) { answers[field.id] = value }
            case .group(let group):
                guard rng.next() % 4 != 0 else { continue }
                let rows = (0..<Int(rng.next() % 4)).map { _ in
                    var row: [String: AnswerValue] = [:]
                    for f in group.fields { if let v = value(for: f, in: programme, rng: &rng) { row[f.id] = v } }
                    return row
                }
                answers[group.id] = .rows(rows)
            }
        }
        return answers
    }

    static func value(for field: Field, in programme: Programme, rng: inout SplitMix) -> AnswerValue? {
        let roll = rng.next() % 20
        if roll < 4 { return nil }
        if roll == 4 { return .text(["", "x", "åäö", "-1", "1e9", "2026-02-30", "NaN"][Int(rng.next() % 7)]) }
        if roll == 5 { return [.bool(true), .number(-3), .list(["nope"]), .rows([])][Int(rng.next() % 4)] }
        let low = field.min.flatMap { Double($0) } ?? 0
        let high = field.max.flatMap { Double($0) } ?? max(low + 20, 20)
        let span = max(high - low, 0)
        switch field.type {
        case .integer, .scale, .minutes: return .number((low + Double(rng.next() % UInt64(span + 1))).rounded())
        case .decimal: return .number(low + Double(rng.next() % 1000) / 1000 * span)
        case .percent: return .number(Double(rng.next() % 101))
        case .boolean: return .bool(rng.next() % 2 == 0)
        case .date: return .text(ISODate.string(fromDayNumber: TestProgramme.today - Int(rng.next() % 800)))
        case .text, .longtext: return .text(["Anpassat schema", "ABC-12", "ja", "Fiktiv text"][Int(rng.next() % 4)])
        case .personnummer: return .text(["640823-3234", "640823-3235", "121212-1212"][Int(rng.next() % 3)])
        case .choice, .multichoice:
            let choices = FieldInput.choices(for: field, in: programme).map(\.value)
            guard !choices.isEmpty else { return nil }
            if field.type == .choice { return .text(choices[Int(rng.next() % UInt64(choices.count))]) }
            return .list(choices.filter { _ in rng.next() % 2 == 0 })
        }
    }
}
