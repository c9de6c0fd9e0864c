internal import CLibXML2

/// The programme XSD, compiled once from the copy embedded in the binary (no file is read at run time).
final class EmbeddedSchema: @unchecked Sendable {
    // @unchecked Sendable: the compiled schema is never changed after `init`, and libxml2 allows
    // several validation contexts (one per validation, below) to use one schema at the same time.
    private let schema: xmlSchemaPtr

    static let shared: EmbeddedSchema = {
        guard let schema = EmbeddedSchema(source: ProgrammeSchemaSource.xsd) else {
            preconditionFailure("the embedded programme schema does not compile; run scripts/embed-schema.sh")
        }
        return schema
    }()

    init?(source: String) {
        LibXML2Guards.prepareThread()
        let bytes = Array(source.utf8)
        let compiled: xmlSchemaPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars -> xmlSchemaPtr? in
                guard let parser = xmlSchemaNewMemParserCtxt(chars.baseAddress, Int32(chars.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(parser) }
                xmlSchemaSetParserStructuredErrors(parser, { _, _ in }, nil)
                return xmlSchemaParse(parser)
            }
        }
        guard let compiled else { return nil }
        schema = compiled
    }

    deinit { xmlSchemaFree(schema) }

    /// A validation context for one parse; the caller frees it with `xmlSchemaFreeValidCtxt`.
    func newValidationContext() -> xmlSchemaValidCtxtPtr? {
        xmlSchemaNewValidCtxt(schema)
    }

    /// Problems with the structure of `doc`, each with its line; empty when it is valid.
    func validate(_ doc: xmlDocPtr) -> [SecureXMLParser.Issue] {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [SecureXMLParser.Issue(line: 0, column: 0, message: Messages.outOfMemory)]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let collector = SchemaIssues()
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        xmlSchemaSetValidStructuredErrors(context, { userData, error in
            guard let userData, let error else { return }
            let collector = Unmanaged<SchemaIssues>.fromOpaque(userData).takeUnretainedValue()
            var text = error.pointee.message.map { String(cString: $0) } ?? "?"
            while text.last == "\n" || text.last == " " { text.removeLast() }
            var element: String?
            if let node = error.pointee.node?.assumingMemoryBound(to: xmlNode.self), node.pointee.type == XML_ELEMENT_NODE {
                element = String(cString: node.pointee.name)
            }
            collector.issues.append((Int(error.pointee.line), element, text))
        }, box.toOpaque())
        let result = xmlSchemaValidateDoc(context, doc)
        var issues = collector.issues.map { line, element, text in
            let (message, hint) = Messages.schema(text)
            return SecureXMLParser.Issue(line: line, column: 0, message: message, hint: hint).withElement(element)
        }
        if result != 0, issues.isEmpty {
            issues.append(SecureXMLParser.Issue(line: 0, column: 0, message: Messages.schemaInvalid))
        }
        return issues
    }
}

private final class SchemaIssues {
    var issues: [(Int, String?, String)] = []
}

extension SecureXMLParser.Issue {
    /// Remembers which element an issue is about, so that the loader can add its column.
    func withElement(_ element: String?) -> SecureXMLParser.Issue {
        var copy = self
        copy.element = element
        return copy
    }
}
