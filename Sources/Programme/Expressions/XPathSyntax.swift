internal import CLibXML2

/// Compiles XPath expressions with libxml2 to check their syntax. One checker serves a whole
/// programme load (making a libxml2 XPath context is the expensive part). Not `Sendable`.
final class XPathSyntax {
    struct SyntaxError: Equatable {
        var message: String
        var messageSv: String = ""
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
            // libxml2 2.9 passes no text here; the code says what went wrong.
            let (en, sv) = XPathSyntax.describe(Int(error.pointee.code) - Int(XML_XPATH_EXPRESSION_OK.rawValue))
            box.error = SyntaxError(message: en, messageSv: sv, offset: Int(error.pointee.int1))
        }
    }

    deinit {
        if let context { xmlXPathFreeContext(context) }
    }

    /// libxml2's XPath error codes, in words.
    static func describe(_ code: Int) -> (en: String, sv: String) {
        switch code {
        case 1: ("a number is written wrongly", "ett tal är felskrivet")
        case 2: ("a text in quotes is not closed", "en text inom citattecken avslutas inte")
        case 3: ("a text in quotes was expected", "en text inom citattecken väntades")
        case 4: ("a $ must be followed by a name", "efter $ ska ett namn stå")
        case 6: ("a condition in [ ] is not valid", "ett villkor inom [ ] är ogiltigt")
        case 7: ("the expression is incomplete or has an operator in the wrong place", "uttrycket är ofullständigt eller har en operator på fel plats")
        case 8: ("a bracket is not closed", "en parentes stängs inte")
        case 10: ("an operand is missing or wrong", "en operand saknas eller är fel")
        case 12: ("a function has the wrong number of arguments", "en funktion har fel antal argument")
        default: ("syntax error", "syntaxfel")
        }
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
