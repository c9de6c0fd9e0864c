internal import CLibXML2

/// The tree-building parse: libxml2 builds its document, the schema validates it, and the tree is
/// copied into Swift values. It is the slower way; the loader uses it when the one-pass parse
/// (`parseStreaming`) found any problem, because it reports every problem with the line and element
/// the diagnostics have always had.
extension SecureXMLParser {
    /// Parses `bytes` into libxml2's tree and, when they are well-formed, validates the tree against
    /// `schema` and copies it into Swift values. Every problem is an issue with its line (schema
    /// problems name their element, so that the loader can add the column).
    static func parseWithTree(_ bytes: [UInt8], url: String, schema: EmbeddedSchema) -> Outcome {
        guard let ctxt = xmlNewParserCtxt() else {
            return Outcome(root: nil, issues: [Issue(line: 0, column: 0, message: Messages.outOfMemory)])
        }
        defer { xmlFreeParserCtxt(ctxt) }
        let state = ParseState()
        let box = Unmanaged.passRetained(state)
        defer { box.release() }
        ctxt.pointee._private = box.toOpaque()
        installTreeHandlers(ctxt.pointee.sax)

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
        let builder = XMLTreeBuilder(expectedSize: bytes.count)
        copyTree(rootPointer, doc: doc, into: builder, xinclude: &xinclude)
        let root = builder.root
        if let line = xinclude {
            return Outcome(root: nil, issues: [Issue(line: line, column: 0, message: Messages.xincludeNotAllowed)])
        }
        let schemaIssues = schema.validate(doc)
        return Outcome(root: schemaIssues.isEmpty ? root : nil, issues: schemaIssues)
    }

    // MARK: - libxml2 callbacks

    private static func installTreeHandlers(_ sax: UnsafeMutablePointer<xmlSAXHandler>?) {
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
    private static func copyTree(_ node: xmlNodePtr, doc: xmlDocPtr, into builder: XMLTreeBuilder, xinclude: inout Int?) {
        var attributes: [XMLNode.Attribute] = []
        var property = node.pointee.properties
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
            attributes.append(XMLNode.Attribute(name: name, value: value))
            property = attribute.pointee.next
        }
        let namespace = node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
        builder.start(name: String(cString: node.pointee.name), namespace: namespace, attributes: attributes, line: Int(xmlGetLineNo(node)))
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                copyTree(c, doc: doc, into: builder, xinclude: &xinclude)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content { builder.characters(String(cString: content)) }
            default:
                break
            }
            child = c.pointee.next
        }
        builder.end()
        if xinclude == nil, namespace == "http://www.w3.org/2001/XInclude" || namespace == "http://www.w3.org/2003/XInclude" {
            xinclude = Int(xmlGetLineNo(node))
        }
    }
}
