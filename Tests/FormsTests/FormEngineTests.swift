import Forms
import Testing

@Suite struct FormEngineTests {
    let intag = TestProgramme.engine("intag")
    let programme = TestProgramme.programme
    let today = TestProgramme.today

    var complete: FormAnswers {
        [
            "datum": .text("2026-11-20"), "arskurs": .number(8), "tolk": .bool(false), "franvaro": .number(40),
            "giltig": .number(10), "plats": .text("hem"), "insatser": .rows([["vad": .text("Anpassat schema"), "effekt": .text("ingen")]]),
        ]
    }

    @Test func anEmptyFormAsksTheFirstFieldAndListsTheRequiredOnes() {
        let e = intag.evaluate([:], today: today)
        #expect(e.nextUnanswered == "datum")
        #expect(e.itemsToAsk == ["datum", "arskurs", "tolk", "franvaro", "giltig", "plats", "sasong", "minuter", "kod", "insatser"])
        #expect(e.errors[FieldPath(field: "datum")] == .required)
        #expect(e.errors[FieldPath(field: "insatser")] == .tooFewRows(1))
        #expect(!e.isComplete)
    }

    @Test func aCompleteSetIsComplete() {
        let e = intag.evaluate(complete, today: today)
        #expect(e.errors.isEmpty, "\(e.errors)")
        #expect(e.isComplete)
        #expect(e.calculated["ogiltig"] == .number(30))
        #expect(e.nextUnanswered == "sasong")
    }

    @Test func relevanceAsksTheLanguageOnlyWhenAnInterpreterIsNeeded() {
        var answers = complete
        answers["tolk"] = .bool(true)
        let e = intag.evaluate(answers, today: today)
        #expect(e.itemsToAsk.contains("sprak"))
        #expect(e.errors[FieldPath(field: "sprak")] == .required)
        answers["sprak"] = .text("arabiska")
        #expect(intag.evaluate(answers, today: today).isComplete)
    }

    @Test func aStaleAnswerToAnIrrelevantFieldIsNotCounted() {
        var answers = complete
        answers["sprak"] = .text("arabiska")  // answered earlier, then tolk changed to nej
        let e = intag.evaluate(answers, today: today)
        #expect(!e.itemsToAsk.contains("sprak"))
        #expect(e.effectiveAnswers["sprak"] == nil)
        #expect(e.isComplete)
    }

    @Test func aConstraintGivesTheProgrammesMessage() {
        var answers = complete
        answers["giltig"] = .number(55)
        let e = intag.evaluate(answers, today: today)
        guard case .constraint(let message)? = e.errors[FieldPath(field: "giltig")] else {
            Issue.record("expected a constraint error, got \(e.errors)")
            return
        }
        #expect(message?.sv == "Den giltiga frånvaron kan inte vara större än all frånvaro.")
        #expect(message?.en == "Valid absence cannot be more than all absence.")
    }

    @Test func rangesAndPatternsAreChecked() {
        var answers = complete
        answers["arskurs"] = .number(11)
        answers["minuter"] = .number(2)
        answers["kod"] = .text("abc-12")
        let e = intag.evaluate(answers, today: today)
        #expect(e.errors[FieldPath(field: "arskurs")] == .aboveMaximum("10"))
        #expect(e.errors[FieldPath(field: "minuter")] == .belowMinimum("5"))
        #expect(e.errors[FieldPath(field: "kod")] == .patternMismatch)
        answers["kod"] = .text("ABC-12")
        #expect(intag.evaluate(answers, today: today).errors[FieldPath(field: "kod")] == nil)
    }

    @Test func skipLogicOverAMultipleChoice() {
        var answers = complete
        answers["sasong"] = .list(["lunch"])
        #expect(!intag.evaluate(answers, today: today).itemsToAsk.contains("morgonrutin"))
        answers["sasong"] = .list(["lunch", "morgon"])
        #expect(intag.evaluate(answers, today: today).itemsToAsk.contains("morgonrutin"))
    }

    @Test func groupRowsAreCheckedRowByRowWithTheirOwnSkipLogic() {
        var answers = complete
        answers["insatser"] = .rows([
            ["vad": .text("Samtal med kurator"), "effekt": .text("viss"), "narmare": .text("Bättre mornar")],
            ["effekt": .text("okänd")],
        ])
        let e = intag.evaluate(answers, today: today)
        #expect(e.errors[FieldPath(field: "vad", group: "insatser", row: 1)] == .required)
        guard case .unknownChoice? = e.errors[FieldPath(field: "effekt", group: "insatser", row: 1)] else {
            Issue.record("expected an unknown choice in row 2, got \(e.errors)")
            return
        }
        #expect(FieldPath(field: "vad", group: "insatser", row: 1).description == "insatser[2].vad")
        answers["insatser"] = .rows(Array(repeating: ["vad": .text("x"), "effekt": .text("ingen")], count: 6))
        #expect(intag.evaluate(answers, today: today).errors[FieldPath(field: "insatser")] == .tooManyRows(5))
    }

    @Test func typedInputIsParsedAsAPersonWritesIt() throws {
        let field = { (id: String) in programme.form("intag")!.field(id)! }
        #expect(try FieldInput.parse("3,5", for: field("franvaro"), in: programme, today: today).get() == .number(3.5))
        #expect(try FieldInput.parse("12,5 %", for: field("franvaro"), in: programme, today: today).get() == .number(12.5))
        #expect(try FieldInput.parse("ja", for: field("tolk"), in: programme, today: today).get() == .bool(true))
        #expect(try FieldInput.parse("Nej", for: field("tolk"), in: programme, today: today).get() == .bool(false))
        #expect(try FieldInput.parse("2", for: field("plats"), in: programme, today: today).get() == .text("skola"))
        #expect(try FieldInput.parse("Hemma", for: field("plats"), in: programme, today: today).get() == .text("hem"))
        #expect(try FieldInput.parse("morgon, 2", for: field("sasong"), in: programme, today: today).get() == .list(["morgon", "lunch"]))
        #expect(try FieldInput.parse("1:30", for: field("minuter"), in: programme, today: today).get() == .number(90))
        #expect(try FieldInput.parse("1 h 15 min", for: field("minuter"), in: programme, today: today).get() == .number(75))
        #expect(try FieldInput.parse("2026-1-5", for: field("datum"), in: programme, today: today).get() == .text("2026-01-05"))
    }

    @Test(arguments: [
        ("datum", "22/11/2026", FieldError.notDate),
        ("datum", "2026-02-30", .impossibleDate("2026-02-30")),
        ("arskurs", "åtta", .notInteger),
        ("arskurs", "8,5", .notInteger),
        ("franvaro", "120", .notPercent),
        ("tolk", "kanske", .notBoolean),
        ("minuter", "en timme", .notMinutes),
    ])
    func wrongInputSaysWhatToDoInstead(_ id: String, _ input: String, _ expected: FieldError) {
        let field = programme.form("intag")!.field(id)!
        #expect(throws: expected) { try FieldInput.parse(input, for: field, in: programme, today: today).get() }
    }

    @Test func messagesAreForACounsellor() {
        #expect(FieldError.notDate.message(.sv) == "Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-11-22.")
        #expect(FieldError.notDate.message(.en) == "Enter a date as YYYY-MM-DD, for example 2026-11-22.")
        let choices = FieldInput.choices(for: programme.form("intag")!.field("plats")!, in: programme)
        #expect(FieldError.unknownChoice(choices).message(.sv) == "Välj ett av alternativen: 1 Hemma, 2 Skolan, 3 Digitalt.")
    }
}
