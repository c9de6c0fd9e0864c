internal import CLibXML2

/// Evaluates programme expressions with libxml2's XPath 1.0 engine. Expressions are compiled once and
/// kept; variables and extra functions come from an `XPathEnvironment` at each evaluation.
///
/// Not `Sendable`: it owns libxml2 objects. Make one per thread (a session, a request).
public final class XPathEvaluator {
    public struct EvaluationError: Error, Equatable, CustomStringConvertible {
        public var expression: String
        public var message: String
        public var description: String { "\(message) in \"\(expression)\"" }
    }

    private let context: xmlXPathContextPtr
    private var compiled: [String: xmlXPathCompExprPtr] = [:]
    private let state = EvaluationState()

    public init() {
        LibXML2Guards.prepareThread()
        context = xmlXPathNewContext(nil)
        // Reuse XPath objects between evaluations instead of allocating them each time.
        xmlXPathContextSetCache(context, 1, -1, 0)
        let opaque = Unmanaged.passUnretained(state).toOpaque()
        context.pointee.userData = opaque
        context.pointee.error = { userData, error in
            guard let userData, let error else { return }
            let state = Unmanaged<EvaluationState>.fromOpaque(userData).takeUnretainedValue()
            if state.error == nil {
                state.error = error.pointee.message.map { String(cString: $0) }?.trimmingWhitespace ?? "error"
            }
        }
        xmlXPathRegisterVariableLookup(context, { data, name, _ in
            guard let data, let name else { return nil }
            let state = Unmanaged<EvaluationState>.fromOpaque(data).takeUnretainedValue()
            let key = UInt(bitPattern: name)
            let variable: String
            if let known = state.names[key] {
                variable = known
            } else {
                variable = String(cString: name)
                state.names[key] = variable
            }
            guard let value = state.environment?.variable(variable) else {
                state.error = state.error ?? "unknown variable '$\(variable)'"
                return nil
            }
            return XPathEvaluator.object(value)
        }, opaque)
        xmlXPathRegisterFuncLookup(context, { data, name, _ in
            guard let data, let name else { return nil }
            let state = Unmanaged<EvaluationState>.fromOpaque(data).takeUnretainedValue()
            guard state.environment?.functionNames.contains(String(cString: name)) == true else { return nil }
            return XPathEvaluator.trampoline
        }, opaque)
    }

    deinit {
        for (_, expression) in compiled { xmlXPathFreeCompExpr(expression) }
        xmlXPathFreeContext(context)
    }

    /// Evaluates `source` in `environment`.
    public func evaluate(_ source: String, in environment: XPathEnvironment) throws(EvaluationError) -> XPathValue {
        let expression = try compile(source)
        state.environment = environment
        state.error = nil
        defer { state.environment = nil }
        guard let result = xmlXPathCompiledEval(expression, context) else {
            throw EvaluationError(expression: source, message: state.error ?? "evaluation failed")
        }
        defer { xmlXPathFreeObject(result) }
        if let error = state.error { throw EvaluationError(expression: source, message: error) }
        switch result.pointee.type {
        case XPATH_BOOLEAN: return .boolean(result.pointee.boolval != 0)
        case XPATH_NUMBER: return .number(result.pointee.floatval)
        case XPATH_STRING: return .string(result.pointee.stringval.map { String(cString: $0) } ?? "")
        default:
            guard let s = xmlXPathCastToString(result) else { return .string("") }
            defer { narvaro_xml_free(s) }
            return .string(String(cString: s))
        }
    }

    /// Evaluates `source` as a condition (XPath's boolean()).
    public func test(_ source: String, in environment: XPathEnvironment) throws(EvaluationError) -> Bool {
        try evaluate(source, in: environment).boolValue
    }

    private func compile(_ source: String) throws(EvaluationError) -> xmlXPathCompExprPtr {
        if let expression = compiled[source] { return expression }
        state.error = nil
        let expression = source.withCString { chars in
            chars.withMemoryRebound(to: xmlChar.self, capacity: source.utf8.count + 1) { xmlXPathCtxtCompile(context, $0) }
        }
        guard let expression else { throw EvaluationError(expression: source, message: state.error ?? "syntax error") }
        compiled[source] = expression
        return expression
    }

    // MARK: - Bridging values

    static func object(_ value: XPathValue) -> xmlXPathObjectPtr? {
        switch value {
        case .number(let n): return xmlXPathNewFloat(n)
        case .boolean(let b): return xmlXPathNewBoolean(b ? 1 : 0)
        case .string(let s):
            return s.withCString { chars in
                chars.withMemoryRebound(to: xmlChar.self, capacity: s.utf8.count + 1) { xmlXPathNewString($0) }
            }
        }
    }

    static func value(_ object: xmlXPathObjectPtr) -> XPathValue {
        switch object.pointee.type {
        case XPATH_BOOLEAN: return .boolean(object.pointee.boolval != 0)
        case XPATH_NUMBER: return .number(object.pointee.floatval)
        case XPATH_STRING: return .string(object.pointee.stringval.map { String(cString: $0) } ?? "")
        default:
            guard let s = xmlXPathCastToString(object) else { return .string("") }
            defer { narvaro_xml_free(s) }
            return .string(String(cString: s))
        }
    }

    /// One C function for every environment function: libxml2 tells it which name was called
    /// through `context->function`.
    static let trampoline: xmlXPathFunction = { parser, count in
        guard let parser, let context = parser.pointee.context, let data = context.pointee.funcLookupData,
              let namePointer = context.pointee.function else { return }
        let state = Unmanaged<EvaluationState>.fromOpaque(data).takeUnretainedValue()
        let name = String(cString: namePointer)
        var arguments: [XPathValue] = []
        arguments.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let object = valuePop(parser) else { break }
            arguments.append(value(object))
            xmlXPathFreeObject(object)
        }
        arguments.reverse()
        guard let result = state.environment?.call(name, arguments) else {
            state.error = state.error ?? "function '\(name)()' cannot be evaluated with these arguments"
            xmlXPathErr(parser, Int32(XPATH_INVALID_ARITY.rawValue))
            return
        }
        valuePush(parser, object(result))
    }
}

private final class EvaluationState {
    // Held only during one evaluation, on the evaluator's thread.
    var environment: XPathEnvironment?
    var error: String?
    /// Variable names by the address of their text in a compiled expression (which lives as long as
    /// the evaluator), so that a lookup does not make a new Swift string each time.
    var names: [UInt: String] = [:]
}
