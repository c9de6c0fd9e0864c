/// A plain Swift copy of one XML element, made right after parsing so that no libxml2 pointer
/// outlives the loader. A class, so that walking the tree does not copy it.
final class XMLNode {
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    struct Attribute: Sendable {
        /// Local name, with `xml:` in front for attributes in the XML namespace (`xml:lang`).
        var name: String
        var value: String
    }

    let name: String
    let namespace: String?
    let attributes: [Attribute]
    let children: [XMLNode]
    /// The text directly inside the element (not inside its children).
    let text: String
    let line: Int
    /// The `xml:lang` in force for this element (its own or the nearest ancestor's).
    let language: String?

    init(name: String, namespace: String?, attributes: [Attribute], children: [XMLNode], text: String, line: Int, language: String?) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.children = children
        self.text = text
        self.line = line
        self.language = language
    }

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
