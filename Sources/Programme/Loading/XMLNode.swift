/// One element of a parsed programme, as plain Swift values (no libxml2 pointer outlives the
/// loader). A node is a position in its `XMLTree`, which holds every element of the file in a few
/// flat arrays: walking the tree copies nothing, and building and dropping it costs a few
/// allocations rather than several per element.
struct XMLNode {
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    struct Attribute: Sendable {
        /// Local name, with `xml:` in front for attributes in the XML namespace (`xml:lang`).
        var name: String
        var value: String
    }

    let tree: XMLTree
    let index: Int

    private var record: XMLTree.Element {
        _read { yield tree.elements[index] }
    }

    var name: String { tree.names[record.name] }

    var namespace: String? {
        let namespace = record.namespace
        return namespace < 0 ? nil : tree.names[namespace]
    }

    var attributes: ArraySlice<Attribute> {
        let r = record
        return tree.attributes[r.firstAttribute..<(r.firstAttribute + r.attributeCount)]
    }

    /// The text directly inside the element (not inside its children).
    var text: String { record.text }

    var line: Int { record.line }

    /// The `xml:lang` in force for this element (its own or the nearest ancestor's).
    var language: String? { record.language }

    /// The child elements, in document order.
    var children: Children { Children(tree: tree, first: record.firstChild) }

    /// Whether the element's local name is `name`.
    func isNamed(_ name: String) -> Bool {
        XMLNode.same(tree.names[record.name], name)
    }

    func attribute(_ name: String) -> String? {
        let r = record
        for i in r.firstAttribute..<(r.firstAttribute + r.attributeCount) where XMLNode.same(tree.attributes[i].name, name) {
            return tree.attributes[i].value
        }
        return nil
    }

    func elements(_ name: String) -> [XMLNode] {
        children.filter { $0.isNamed(name) }
    }

    func element(_ name: String) -> XMLNode? {
        children.first { $0.isNamed(name) }
    }

    /// `a == b`, answered from the lengths when they differ (the common case when looking for one
    /// name among several; the full comparison is the slow part).
    @inline(__always)
    private static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    /// The children of one element, following the tree's sibling links.
    struct Children: Sequence, IteratorProtocol {
        let tree: XMLTree
        var position: Int

        init(tree: XMLTree, first: Int) {
            self.tree = tree
            self.position = first
        }

        mutating func next() -> XMLNode? {
            guard position >= 0 else { return nil }
            let node = XMLNode(tree: tree, index: position)
            position = tree.elements[position].nextSibling
            return node
        }
    }
}
