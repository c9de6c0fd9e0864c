/// A command the engine refuses, with why and what would make it possible, in Swedish and English.
public struct WorkflowError: Error, Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case unknownStep, wrongPhase, notAvailable, alreadyDone, missingConsent, waitingForSteps, conditionFalse
        case invalidAnswers, reasonRequired, futureDate, beforeCaseOpened, caseClosed, casePaused, caseNotPaused
        case requirementsUnmet, lastPhase, unknownRole, notStaff, alreadyAssigned, notAssigned, unknownConsent
        case noValidConsent, invalidDates, alreadyOpen, unknownForm, invalidCommand
    }

    public var kind: Kind
    public var message: LocalizedMessage
    public var hint: LocalizedMessage?
    /// Details such as the answers' problems (field, message).
    public var details: [LocalizedMessage]

    public init(_ kind: Kind, sv: String, en: String, hintSv: String? = nil, hintEn: String? = nil, details: [LocalizedMessage] = []) {
        self.kind = kind
        self.message = LocalizedMessage(sv: sv, en: en)
        self.hint = hintSv.map { LocalizedMessage(sv: $0, en: hintEn ?? $0) }
        self.details = details
    }

    public func rendered(_ language: Language) -> String {
        var out = message.text(language)
        for detail in details { out += "\n  - " + detail.text(language) }
        if let hint { out += "\n" + (language == .sv ? "Gör så här: " : "What to do: ") + hint.text(language) }
        return out
    }
}
