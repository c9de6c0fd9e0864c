internal import CLibXML2

/// Per-parse state reached from libxml2's callbacks through the parser context's `_private`.
final class ParseState {
    var issues: [SecureXMLParser.Issue] = []
    var depth = 0
    var loaderCalled = false
    /// The one-pass parse only: the Swift tree being built, and how many schema errors were met.
    let builder: XMLTreeBuilder?
    var schemaErrors = 0

    init(builder: XMLTreeBuilder? = nil) {
        self.builder = builder
    }

    static func from(_ ctx: UnsafeMutableRawPointer?) -> ParseState? {
        guard let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self), let p = ctxt.pointee._private else { return nil }
        return Unmanaged<ParseState>.fromOpaque(p).takeUnretainedValue()
    }

    /// Calls `body` with the state and its tree builder, without retaining and releasing them on
    /// every SAX event (a few thousand per file): the parse keeps both alive until it returns.
    @inline(__always)
    static func withBuilder(_ ctx: UnsafeMutableRawPointer?, _ body: (ParseState, XMLTreeBuilder) -> Void) {
        guard let ctxt = ctx?.assumingMemoryBound(to: xmlParserCtxt.self), let p = ctxt.pointee._private else { return }
        Unmanaged<ParseState>.fromOpaque(p)._withUnsafeGuaranteedRef { state in
            guard let builder = state.builder else { return }
            body(state, builder)
        }
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
