/// What the forms engine says about a form and its answers: what to ask, what is wrong, what it adds up to.
public struct FormEvaluation: Sendable {
    /// The fields and groups to ask now, in form order (relevant, not calculated).
    public var itemsToAsk: [String]
    /// The first item in `itemsToAsk` without an answer, if any.
    public var nextUnanswered: String?
    /// Every problem, by field (a group's own problems, such as too few rows, under the group's id).
    public var errors: [FieldPath: FieldError]
    /// Calculated fields, by id.
    public var calculated: [String: AnswerValue]
    /// Scores, by id.
    public var scores: [String: ScoreResult]
    /// Relevant top-level answers by slot (see `slotIDs`); built into a dictionary only when asked for.
    var effectiveValues: [AnswerValue?]
    var slotIDs: [String]
    var effectiveRows: [String: [[String: AnswerValue]]]

    /// Relevant answers only: stale answers to fields that are no longer asked are left out.
    public var effectiveAnswers: FormAnswers {
        var result: FormAnswers = [:]
        for (slot, value) in effectiveValues.enumerated() {
            if let value { result[slotIDs[slot]] = value }
        }
        for (group, rows) in effectiveRows { result[group] = .rows(rows) }
        return result
    }

    /// Complete: nothing is wrong and every required, relevant field is answered.
    public var isComplete: Bool { errors.isEmpty }
}

/// A computed score: a number with its band, or a profile (the ids within the tolerance of the top).
public struct ScoreResult: Hashable, Sendable {
    public var value: Double?
    public var profile: [String]?
    public var band: Band?

    public init(value: Double? = nil, profile: [String]? = nil, band: Band? = nil) {
        self.value = value
        self.profile = profile
        self.band = band
    }

    /// As XPath sees it: the number, the profile's ids separated by spaces, or '' when not computable.
    public var xpathValue: XPathValue {
        if let value { return .number(value) }
        if let profile { return .string(profile.joined(separator: " ")) }
        return .string("")
    }
}
