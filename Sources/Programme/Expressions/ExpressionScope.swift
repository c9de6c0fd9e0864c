/// What an expression may refer to where it stands: which variables and which functions.
public struct ExpressionScope: Sendable {
    /// The kind of id a function's first argument names.
    public enum IdArgument: Sendable {
        case step
        case module
        case consent
        case duration
        case role
    }

    public struct Function: Sendable {
        public var minArguments: Int
        public var maxArguments: Int
        public var idArgument: IdArgument?

        public init(_ minArguments: Int, _ maxArguments: Int, id: IdArgument? = nil) {
            self.minArguments = minArguments
            self.maxArguments = maxArguments
            self.idArgument = id
        }
    }

    public enum Kind: Sendable {
        case form
        case programme
        case trigger
    }

    public var kind: Kind
    public var variables: Set<String>

    public init(kind: Kind, variables: Set<String>) {
        self.kind = kind
        self.variables = variables
    }

    /// The XPath 1.0 core functions that make sense without a document.
    public static let coreFunctions: [String: Function] = [
        "string": Function(0, 1), "concat": Function(2, 99), "starts-with": Function(2, 2),
        "contains": Function(2, 2), "substring-before": Function(2, 2), "substring-after": Function(2, 2),
        "substring": Function(2, 3), "string-length": Function(0, 1), "normalize-space": Function(0, 1),
        "translate": Function(3, 3), "boolean": Function(1, 1), "not": Function(1, 1), "true": Function(0, 0),
        "false": Function(0, 0), "number": Function(0, 1), "floor": Function(1, 1), "ceiling": Function(1, 1),
        "round": Function(1, 1),
    ]

    /// Functions over a form's answers.
    public static let formFunctions: [String: Function] = [
        "selected": Function(2, 2), "count-selected": Function(1, 1), "today": Function(0, 0),
        "days-between": Function(2, 2),
    ]

    /// Case facts, for step conditions, repeat conditions and gates.
    public static let caseFunctions: [String: Function] = [
        "completed": Function(1, 1, id: .step), "skipped": Function(1, 1, id: .step),
        "module-selected": Function(1, 1, id: .module), "consent-valid": Function(1, 1, id: .consent),
        "days-in-phase": Function(0, 0), "attendance-percent": Function(1, 1, id: .duration),
        "staff-count": Function(1, 1, id: .role),
    ]

    /// Attendance figures a screening trigger is tested on, computed over the trigger's window.
    public static let triggerVariables: Set<String> = [
        "franvaro_procent", "giltig_franvaro_procent", "ogiltig_franvaro_procent", "narvaro_procent",
        "veckor_helt_franvarande",
    ]

    private static let formScopeFunctions = coreFunctions.merging(formFunctions) { a, _ in a }
    private static let programmeScopeFunctions = formScopeFunctions.merging(caseFunctions) { a, _ in a }

    public var functions: [String: Function] {
        switch kind {
        case .form: Self.formScopeFunctions
        case .programme: Self.programmeScopeFunctions
        case .trigger: Self.coreFunctions
        }
    }
}
