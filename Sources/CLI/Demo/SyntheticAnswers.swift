import Forms
import Workflow

/// Plausible, complete answers to a form, for the demo: every required field gets a value of its
/// type within its limits, and constraints are met where a few tries can meet them. Free text says
/// it is invented (with a marker the tests look for, to prove no free text reaches a report).
struct SyntheticAnswers {
    static let freeTextMarker = "FIKTIV-DEMOTEXT"

    var rng: DemoRandom

    mutating func complete(_ form: Form, programme: Programme, on day: Day) -> FormAnswers {
        let engine = FormEngine(form: form, programme: programme)
        var answers: FormAnswers = [:]
        for _ in 0..<6 {
            let evaluation = engine.evaluate(answers, today: day.number)
            guard !evaluation.isComplete else { break }
            for id in evaluation.itemsToAsk {
                if let group = form.groups.first(where: { $0.id == id }) {
                    if answers[id] == nil || evaluation.errors[FieldPath(field: id)] != nil {
                        let rows = max(group.minRows ?? 0, 1 + rng.int(2))
                        answers[id] = .rows((0..<rows).map { _ in
                            Dictionary(group.fields.filter { $0.isRequired }.map { ($0.id, value(for: $0, programme: programme, on: day)) }, uniquingKeysWith: { a, _ in a })
                        })
                    }
                } else if let field = form.fields.first(where: { $0.id == id }), field.calculate == nil {
                    let error = evaluation.errors[FieldPath(field: id)]
                    if answers[id] == nil, field.isRequired || field.requiredWhen != nil || rng.int(3) == 0 {
                        answers[id] = value(for: field, programme: programme, on: day)
                    } else if error != nil {
                        answers[id] = field.isRequired ? value(for: field, programme: programme, on: day) : nil
                    }
                }
            }
        }
        // What still breaks a rule after a few tries is left out, unless it is required.
        let evaluation = engine.evaluate(answers, today: day.number)
        for (path, _) in evaluation.errors where path.group == nil {
            if let field = form.field(path.field), !field.isRequired { answers[path.field] = nil }
        }
        return answers
    }

    mutating func value(for field: Field, programme: Programme, on day: Day) -> AnswerValue {
        let low = field.min.flatMap { Double($0.replacingOccurrences(of: ",", with: ".")) }
        let high = field.max.flatMap { Double($0.replacingOccurrences(of: ",", with: ".")) }
        switch field.type {
        case .integer, .scale:
            let a = Int(low ?? 0), b = Int(high ?? Double(a + 10))
            return .number(Double(a + rng.int(max(1, b - a + 1))))
        case .minutes:
            return .number(Double(30 + 15 * rng.int(5)))
        case .decimal:
            let a = low ?? 0, b = high ?? a + 10
            return .number(((a + (b - a) * Double(rng.int(100)) / 100) * 100).rounded() / 100)
        case .percent:
            return .number(Double(rng.int(101)))
        case .boolean:
            return .bool(rng.int(4) != 0)
        case .date:
            if let min = field.min, let minDay = Day(min), minDay > day { return .text(minDay.description) }
            return .text(day.description)
        case .choice:
            let choices = FieldInput.choices(for: field, in: programme)
            guard !choices.isEmpty else { return .text("") }
            // Lean towards the first choice (often "ja" or the usual case).
            return .text(choices[rng.int(3) == 0 ? rng.int(choices.count) : 0].value)
        case .multichoice:
            let choices = FieldInput.choices(for: field, in: programme)
            guard !choices.isEmpty else { return .list([]) }
            let picked = Array(Set((0..<(1 + rng.int(min(3, choices.count)))).map { _ in choices[rng.int(choices.count)].value })).sorted()
            return .list(picked)
        case .text, .longtext:
            return .text("\(Self.freeTextMarker): anteckning skriven för demonstrationen")
        case .personnummer:
            return .text(DemoPeople.personnummer(rng.int(1000)).canonical)
        }
    }
}

/// A small, seeded random source, so that every demo is the same.
struct DemoRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n
    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
}

/// Obviously fictional students.
enum DemoPeople {
    static let first = ["Alva", "Bo", "Cilla", "Dante", "Ebba", "Frej", "Greta", "Hugo", "Ines", "Jonne", "Kaja", "Love", "Maja", "Nils", "Olga", "Pim"]
    static let last = ["Påhittadsson", "Exempeldotter", "Testsson", "Låtsasberg", "Fiktivsson", "Demoström"]

    static func name(_ n: Int) -> String { "\(first[n % first.count]) \(last[(n / first.count) % last.count])" }

    /// A synthetic personnummer with a valid check digit, born 2011–2013, birth number 980–999.
    static func personnummer(_ n: Int) -> Personnummer {
        let year = 2011 + n % 3, month = 1 + (n / 3) % 12, day = 1 + (n / 36) % 28, birth = 980 + n % 20
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let nine = "\(two(year % 100))\(two(month))\(two(day))\(birth)"
        var sum = 0
        for (i, c) in nine.enumerated() {
            let p = c.wholeNumberValue! * (i % 2 == 0 ? 2 : 1)
            sum += p / 10 + p % 10
        }
        let text = "\(year)\(two(month))\(two(day))\(birth)\((10 - sum % 10) % 10)"
        guard case .success(let p) = Personnummer.parse(text, today: ISODate.dayNumber("2026-01-01")!) else {
            preconditionFailure("the demo personnummer \(n) is not valid")
        }
        return p
    }
}
