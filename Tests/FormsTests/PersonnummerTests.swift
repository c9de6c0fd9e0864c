import Forms
import Testing

/// Built from the published rules (Skatteverket; DOMAIN.md §5.11), not from the implementation.
/// The numbers are Skatteverket-style test numbers or the worked examples of the rules.
@Suite struct PersonnummerTests {
    /// 2026-11-22, the day the century of 10-digit numbers is judged from.
    static let today = ISODate.dayNumber("2026-11-22")!

    @Test(arguments: [
        ("640823-3234", "196408233234"),  // the worked example of the Luhn rule
        ("6408233234", "196408233234"),  // no separator
        ("19640823-3234", "196408233234"),  // 12 digits with a dash
        ("196408233234", "196408233234"),  // 12 digits
        ("121212-1212", "201212121212"),  // 10 digits: the most recent century that is not in the future
        ("121212+1212", "191212121212"),  // '+': a hundred years or older
        ("19121212-1212", "191212121212"),
        ("701063-2391", "197010632391"),  // samordningsnummer: day 63 = 3 + 60
        ("20000229-0005", "200002290005"),  // 29 February in a leap year (2000)
        (" 640823 - 3234 ", "196408233234"),  // spaces are forgiven
    ])
    func acceptsValidNumbers(_ input: String, _ canonical: String) throws {
        let p = try Personnummer.parse(input, today: Self.today).get()
        #expect(p.canonical == canonical)
    }

    @Test(arguments: [
        ("640823-3235", Personnummer.Problem.checkDigit),  // wrong check digit
        ("640823-3233", .checkDigit),
        ("701063-2392", .checkDigit),  // samordningsnummer with a wrong check digit
        ("641323-3230", .date),  // month 13
        ("640832-3232", .date),  // 32 August
        ("19000229-0009", .date),  // 29 February 1900: not a leap year
        ("20010229-0008", .date),  // 29 February 2001
        ("701093-2391", .date),  // samordningsnummer day 93 - 60 = 33
        ("64082-33234", .format),  // separator in the wrong place
        ("64082332345", .format),  // 11 digits
        ("640823323", .format),  // 9 digits
        ("6408AB-3234", .format),  // letters
        ("19640823+3234", .format),  // '+' makes no sense with the century given
        ("", .format),
    ])
    func refusesInvalidNumbers(_ input: String, _ problem: Personnummer.Problem) {
        #expect(throws: problem) { try Personnummer.parse(input, today: Self.today).get() }
    }

    @Test func aTenDigitNumberIsNeverInTheFuture() throws {
        // 261231 is later than 2026-11-22, so it must be 1926.
        let checkDigit = Self.luhn("261231001")
        let p = try Personnummer.parse("261231-001\(checkDigit)", today: Self.today).get()
        #expect(p.canonical.hasPrefix("1926"))
    }

    @Test func aTwelveDigitDateInTheFutureIsTakenAsWritten() throws {
        // A 12-digit number says its century; no guess is made.
        let p = try Personnummer.parse("20261231-001\(Self.luhn("261231001"))", today: Self.today).get()
        #expect(p.canonical.hasPrefix("2026"))
    }

    @Test func theNumberIsMaskedAndNeverShownWhole() throws {
        let p = try Personnummer.parse("640823-3234", today: Self.today).get()
        #expect(p.masked == "19640823-****")
        #expect("\(p)" == "19640823-****")
        for language in Language.allCases {
            for problem in [Personnummer.Problem.format, .date, .checkDigit] {
                #expect(!FieldError.personnummer(problem).message(language).contains("3234"))
            }
        }
    }

    /// The published rule: weights 2, 1, 2, …; add the digits of the products; 10 minus the last digit.
    static func luhn(_ nine: String) -> Int {
        var sum = 0
        for (i, c) in nine.enumerated() {
            let p = c.wholeNumberValue! * (i % 2 == 0 ? 2 : 1)
            sum += p / 10 + p % 10
        }
        return (10 - sum % 10) % 10
    }
}
