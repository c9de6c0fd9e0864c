/// A programme definition: the manual made executable (phases, steps, forms, fidelity criteria).
public struct Programme: Hashable, Sendable, Codable {
    public var id: String
    public var version: String
    public var title: LocalizedText
    public var description: LocalizedText?
    public var owner: LocalizedText
    public var provenance: LocalizedText
    public var roles: [Role]
    public var consents: [ConsentScope]
    public var modules: [TreatmentModule]
    public var choiceLists: [ChoiceList]
    public var phases: [Phase]
    public var forms: [Form]
    public var triggers: [Trigger]
    public var criteria: [Criterion]
    public var location: SourceLocation

    public init(
        id: String, version: String, title: LocalizedText, description: LocalizedText? = nil,
        owner: LocalizedText, provenance: LocalizedText, roles: [Role], consents: [ConsentScope] = [],
        modules: [TreatmentModule] = [], choiceLists: [ChoiceList] = [], phases: [Phase], forms: [Form] = [],
        triggers: [Trigger] = [], criteria: [Criterion] = [], location: SourceLocation
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.description = description
        self.owner = owner
        self.provenance = provenance
        self.roles = roles
        self.consents = consents
        self.modules = modules
        self.choiceLists = choiceLists
        self.phases = phases
        self.forms = forms
        self.triggers = triggers
        self.criteria = criteria
        self.location = location
    }

    /// Every step of every phase, in document order.
    public var steps: [Step] { phases.flatMap(\.steps) }

    public func phase(_ id: String) -> Phase? { phases.first { $0.id == id } }
    public func step(_ id: String) -> Step? {
        // Phase by phase, without building `steps` (a copy of every step) on each lookup.
        for phase in phases {
            if let step = phase.steps.first(where: { $0.id == id }) { return step }
        }
        return nil
    }
    public func form(_ id: String) -> Form? { forms.first { $0.id == id } }
    public func role(_ id: String) -> Role? { roles.first { $0.id == id } }
    public func module(_ id: String) -> TreatmentModule? { modules.first { $0.id == id } }
    public func consent(_ id: String) -> ConsentScope? { consents.first { $0.id == id } }
    public func choiceList(_ id: String) -> ChoiceList? { choiceLists.first { $0.id == id } }

    /// The phase a step belongs to.
    public func phase(containingStep stepID: String) -> Phase? {
        phases.first { $0.steps.contains { $0.id == stepID } }
    }
}

/// A staff role (who performs steps) or a participant (who takes part).
public struct Role: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case staff
        case participant
    }

    public var id: String
    public var kind: Kind
    public var title: LocalizedText
    public var description: LocalizedText?
    public var location: SourceLocation
}

/// A named, scoped information flow that needs consent (samtycke): what, from whom, to whom, why.
public struct ConsentScope: Hashable, Sendable, Codable {
    public var id: String
    public var from: String
    public var to: String
    public var title: LocalizedText
    public var information: LocalizedText
    public var purpose: LocalizedText
    public var validFor: ISODuration?
    public var location: SourceLocation
}

/// A selectable treatment module, mapped to the SRAS-R functions or factors it answers.
public struct TreatmentModule: Hashable, Sendable, Codable {
    public var id: String
    public var title: LocalizedText
    public var description: LocalizedText?
    public var functions: [String]
    public var factors: [String]
    public var location: SourceLocation
}

/// A reusable list of choices, such as the places a session can be held.
public struct ChoiceList: Hashable, Sendable, Codable {
    public var id: String
    public var choices: [Choice]
    public var location: SourceLocation
}

public struct Choice: Hashable, Sendable, Codable {
    public var value: String
    public var label: LocalizedText
    public var location: SourceLocation

    public init(value: String, label: LocalizedText, location: SourceLocation) {
        self.value = value
        self.label = label
        self.location = location
    }
}

/// A screening rule over attendance, such as "absence ≥ 20 % over four weeks".
public struct Trigger: Hashable, Sendable, Codable {
    public var id: String
    public var window: ISODuration
    public var test: Expression
    public var title: LocalizedText
    public var description: LocalizedText?
    public var location: SourceLocation
}

/// The secrecy domain the data of a step or form belongs to.
public enum SecrecyDomain: String, Hashable, Sendable, Codable, CaseIterable {
    case skola
    case elevhalsa
    case halsa
    case socialtjanst
    case samtycke
}
