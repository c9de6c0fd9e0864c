/// The two languages every user-facing text exists in.
public enum Language: String, Sendable, Codable, CaseIterable {
    case sv
    case en
}

/// A message written in Swedish with English beside it.
public struct LocalizedMessage: Hashable, Sendable, Codable, Error {
    public var sv: String
    public var en: String

    public init(sv: String, en: String) {
        self.sv = sv
        self.en = en
    }

    public func text(_ language: Language) -> String {
        switch language {
        case .sv: sv
        case .en: en
        }
    }
}
