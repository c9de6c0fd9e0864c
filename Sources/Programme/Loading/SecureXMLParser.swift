internal import CLibXML2

/// Parses programme XML with libxml2, secure by construction: any DOCTYPE stops the parser, no
/// entity is loaded or substituted, nesting is capped, and success is judged on the parser's error
/// state and our own list of problems, never on whether a document came back.
struct SecureXMLParser {
    /// Element nesting deeper than this is refused (real programmes need about eight levels).
    static let maximumDepth = 64

    struct Issue: Equatable {
        var line: Int
        var column: Int
        var message: LocalizedMessage
        var hint: LocalizedMessage?
        /// The element the problem is about, when libxml2 says (used to find the column).
        var element: String?

        init(line: Int, column: Int, message: LocalizedMessage, hint: LocalizedMessage? = nil, element: String? = nil) {
            self.line = line
            self.column = column
            self.message = message
            self.hint = hint
            self.element = element
        }
    }

    /// The parsed tree, or every problem found.
    struct Outcome {
        var root: XMLNode?
        var issues: [Issue]
    }

    /// Parses `bytes`, validates them against `schema` and copies the elements into Swift values.
    /// One pass without a libxml2 tree when nothing is wrong; when anything is, the file is parsed
    /// again the tree-building way, which reports every problem (see `parseWithTree`).
    static func parse(_ bytes: [UInt8], url: String, schema: EmbeddedSchema) -> Outcome {
        LibXML2Guards.prepareThread()
        if let root = parseStreaming(bytes, url: url, schema: schema) {
            return Outcome(root: root, issues: [])
        }
        return parseWithTree(bytes, url: url, schema: schema)
    }
}
