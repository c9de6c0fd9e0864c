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

    /// Parses `bytes` and, when they are well-formed, validates them against `schema` and copies the
    /// tree into Swift values. `schema` problems are reported as issues too.
    static func parse(_ bytes: [UInt8], url: String, schema: EmbeddedSchema) -> Outcome {
        LibXML2Guards.prepareThread()
        guard let ctxt = xmlNewParserCtxt() else {
            return Outcome(root: nil, issues: [Issue(line: 0, column: 0, message: Messages.outOfMemory)])
        }
        defer { xmlFreeParserCtxt(ctxt) }
        let state = ParseState()
        let box = Unmanaged.passRetained(state)
        defer { box.release() }
        ctxt.pointee._private = box.toOpaque()
        installHandlers(ctxt.pointee.sax)

        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                xmlCtxtReadMemory(ctxt, $0.baseAddress, Int32($0.count), url, "UTF-8", LibXML2Guards.parserOptions)
            }
        }
        defer { if let doc { xmlFreeDoc(doc) } }

        let parsedCleanly = doc != nil && ctxt.pointee.errNo == 0 && state.issues.isEmpty && !state.loaderCalled
        guard parsedCleanly, let doc, let rootPointer = xmlDocGetRootElement(doc) else {
            var issues = state.issues
            if issues.isEmpty {
                issues.append(Issue(line: Int(ctxt.pointee.input?.pointee.line ?? 0), column: 0, message: Messages.unreadableXML))
            }
            return Outcome(root: nil, issues: issues)
        }
        var xinclude: Int?
        let root = copyTree(rootPointer, doc: doc, inheritedLanguage: nil, xinclude: &xinclude)
        if let line = xinclude {
            return Outcome(root: nil, issues: [Issue(line: line, column: 0, message: Messages.xincludeNotAllowed)])
        }
        let schemaIssues = schema.validate(doc)
        return Outcome(root: schemaIssues.isEmpty ? root : nil, issues: schemaIssues)
    }


    // MARK: - libxml2 callbacks

    private static func installHandlers(_ sax: UnsafeMutablePointer<xmlSAXHandler>?) {
        guard let sax else { return }
        sax.pointee.serror = { userData, error in
            guard let error, let state = ParseState.from(userData) else { return }
            state.record(error)
        }
        // Refuse any DOCTYPE: internal subsets carry entity declarations (XXE, billion laughs).
        sax.pointee.internalSubset = { ctx, _, _, _ in
            guard let state = ParseState.from(ctx), let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
            state.issues.append(Issue(line: Int(xmlSAX2GetLineNumber(ctx)), column: 0, message: Messages.doctypeNotAllowed, hint: Messages.doctypeHint))
            xmlStopParser(ctxt)
        }
        sax.pointee.externalSubset = { ctx, _, _, _ in
            guard let state = ParseState.from(ctx), let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
            state.issues.append(Issue(line: Int(xmlSAX2GetLineNumber(ctx)), column: 0, message: Messages.doctypeNotAllowed, hint: Messages.doctypeHint))
            xmlStopParser(ctxt)
        }
        sax.pointee.entityDecl = { ctx, _, _, _, _, _ in
            guard let state = ParseState.from(ctx), let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
            state.issues.append(Issue(line: Int(xmlSAX2GetLineNumber(ctx)), column: 0, message: Messages.entityNotAllowed))
            xmlStopParser(ctxt)
        }
        sax.pointee.startElementNs = { ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, nbDefaulted, attributes in
            guard let state = ParseState.from(ctx), let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
            state.depth += 1
            if state.depth > SecureXMLParser.maximumDepth {
                state.issues.append(Issue(line: Int(xmlSAX2GetLineNumber(ctx)), column: 0, message: Messages.tooDeep(SecureXMLParser.maximumDepth)))
                xmlStopParser(ctxt)
                return
            }
            xmlSAX2StartElementNs(ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, nbDefaulted, attributes)
        }
        sax.pointee.endElementNs = { ctx, localname, prefix, uri in
            guard let state = ParseState.from(ctx) else { return }
            state.depth -= 1
            xmlSAX2EndElementNs(ctx, localname, prefix, uri)
        }
    }

    // MARK: - Copying the tree

    /// Copies the tree; notes the line of the first XInclude element met.
    private static func copyTree(_ node: xmlNodePtr, doc: xmlDocPtr, inheritedLanguage: String?, xinclude: inout Int?) -> XMLNode {
        var attributes: [XMLNode.Attribute] = []
        var property = node.pointee.properties
        var language = inheritedLanguage
        while let attribute = property {
            var name = String(cString: attribute.pointee.name)
            if let ns = attribute.pointee.ns, let href = ns.pointee.href, String(cString: href) == XMLNode.xmlNamespace {
                name = "xml:" + name
            }
            var value = ""
            if let child = attribute.pointee.children, child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE,
               let content = child.pointee.content {
                value = String(cString: content)  // the usual case: one text node, no copy by libxml2
            } else if let raw = xmlNodeListGetString(doc, attribute.pointee.children, 1) {
                value = String(cString: raw)
                narvaro_xml_free(raw)
            }
            if name == "xml:lang" { language = value }
            attributes.append(XMLNode.Attribute(name: name, value: value))
            property = attribute.pointee.next
        }
        var children: [XMLNode] = []
        var text = ""
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(copyTree(c, doc: doc, inheritedLanguage: language, xinclude: &xinclude))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content { text += String(cString: content) }
            default:
                break
            }
            child = c.pointee.next
        }
        let namespace = node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
        if xinclude == nil, namespace == "http://www.w3.org/2001/XInclude" || namespace == "http://www.w3.org/2003/XInclude" {
            xinclude = Int(xmlGetLineNo(node))
        }
        return XMLNode(
            name: String(cString: node.pointee.name), namespace: namespace, attributes: attributes,
            children: children, text: text, line: Int(xmlGetLineNo(node)), language: language
        )
    }
}

/// Per-parse state reached from libxml2's callbacks through the parser context's `_private`.
final class ParseState {
    var issues: [SecureXMLParser.Issue] = []
    var depth = 0
    var loaderCalled = false

    static func from(_ ctx: UnsafeMutableRawPointer?) -> ParseState? {
        guard let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self), let p = ctxt.pointee._private else { return nil }
        return Unmanaged<ParseState>.fromOpaque(p).takeUnretainedValue()
    }

    func record(_ error: xmlErrorPtr) {
        let code = error.pointee.code
        // After a stop we asked for, libxml2 reports the stop itself; our message is already there.
        if code == XML_ERR_USER_STOP.rawValue, !issues.isEmpty { return }
        if code == XML_IO_LOAD_ERROR.rawValue || code == XML_IO_NETWORK_ATTEMPT.rawValue { loaderCalled = true }
        var text = error.pointee.message.map { String(cString: $0) } ?? "?"
        while text.last == "\n" || text.last == " " { text.removeLast() }
        let message = Messages.libxml2Parser(code: code, text: text)
        issues.append(SecureXMLParser.Issue(line: Int(error.pointee.line), column: Int(error.pointee.int2), message: message))
    }
}
