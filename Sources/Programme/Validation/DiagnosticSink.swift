/// Collects diagnostics for one file and knows where elements and attributes stand in it.
struct DiagnosticSink {
    let file: String
    let source: SourceText
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, source: SourceText) {
        self.file = file
        self.source = source
    }

    func location(of node: XMLNode) -> SourceLocation {
        let start = source.elementStart(node.name, reportedLine: node.line)
        return SourceLocation(file: file, line: start.line, column: start.column)
    }

    /// Where `attribute` stands in the element at `element`, or the element itself.
    func location(of attribute: String, in element: SourceLocation) -> SourceLocation {
        if let found = source.location(ofAttribute: attribute, elementLine: element.line) {
            return SourceLocation(file: file, line: found.line, column: found.column)
        }
        return element
    }

    mutating func error(_ location: SourceLocation, sv: String, en: String, hintSv: String? = nil, hintEn: String? = nil) {
        let hint = hintSv.map { LocalizedMessage(sv: $0, en: hintEn ?? $0) }
        diagnostics.append(Diagnostic(.error, at: location, LocalizedMessage(sv: sv, en: en), hint: hint))
    }

    mutating func warning(_ location: SourceLocation, sv: String, en: String, hintSv: String? = nil, hintEn: String? = nil) {
        let hint = hintSv.map { LocalizedMessage(sv: $0, en: hintEn ?? $0) }
        diagnostics.append(Diagnostic(.warning, at: location, LocalizedMessage(sv: sv, en: en), hint: hint))
    }

    mutating func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }
}
