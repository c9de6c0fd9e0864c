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
    public var phases: [Phase] { didSet { places = Places(phases: phases, forms: forms) } }
    public var forms: [Form] { didSet { places = Places(phases: phases, forms: forms) } }
    public var triggers: [Trigger]
    public var criteria: [Criterion]
    public var location: SourceLocation
    /// Where each phase, step and form sits, so that the engine's many lookups by id neither scan nor copy
    /// the steps before the one asked for. Derived from `phases` and `forms`: not encoded, never compared.
    private var places: Places

    private enum CodingKeys: String, CodingKey {
        case id, version, title, description, owner, provenance, roles, consents, modules, choiceLists, phases, forms, triggers, criteria
        case location
    }

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
        self.places = Places(phases: phases, forms: forms)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: container.decode(String.self, forKey: .id), version: container.decode(String.self, forKey: .version),
            title: container.decode(LocalizedText.self, forKey: .title),
            description: container.decodeIfPresent(LocalizedText.self, forKey: .description),
            owner: container.decode(LocalizedText.self, forKey: .owner), provenance: container.decode(LocalizedText.self, forKey: .provenance),
            roles: container.decode([Role].self, forKey: .roles), consents: container.decode([ConsentScope].self, forKey: .consents),
            modules: container.decode([TreatmentModule].self, forKey: .modules),
            choiceLists: container.decode([ChoiceList].self, forKey: .choiceLists), phases: container.decode([Phase].self, forKey: .phases),
            forms: container.decode([Form].self, forKey: .forms), triggers: container.decode([Trigger].self, forKey: .triggers),
            criteria: container.decode([Criterion].self, forKey: .criteria), location: container.decode(SourceLocation.self, forKey: .location))
    }

    /// Every step of every phase, in document order.
    public var steps: [Step] { phases.flatMap(\.steps) }

    public func phase(_ id: String) -> Phase? { places.phases[id].map { phases[$0] } }
    public func step(_ id: String) -> Step? { places.steps[id].map { phases[$0.phase].steps[$0.step] } }
    public func form(_ id: String) -> Form? { places.forms[id].map { forms[$0] } }
    public func role(_ id: String) -> Role? { roles.first { $0.id == id } }
    public func module(_ id: String) -> TreatmentModule? { modules.first { $0.id == id } }
    public func consent(_ id: String) -> ConsentScope? { consents.first { $0.id == id } }
    public func choiceList(_ id: String) -> ChoiceList? { choiceLists.first { $0.id == id } }

    /// The phase a step belongs to.
    public func phase(containingStep stepID: String) -> Phase? { places.steps[stepID].map { phases[$0.phase] } }
}

/// The index of each phase, step and form of a programme by id (the first one, where ids repeat, as a
/// scan in document order would find it). Equal to any other, so that it takes no part in comparing programmes.
private struct Places: Hashable, Sendable {
    var phases: [String: Int] = [:]
    var steps: [String: (phase: Int, step: Int)] = [:]
    var forms: [String: Int] = [:]

    init(phases: [Phase], forms: [Form]) {
        for (p, phase) in phases.enumerated() {
            self.phases[phase.id] = self.phases[phase.id] ?? p
            for (s, step) in phase.steps.enumerated() where self.steps[step.id] == nil { self.steps[step.id] = (p, s) }
        }
        for (f, form) in forms.enumerated() { self.forms[form.id] = self.forms[form.id] ?? f }
    }

    static func == (_: Places, _: Places) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
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
