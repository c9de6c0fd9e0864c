/// A form filled in during a step: fields, repeat groups and scores.
public struct Form: Hashable, Sendable, Codable {
    public var id: String
    public var domain: SecrecyDomain
    /// True when the licence allows storing questionnaire item answers.
    public var licensedItems: Bool
    public var title: LocalizedText
    public var description: LocalizedText?
    public var items: [FormItem]
    public var scores: [Score]
    public var location: SourceLocation

    /// Top-level fields, in order (not those inside groups).
    public var fields: [Field] {
        items.compactMap { if case .field(let f) = $0 { f } else { nil } }
    }

    public var groups: [Group] {
        items.compactMap { if case .group(let g) = $0 { g } else { nil } }
    }

    public func field(_ id: String) -> Field? {
        for item in items {
            switch item {
            case .field(let f): if f.id == id { return f }
            case .group(let g): if let f = g.fields.first(where: { $0.id == id }) { return f }
            }
        }
        return nil
    }
}

/// A field, or a repeat group of fields, in form order.
public enum FormItem: Hashable, Sendable, Codable {
    case field(Field)
    case group(Group)

    public var id: String {
        switch self {
        case .field(let f): f.id
        case .group(let g): g.id
        }
    }
}

public struct Field: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case text
        case longtext
        case integer
        case decimal
        case boolean
        case date
        case minutes
        case percent
        case choice
        case multichoice
        case scale
        case personnummer
    }

    /// Where a choice field takes its choices from when they are not listed inline.
    public enum ChoiceSource: String, Hashable, Sendable, Codable {
        case modules
        case roles
    }

    public var id: String
    public var type: Kind
    public var label: LocalizedText
    public var hint: LocalizedText?
    public var constraintMessage: LocalizedText?
    public var isRequired: Bool
    public var requiredWhen: Expression?
    public var relevant: Expression?
    public var constraint: Expression?
    public var calculate: Expression?
    public var defaultValue: String?
    public var min: String?
    public var max: String?
    public var pattern: String?
    public var choices: [Choice]
    public var choiceList: String?
    public var choiceSource: ChoiceSource?
    public var anchors: [ScaleAnchor]
    public var location: SourceLocation
}

/// A labelled point on a scale field (0 = "aldrig", 6 = "alltid").
public struct ScaleAnchor: Hashable, Sendable, Codable {
    public var value: Int
    public var label: LocalizedText
    public var location: SourceLocation
}

/// A repeat group: a list of rows (family map, life line, goals, return-plan steps).
public struct Group: Hashable, Sendable, Codable {
    public var id: String
    public var label: LocalizedText
    public var hint: LocalizedText?
    public var minRows: Int?
    public var maxRows: Int?
    public var relevant: Expression?
    public var fields: [Field]
    public var location: SourceLocation
}

/// A score computed from fields or other scores, with bands that interpret it.
public struct Score: Hashable, Sendable, Codable {
    public enum Method: String, Hashable, Sendable, Codable {
        case sum
        case mean
        case min
        case max
        case count
        /// The ids of the inputs within `tolerance` of the highest (a profile such as SRAS-R's).
        case highest
    }

    public var id: String
    public var method: Method
    public var of: [String]
    public var tolerance: Double?
    public var minAnswered: Int?
    /// With `count`: count only inputs equal to this value.
    public var countValue: String?
    public var label: LocalizedText
    public var bands: [Band]
    public var location: SourceLocation
}

/// A range of a score with its interpretation.
public struct Band: Hashable, Sendable, Codable {
    public var code: String
    public var min: Double?
    public var max: Double?
    public var label: LocalizedText
    public var location: SourceLocation
}
