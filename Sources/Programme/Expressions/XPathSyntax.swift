internal import CLibXML2

/// Compiles XPath expressions with libxml2 to check their syntax. One checker serves a whole
/// programme load (making a libxml2 XPath context is the expensive part). Not `Sendable`.
final class XPathSyntax {
    struct SyntaxError: Equatable {
        var message: String
        /// 0-based byte offset where libxml2 stopped.
        var offset: Int
    }

    private let context: xmlXPathContextPtr?
    private let box = ErrorBox()

    init() {
        LibXML2Guards.prepareThread()
        context = xmlXPathNewContext(nil)
        guard let context else { return }
        context.pointee.userData = Unmanaged.passUnretained(box).toOpaque()
        context.pointee.error = { userData, error in
            guard let userData, let error else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(userData).takeUnretainedValue()
            guard box.error == nil else { return }
            var text = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
            while text.last == "\n" { text.removeLast() }
            box.error = SyntaxError(message: text, offset: Int(error.pointee.int1))
        }
    }

    deinit {
        if let context { xmlXPathFreeContext(context) }
    }

    /// nil when the expression compiles.
    func check(_ source: String) -> SyntaxError? {
        guard let context else { return SyntaxError(message: "out of memory", offset: 0) }
        box.error = nil
        let compiled = source.withCString { chars in
            chars.withMemoryRebound(to: xmlChar.self, capacity: source.utf8.count + 1) { xmlXPathCtxtCompile(context, $0) }
        }
        if let compiled {
            xmlXPathFreeCompExpr(compiled)
            return box.error
        }
        return box.error ?? SyntaxError(message: "syntax error", offset: 0)
    }
}

private final class ErrorBox {
    var error: XPathSyntax.SyntaxError?
}
