/// A text a person reads: Swedish always, English when the programme gives it.
public struct LocalizedText: Hashable, Sendable, Codable {
    public var sv: String
    public var en: String?

    public init(sv: String, en: String? = nil) {
        self.sv = sv
        self.en = en
    }

    /// The text in `language`, falling back to Swedish when there is no English.
    public func text(_ language: Language) -> String {
        switch language {
        case .sv: sv
        case .en: en ?? sv
        }
    }
}
