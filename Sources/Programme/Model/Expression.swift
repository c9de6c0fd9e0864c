/// An XPath 1.0 expression from a programme file, checked and compiled when the programme loads.
public struct Expression: Hashable, Sendable, Codable, CustomStringConvertible {
    public var source: String
    public var location: SourceLocation

    public init(_ source: String, at location: SourceLocation) {
        self.source = source
        self.location = location
    }

    public var description: String { source }
}

extension Expression {
    /// The names of the variables the expression uses (`$a`, `$form.field`), in order of appearance.
    public var referencedVariables: [String] {
        ExpressionScanner(source).variables.map(\.name)
    }
}
