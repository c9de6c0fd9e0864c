/// Every element of one parsed file in document order (the root is element 0), in flat arrays
/// that `XMLTreeBuilder` fills and `XMLNode` reads.
final class XMLTree {
    struct Element {
        /// Index into `names`.
        var name: Int
        /// Index into `names`, or -1.
        var namespace: Int
        var firstAttribute: Int
        var attributeCount: Int
        var text = ""
        var line: Int
        var language: String?
        /// The first child element and the next sibling element, or -1.
        var firstChild = -1
        var nextSibling = -1
    }

    // Filled by one builder on one thread, then only read: no access can overlap.
    @exclusivity(unchecked) var elements: [Element] = []
    @exclusivity(unchecked) var attributes: [XMLNode.Attribute] = []
    /// Element names and namespaces, each once.
    @exclusivity(unchecked) var names: [String] = []

    var root: XMLNode? { elements.isEmpty ? nil : XMLNode(tree: self, index: 0) }
}
