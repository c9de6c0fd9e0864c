/// One problem found while loading a programme, with where it is and, when one helps, a hint.
public struct Diagnostic: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: LocalizedMessage
    public var hint: LocalizedMessage?

    public init(_ severity: Severity, at location: SourceLocation, _ message: LocalizedMessage, hint: LocalizedMessage? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `file:line:col: error: message`, with the hint on a second line.
    public func rendered(_ language: Language) -> String {
        let word: String
        switch (severity, language) {
        case (.error, .sv): word = "fel"
        case (.error, .en): word = "error"
        case (.warning, .sv): word = "varning"
        case (.warning, .en): word = "warning"
        }
        var out = "\(location): \(word): \(message.text(language))"
        if let hint {
            out += "\n  " + (language == .sv ? "tips: " : "hint: ") + hint.text(language)
        }
        return out
    }
}

/// What failed to load, with every problem found.
public struct ProgrammeLoadError: Error, Sendable {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}
