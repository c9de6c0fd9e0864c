import Forms
import Testing

/// Hand-computed examples of the SRAS-R rule (DOMAIN.md §4.1) and of bands.
@Suite struct ScoringTests {
    let sras = TestProgramme.engine("sras")
    let today = TestProgramme.today

    func child(_ values: [Int: Int]) -> FormAnswers {
        var answers: FormAnswers = [:]
        for i in 1...24 { answers["c\(i)"] = .number(Double(values[i] ?? 0)) }
        return answers
    }

    @Test func functionScoresAreItemMeans() {
        // Function 2 = items 2, 6, 10, 14, 18, 22 = 6, 5, 4, 3, 2, 1 → 21 / 6 = 3.5.
        // Function 1 = items 1, 5, … = 1 each → 1. Function 4 = 3, 3, 4, 4, 3, 4 → 21 / 6 = 3.5.
        let answers = child([2: 6, 6: 5, 10: 4, 14: 3, 18: 2, 22: 1, 1: 1, 5: 1, 9: 1, 13: 1, 17: 1, 21: 1,
                             4: 3, 8: 3, 12: 4, 16: 4, 20: 3, 24: 4])
        let e = sras.evaluate(answers, today: today)
        #expect(e.scores["barn_f1"]?.value == 1)
        #expect(e.scores["barn_f2"]?.value == 3.5)
        #expect(e.scores["barn_f3"]?.value == 0)
        #expect(e.scores["barn_f4"]?.value == 3.5)
        // No parent answers: each combined score is the child's (min-answered 1).
        #expect(e.scores["f2"]?.value == 3.5)
        // An exact tie: both are primary.
        #expect(e.scores["profil"]?.profile == ["f2", "f4"])
    }

    func parentOnly(_ f: [Double]) -> FormAnswers {
        var answers: FormAnswers = [:]
        for (i, v) in f.enumerated() { answers["vh_f\(i + 1)"] = .number(v) }
        return answers
    }

    @Test func respondentsAreAveragedAndTiesWithinTheToleranceCount() {
        // Child function means 4.0, 2.5, 1.0, 3.5 (items set so), parent 3.5, 2.0, 1.5, 4.5.
        // Combined 3.75, 2.25, 1.25, 4.0: f1 is exactly 0.25 below the top, so it is primary too.
        var answers = child([1: 4, 5: 4, 9: 4, 13: 4, 17: 4, 21: 4,
                             2: 3, 6: 2, 10: 3, 14: 2, 18: 3, 22: 2,
                             3: 1, 7: 1, 11: 1, 15: 1, 19: 1, 23: 1,
                             4: 4, 8: 3, 12: 4, 16: 3, 20: 4, 24: 3])
        answers.merge(parentOnly([3.5, 2.0, 1.5, 4.5])) { _, b in b }
        let e = sras.evaluate(answers, today: today)
        #expect(e.scores["barn_f2"]?.value == 2.5)
        #expect(e.scores["f1"]?.value == 3.75)
        #expect(e.scores["f2"]?.value == 2.25)
        #expect(e.scores["f3"]?.value == 1.25)
        #expect(e.scores["f4"]?.value == 4.0)
        #expect(e.scores["profil"]?.profile == ["f1", "f4"])
    }

    @Test func justOutsideTheToleranceIsNotPrimary() {
        // Parent f4 = 4.6 makes combined f4 = 4.05; f1 = 3.75 is 0.30 below: only f4 is primary.
        var answers = child([1: 4, 5: 4, 9: 4, 13: 4, 17: 4, 21: 4, 4: 4, 8: 3, 12: 4, 16: 3, 20: 4, 24: 3])
        answers.merge(parentOnly([3.5, 0, 0, 4.6])) { _, b in b }
        let e = sras.evaluate(answers, today: today)
        #expect(abs((e.scores["f4"]?.value ?? 0) - 4.05) < 1e-9)
        #expect(e.scores["profil"]?.profile == ["f4"])
    }

    @Test func aMissingItemMeansTheFunctionCannotBeComputed() {
        var answers = child([:])
        answers["c5"] = nil
        let e = sras.evaluate(answers, today: today)
        #expect(e.scores["barn_f1"]?.value == nil)
        #expect(e.scores["barn_f2"]?.value == 0)
        // The combined score falls back to the parent alone, and here there is no parent either.
        #expect(e.scores["f1"]?.value == nil)
    }

    @Test(arguments: [(0, "normal"), (7, "normal"), (8, "mojlig"), (10, "mojlig"), (11, "trolig"), (21, "trolig")])
    func bandsInterpretAScore(_ value: Int, _ band: String) {
        let e = TestProgramme.engine("had").evaluate(["angest": .number(Double(value))], today: today)
        #expect(e.scores["angest_band"]?.band?.code == band)
    }

    @Test func sumWithMinAnsweredCountsWhatIsThere() {
        let had = TestProgramme.engine("had")
        #expect(had.evaluate(["angest": .number(9)], today: today).scores["summa"]?.value == 9)
        #expect(had.evaluate(["angest": .number(9), "depression": .number(4)], today: today).scores["summa"]?.value == 13)
        #expect(had.evaluate([:], today: today).scores["summa"]?.value == nil)
    }

    @Test func countCountsAnsweredChoices() {
        let intag = TestProgramme.engine("intag")
        #expect(intag.evaluate(["sasong": .list(["morgon", "lunch"])], today: today).scores["antal_val"]?.value == 1)
    }
}
