/// What is wrong with an answer, said to a school counsellor in Swedish and English.
/// No error ever repeats a personnummer.
public enum FieldError: Error, Hashable, Sendable {
    case required
    case notInteger
    case notNumber
    case notBoolean
    case notDate
    case impossibleDate(String)
    case notMinutes
    case notPercent
    case unknownChoice([Choice])
    case belowMinimum(String)
    case aboveMaximum(String)
    case tooShort(Int)
    case tooLong(Int)
    case patternMismatch
    case constraint(LocalizedText?)
    case personnummer(Personnummer.Problem)
    case tooFewRows(Int)
    case tooManyRows(Int)
    case wrongKind

    public func message(_ language: Language) -> String {
        let m = localized
        return language == .sv ? m.sv : m.en
    }

    public var localized: LocalizedMessage {
        switch self {
        case .required:
            return LocalizedMessage(sv: "Ett svar behövs här.", en: "An answer is needed here.")
        case .notInteger:
            return LocalizedMessage(sv: "Ange ett heltal, till exempel 12.", en: "Enter a whole number, for example 12.")
        case .notNumber:
            return LocalizedMessage(sv: "Ange ett tal, till exempel 3,5.", en: "Enter a number, for example 3.5.")
        case .notBoolean:
            return LocalizedMessage(sv: "Svara ja eller nej.", en: "Answer yes or no.")
        case .notDate:
            return LocalizedMessage(
                sv: "Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-11-22.",
                en: "Enter a date as YYYY-MM-DD, for example 2026-11-22.")
        case .impossibleDate(let text):
            return LocalizedMessage(
                sv: "Datumet \(text) finns inte i kalendern. Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-11-22.",
                en: "The date \(text) does not exist. Enter a date as YYYY-MM-DD, for example 2026-11-22.")
        case .notMinutes:
            return LocalizedMessage(
                sv: "Ange tiden i minuter, till exempel 45, eller som timmar:minuter, till exempel 1:30.",
                en: "Enter the time in minutes, for example 45, or as hours:minutes, for example 1:30.")
        case .notPercent:
            return LocalizedMessage(
                sv: "Ange en procentsats mellan 0 och 100, till exempel 35 eller 12,5.",
                en: "Enter a percentage between 0 and 100, for example 35 or 12.5.")
        case .unknownChoice(let choices):
            let sv = choices.enumerated().map { "\($0 + 1) \($1.label.sv)" }.joined(separator: ", ")
            let en = choices.enumerated().map { "\($0 + 1) \($1.label.text(.en))" }.joined(separator: ", ")
            return LocalizedMessage(sv: "Välj ett av alternativen: \(sv).", en: "Choose one of: \(en).")
        case .belowMinimum(let min):
            return LocalizedMessage(sv: "Värdet får inte vara mindre än \(min).", en: "The value may not be less than \(min).")
        case .aboveMaximum(let max):
            return LocalizedMessage(sv: "Värdet får inte vara större än \(max).", en: "The value may not be greater than \(max).")
        case .tooShort(let n):
            return LocalizedMessage(sv: "Skriv minst \(n) tecken.", en: "Write at least \(n) characters.")
        case .tooLong(let n):
            return LocalizedMessage(sv: "Skriv högst \(n) tecken.", en: "Write at most \(n) characters.")
        case .patternMismatch:
            return LocalizedMessage(sv: "Svaret har inte den form som efterfrågas.", en: "The answer is not in the form asked for.")
        case .constraint(let message):
            if let message { return LocalizedMessage(sv: message.sv, en: message.text(.en)) }
            return LocalizedMessage(sv: "Svaret stämmer inte med programmets villkor.", en: "The answer does not meet the programme's rule.")
        case .personnummer(.format):
            return LocalizedMessage(
                sv: "Ange personnumret med 10 eller 12 siffror, till exempel ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN.",
                en: "Enter the personnummer with 10 or 12 digits, for example YYMMDD-NNNN or YYYYMMDDNNNN.")
        case .personnummer(.date):
            return LocalizedMessage(
                sv: "Personnumret innehåller inget giltigt födelsedatum. Kontrollera siffrorna.",
                en: "The personnummer does not contain a valid date of birth. Check the digits.")
        case .personnummer(.checkDigit):
            return LocalizedMessage(
                sv: "Personnumrets kontrollsiffra stämmer inte. Kontrollera att alla siffror är rätt.",
                en: "The personnummer's check digit does not match. Check that every digit is right.")
        case .tooFewRows(let n):
            return LocalizedMessage(sv: "Lägg till minst \(n) rader.", en: "Add at least \(n) rows.")
        case .tooManyRows(let n):
            return LocalizedMessage(sv: "Högst \(n) rader får finnas.", en: "At most \(n) rows are allowed.")
        case .wrongKind:
            return LocalizedMessage(sv: "Svaret har fel typ för den här frågan.", en: "The answer has the wrong type for this question.")
        }
    }
}
