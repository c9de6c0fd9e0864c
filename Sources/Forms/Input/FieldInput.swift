/// Turns what a person types into a canonical answer, or says what is wrong with it.
public enum FieldInput {
    /// Parses typed `text` for `field`. `today` is a day number (for personnummer centuries).
    /// Range, pattern and constraint checks are the engine's; this checks the form of the answer.
    public static func parse(_ text: String, for field: Field, in programme: Programme, today: Int) -> Result<AnswerValue, FieldError> {
        let input = text.trimmingWhitespace
        switch field.type {
        case .text, .longtext:
            return .success(.text(input))
        case .integer, .scale:
            guard let n = parseInteger(input) else { return .failure(.notInteger) }
            return .success(.number(Double(n)))
        case .decimal:
            guard let n = parseDecimal(input) else { return .failure(.notNumber) }
            return .success(.number(n))
        case .percent:
            var s = input
            if s.hasSuffix("%") { s = String(s.dropLast()).trimmingWhitespace }
            guard let n = parseDecimal(s), n >= 0, n <= 100 else { return .failure(.notPercent) }
            return .success(.number(n))
        case .minutes:
            guard let n = parseMinutes(input) else { return .failure(.notMinutes) }
            return .success(.number(Double(n)))
        case .boolean:
            guard let b = parseBoolean(input) else { return .failure(.notBoolean) }
            return .success(.bool(b))
        case .date:
            return parseDate(input).map { .text($0) }
        case .choice:
            let choices = self.choices(for: field, in: programme)
            guard let value = matchChoice(input, choices) else { return .failure(.unknownChoice(choices)) }
            return .success(.text(value))
        case .multichoice:
            let choices = self.choices(for: field, in: programme)
            let parts: [String] = input.split(whereSeparator: { $0 == "," || $0 == ";" })
                .map { String($0).trimmingWhitespace }
                .filter { !$0.isEmpty }
            var values: [String] = []
            for part in parts {
                guard let value = matchChoice(part, choices) else { return .failure(.unknownChoice(choices)) }
                if !values.contains(value) { values.append(value) }
            }
            return .success(.list(values))
        case .personnummer:
            switch Personnummer.parse(input, today: today) {
            case .success(let p): return .success(.text(p.canonical))
            case .failure(let problem): return .failure(.personnummer(problem))
            }
        }
    }

    /// Checks an answer given as a JSON value (from an answers file), accepting typed text too.
    public static func accept(_ value: AnswerValue, for field: Field, in programme: Programme, today: Int) -> Result<AnswerValue, FieldError> {
        switch (field.type, value) {
        case (_, .text(let s)):
            return parse(s, for: field, in: programme, today: today)
        case (.integer, .number(let n)), (.scale, .number(let n)), (.minutes, .number(let n)):
            return n == n.rounded() && abs(n) < 1e12 ? .success(.number(n)) : .failure(field.type == .minutes ? .notMinutes : .notInteger)
        case (.decimal, .number(let n)):
            return n.isFinite ? .success(.number(n)) : .failure(.notNumber)
        case (.percent, .number(let n)):
            return n >= 0 && n <= 100 ? .success(.number(n)) : .failure(.notPercent)
        case (.boolean, .bool(let b)):
            return .success(.bool(b))
        case (.choice, .number(let n)), (.text, .number(let n)), (.longtext, .number(let n)):
            // A number where text is asked: read it as typed (a choice's number in the list, say).
            return parse(XPathValue.number(n).stringValue, for: field, in: programme, today: today)
        case (.multichoice, .list(let values)):
            let choices = self.choices(for: field, in: programme)
            var canonical: [String] = []
            for v in values {
                guard let c = matchChoice(v, choices) else { return .failure(.unknownChoice(choices)) }
                if !canonical.contains(c) { canonical.append(c) }
            }
            return .success(.list(canonical))
        default:
            return .failure(.wrongKind)
        }
    }

    /// The choices of a choice field: inline, from a choice list, or from the programme's modules or roles.
    public static func choices(for field: Field, in programme: Programme) -> [Choice] {
        if !field.choices.isEmpty { return field.choices }
        if let id = field.choiceList, let list = programme.choiceList(id) { return list.choices }
        switch field.choiceSource {
        case .modules?:
            return programme.modules.map { Choice(value: $0.id, label: $0.title, location: $0.location) }
        case .roles?:
            return programme.roles.map { Choice(value: $0.id, label: $0.title, location: $0.location) }
        case nil:
            return []
        }
    }

    // MARK: - Parsers

    public static func parseInteger(_ s: String) -> Int? {
        let compact = s.filter { $0 != " " && $0 != "\u{00A0}" }
        return Int(compact)
    }

    /// Accepts `3,5` and `3.5` (and a leading minus).
    public static func parseDecimal(_ s: String) -> Double? {
        let compact = s.filter { $0 != " " && $0 != "\u{00A0}" }
        guard !compact.isEmpty, compact.filter({ $0 == "," || $0 == "." }).count <= 1,
              compact.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == "." || $0 == "-") }),
              compact.dropFirst().allSatisfy({ $0 != "-" })
        else { return nil }
        return Double(compact.replacing(",", with: "."))
    }

    /// `45`, `1:30`, `1 h 30 min`, `90 min`, `2h`.
    public static func parseMinutes(_ s: String) -> Int? {
        let lower = s.lowercased()
        if let n = Int(lower), n >= 0 { return n }
        let parts = lower.split(separator: ":")
        if parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), h >= 0, (0..<60).contains(m) { return h * 60 + m }
        var total = 0
        var number = ""
        var sawUnit = false
        var rest = Substring(lower.filter { $0 != " " })
        while let c = rest.first {
            if c.isNumber {
                number.append(c)
                rest.removeFirst()
            } else if rest.hasPrefix("min") || rest.hasPrefix("m") {
                guard let n = Int(number) else { return nil }
                total += n
                number = ""
                sawUnit = true
                rest = rest.dropFirst(rest.hasPrefix("min") ? 3 : 1)
            } else if rest.hasPrefix("tim") || rest.hasPrefix("h") || rest.hasPrefix("t") {
                guard let n = Int(number) else { return nil }
                total += n * 60
                number = ""
                sawUnit = true
                rest = rest.dropFirst(rest.hasPrefix("tim") ? 3 : 1)
                while let c = rest.first, c.isLetter, c != "m" { rest.removeFirst() }
            } else {
                return nil
            }
        }
        guard sawUnit, number.isEmpty else { return nil }
        return total
    }

    public static func parseBoolean(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "ja", "j", "yes", "y", "true", "sant", "1": true
        case "nej", "n", "no", "false", "falskt", "0": false
        default: nil
        }
    }

    /// ISO dates only (`2026-11-22`), so that 02/03 never means two things.
    public static func parseDate(_ s: String) -> Result<String, FieldError> {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return .failure(.notDate) }
        let canonical = "\(parts[0])-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
        guard (1...12).contains(m), d >= 1, d <= ISODate.daysInMonth(year: y, month: m) else {
            return .failure(.impossibleDate(canonical))
        }
        return .success(canonical)
    }

    /// A choice by its value, its number in the list (1-based) or its label in either language.
    public static func matchChoice(_ input: String, _ choices: [Choice]) -> String? {
        let lower = input.lowercased()
        if let c = choices.first(where: { $0.value == input || $0.value.lowercased() == lower }) { return c.value }
        if let n = Int(input), n >= 1, n <= choices.count { return choices[n - 1].value }
        if let c = choices.first(where: { $0.label.sv.lowercased() == lower || $0.label.en?.lowercased() == lower }) { return c.value }
        return nil
    }
}
