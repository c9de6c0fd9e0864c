internal import CLibXML2

/// The one-pass parse: libxml2 parses, the schema validator checks every SAX event as it passes
/// (`xmlSchemaSAXPlug` chains it in front of our handlers) and `XMLTreeBuilder` copies the elements
/// into Swift values. No libxml2 tree is built, copied or freed.
extension SecureXMLParser {
    /// The element tree, or nil when anything at all is wrong or unusual: a parser error or warning,
    /// a schema error, a DOCTYPE, nesting too deep, an external load, anything `XMLTreeBuilder`
    /// does not copy. The caller then parses again with `parseWithTree` for the diagnostics.
    static func parseStreaming(_ bytes: [UInt8], url: String, schema: EmbeddedSchema) -> XMLNode? {
        guard let ctxt = xmlNewParserCtxt() else { return nil }
        defer { xmlFreeParserCtxt(ctxt) }
        guard let validator = schema.newValidationContext() else { return nil }
        defer { xmlSchemaFreeValidCtxt(validator) }

        let builder = XMLTreeBuilder(expectedSize: bytes.count)
        let state = ParseState(builder: builder)
        let box = Unmanaged.passRetained(state)
        defer { box.release() }
        ctxt.pointee._private = box.toOpaque()
        xmlSchemaSetValidStructuredErrors(validator, { userData, _ in
            guard let userData else { return }
            Unmanaged<ParseState>.fromOpaque(userData).takeUnretainedValue().schemaErrors += 1
        }, box.toOpaque())
        installStreamingHandlers(ctxt.pointee.sax)

        // From here on the parser calls the plug's handlers, which call the validator and then ours
        // (with our own user data, the parser context).
        guard let plug = narvaro_schema_sax_plug(validator, ctxt) else { return nil }
        // The plug does not pass parser errors on; any error or warning means "parse again".
        ctxt.pointee.sax.pointee.serror = { _, error in
            guard let error, let state = ParseState.from(error.pointee.ctxt) else { return }
            state.record(error)
        }
        let encoding = declaresUTF8(bytes) ? nil : "UTF-8"
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                xmlCtxtReadMemory(ctxt, $0.baseAddress, Int32($0.count), url, encoding, LibXML2Guards.parserOptions)
            }
        }
        if let doc { xmlFreeDoc(doc) }  // none: there is no startDocument handler to create one
        let valid = xmlSchemaIsValid(validator) == 1
        xmlSchemaSAXUnplug(plug)

        let clean = ctxt.pointee.wellFormed == 1 && ctxt.pointee.errNo == 0 && state.issues.isEmpty
            && !state.loaderCalled && valid && state.schemaErrors == 0 && !builder.unsupported
        return clean ? builder.root : nil
    }

    /// Whether the file opens with an XML declaration that says `encoding="UTF-8"`. libxml2 then
    /// reads the bytes as they are; told "UTF-8" by the caller, it would instead run the whole file
    /// through its UTF-8-to-UTF-8 converter into a second buffer. Any other file is read with
    /// "UTF-8" named, as the tree parse always does.
    static func declaresUTF8(_ bytes: [UInt8]) -> Bool {
        let opening = Array("<?xml ".utf8)
        guard bytes.starts(with: opening) else { return false }
        let declaration = bytes.prefix(200).split(separator: UInt8(ascii: ">"), maxSplits: 1, omittingEmptySubsequences: false)[0]
        return declaration.last == UInt8(ascii: "?") && (contains(declaration, #"encoding="UTF-8""#) || contains(declaration, "encoding='UTF-8'"))
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard haystack.count >= needle.count else { return false }
        return (haystack.startIndex...(haystack.endIndex - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    // MARK: - libxml2 callbacks

    private static func installStreamingHandlers(_ sax: UnsafeMutablePointer<xmlSAXHandler>?) {
        guard let sax else { return }
        // No document, no tree: only elements and text reach Swift.
        sax.pointee.startDocument = nil
        sax.pointee.endDocument = nil
        sax.pointee.startElement = nil
        sax.pointee.endElement = nil
        sax.pointee.comment = nil
        sax.pointee.processingInstruction = nil
        sax.pointee.reference = nil
        // Refuse any DOCTYPE or entity declaration (the tree parse then says so, with its line).
        sax.pointee.internalSubset = { ctx, _, _, _ in SecureXMLParser.refuse(ctx) }
        sax.pointee.externalSubset = { ctx, _, _, _ in SecureXMLParser.refuse(ctx) }
        sax.pointee.entityDecl = { ctx, _, _, _, _, _ in SecureXMLParser.refuse(ctx) }
        sax.pointee.startElementNs = { ctx, localname, _, uri, _, _, nbAttributes, _, attributes in
            ParseState.withBuilder(ctx) { state, builder in
                guard let localname, let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
                state.depth += 1
                if state.depth > SecureXMLParser.maximumDepth {
                    SecureXMLParser.refuse(ctx)
                    return
                }
                builder.start(
                    localname: localname, uri: uri, attributeCount: Int(nbAttributes), attributes: attributes,
                    line: Int(ctxt.pointee.input?.pointee.line ?? 0))
            }
        }
        sax.pointee.endElementNs = { ctx, _, _, _ in
            ParseState.withBuilder(ctx) { state, builder in
                state.depth -= 1
                builder.end()
            }
        }
        let text: charactersSAXFunc = { ctx, chars, length in
            guard let chars else { return }
            ParseState.withBuilder(ctx) { _, builder in builder.characters(chars, count: Int(length)) }
        }
        sax.pointee.characters = text
        sax.pointee.ignorableWhitespace = text
        sax.pointee.cdataBlock = text
    }

    /// Stops the parse; the tree-building parse reports why.
    private static func refuse(_ ctx: UnsafeMutableRawPointer?) {
        guard let state = ParseState.from(ctx), let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
        state.issues.append(Issue(line: Int(xmlSAX2GetLineNumber(ctx)), column: 0, message: Messages.unreadableXML))
        xmlStopParser(ctxt)
    }
}
