internal import CLibXML2

/// Compiles an XPath expression with libxml2 to check its syntax.
enum XPathSyntax {
    struct SyntaxError: Equatable {
        var message: String
        /// 0-based character offset where libxml2 stopped.
        var offset: Int
    }

    /// nil when the expression compiles.
    static func check(_ source: String) -> SyntaxError? {
        LibXML2Guards.prepareThread()
        guard let context = xmlXPathNewContext(nil) else { return SyntaxError(message: "out of memory", offset: 0) }
        defer { xmlXPathFreeContext(context) }
        let box = Unmanaged.passRetained(ErrorBox())
        defer { box.release() }
        context.pointee.userData = box.toOpaque()
        context.pointee.error = { userData, error in
            guard let userData, let error else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(userData).takeUnretainedValue()
            guard box.error == nil else { return }
            var text = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
            while text.last == "\n" { text.removeLast() }
            box.error = SyntaxError(message: text, offset: Int(error.pointee.int1))
        }
        let compiled = source.withCString { chars in
            chars.withMemoryRebound(to: xmlChar.self, capacity: source.utf8.count + 1) { xmlXPathCtxtCompile(context, $0) }
        }
        if let compiled {
            xmlXPathFreeCompExpr(compiled)
            return box.takeUnretainedValue().error
        }
        return box.takeUnretainedValue().error ?? SyntaxError(message: "syntax error", offset: 0)
    }
}

private final class ErrorBox {
    var error: XPathSyntax.SyntaxError?
}
