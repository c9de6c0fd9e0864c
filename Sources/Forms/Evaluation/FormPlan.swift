/// What the engine needs of a field, worked out once per form: a reference type, so that walking
/// the form on every keystroke copies nothing.
final class FieldPlan {
    let field: Field
    let slot: Int
    let choiceValues: Set<String>
    let lowest: Double?
    let highest: Double?
    let pattern: Regex<AnyRegexOutput>?

    init(field: Field, slot: Int, programme: Programme) {
        self.field = field
        self.slot = slot
        choiceValues = Set(FieldInput.choices(for: field, in: programme).map(\.value))
        func bound(_ raw: String?) -> Double? {
            guard let raw else { return nil }
            switch field.type {
            case .date: return ISODate.dayNumber(raw).map(Double.init)
            case .text, .longtext: return Int(raw).map(Double.init)
            default: return FieldInput.parseDecimal(raw)
            }
        }
        lowest = bound(field.min)
        highest = bound(field.max)
        pattern = field.pattern.flatMap { try? Regex($0) }
    }

    var id: String { field.id }
}

final class GroupPlan {
    let group: Group
    let slot: Int
    let fields: [FieldPlan]

    init(group: Group, slot: Int, fields: [FieldPlan]) {
        self.group = group
        self.slot = slot
        self.fields = fields
    }
}

enum ItemPlan {
    case field(FieldPlan)
    case group(GroupPlan)

    var slot: Int {
        switch self {
        case .field(let f): f.slot
        case .group(let g): g.slot
        }
    }

    var relevant: String? {
        switch self {
        case .field(let f): f.field.relevant?.source
        case .group(let g): g.group.relevant?.source
        }
    }
}

/// A score with its inputs resolved to slots.
final class ScorePlan {
    enum Input {
        case slot(Int)
        case score(Int)
        /// A field inside a group: one input per row.
        case groupField(group: Int, field: String)
    }

    let score: Score
    let slot: Int
    var inputs: [Input] = []

    init(score: Score, slot: Int) {
        self.score = score
        self.slot = slot
    }
}
