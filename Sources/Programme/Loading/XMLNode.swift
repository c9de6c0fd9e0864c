/// A plain Swift copy of one XML element, made right after parsing so that no libxml2 pointer
/// outlives the loader.
struct XMLNode: Sendable {
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    struct Attribute: Sendable {
        /// Local name, with `xml:` in front for attributes in the XML namespace (`xml:lang`).
        var name: String
        var value: String
    }

    var name: String
    var namespace: String?
    var attributes: [Attribute]
    var children: [XMLNode]
    /// The text directly inside the element (not inside its children).
    var text: String
    var line: Int
    /// The `xml:lang` in force for this element (its own or the nearest ancestor's).
    var language: String?

    func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    func elements(_ name: String) -> [XMLNode] {
        children.filter { $0.name == name }
    }

    func element(_ name: String) -> XMLNode? {
        children.first { $0.name == name }
    }
}
