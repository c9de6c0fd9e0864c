/// Where a field stands in a form: a top-level field, or a field in row `row` of a repeat group.
public struct FieldPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var group: String?
    public var row: Int?
    public var field: String

    public init(field: String, group: String? = nil, row: Int? = nil) {
        self.field = field
        self.group = group
        self.row = row
    }

    /// `familjekarta[2].relation` (rows counted from 1, as a person counts).
    public var description: String {
        guard let group else { return field }
        guard let row else { return group }
        return "\(group)[\(row + 1)].\(field)"
    }

    public static func < (a: FieldPath, b: FieldPath) -> Bool { a.description < b.description }
}
