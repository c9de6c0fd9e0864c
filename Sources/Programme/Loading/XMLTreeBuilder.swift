internal import CLibXML2

/// Builds an `XMLTree` from start tags, text and end tags: straight from libxml2's SAX events in
/// the one-pass parse, or from a walk over libxml2's document in `parseWithTree`. Either way the
/// tree has local names, namespaces, attributes in document order with `xml:` in front of
/// XML-namespace ones, the direct text of each element, the line libxml2 gives it, and the
/// inherited `xml:lang`.
///
/// From SAX events, anything the copy would not reproduce exactly as the tree walk does sets
/// `unsupported`, and the loader then parses the file the tree-building way: XInclude elements,
/// `xml:` attributes other than `xml:lang` (libxml2's tree builder checks `xml:id`), an `&` in an
/// attribute value, lines past 65,534.
final class XMLTreeBuilder {
    private struct OpenElement {
        var index: Int
        var lastChild = -1
        /// Where this element's own text starts in `text` (its children's text is cut off there).
        var textStart: Int
        var language: String?
    }

    let tree = XMLTree()
    // Only the parser's thread touches a builder, one callback at a time: no access overlaps.
    @exclusivity(unchecked) private var open: [OpenElement] = []
    /// The text of the open elements, innermost last.
    @exclusivity(unchecked) private var text: [UInt8] = []
    @exclusivity(unchecked) private(set) var unsupported = false
    @exclusivity(unchecked) private var finished = false
    /// What each name in `tree.names` is, for the checks on start tags.
    @exclusivity(unchecked) private var kinds: [NameKind] = []
    @exclusivity(unchecked) private var indexByName: [String: Int] = [:]
    /// libxml2 keeps names in its dictionary, one pointer per distinct name: each pointer is
    /// looked up once, then found in a small open-addressing table keyed by the pointer.
    @exclusivity(unchecked) private var slotKeys = [UnsafeRawPointer?](repeating: nil, count: XMLTreeBuilder.slots)
    @exclusivity(unchecked) private var slotValues = [Int](repeating: 0, count: XMLTreeBuilder.slots)
    private static let slots = 256

    private enum NameKind {
        case plain
        case xmlNamespace
        case xincludeNamespace
    }

    /// `expectedSize`: the file's size in bytes, to reserve room for about as many elements.
    init(expectedSize: Int = 0) {
        open.reserveCapacity(16)
        text.reserveCapacity(4096)
        tree.elements.reserveCapacity(expectedSize / 48)
        tree.attributes.reserveCapacity(expectedSize / 64)
    }

    /// The root element, once its end tag has been seen.
    var root: XMLNode? { finished ? tree.root : nil }

    // MARK: - Names

    private func index(of name: String) -> Int {
        if let known = indexByName[name] { return known }
        let index = tree.names.count
        tree.names.append(name)
        indexByName[name] = index
        switch name {
        case XMLNode.xmlNamespace: kinds.append(.xmlNamespace)
        case "http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude": kinds.append(.xincludeNamespace)
        default: kinds.append(.plain)
        }
        return index
    }

    private func index(of pointer: UnsafePointer<xmlChar>) -> Int {
        let key = UnsafeRawPointer(pointer)
        var slot = (Int(bitPattern: key) >> 3) & (XMLTreeBuilder.slots - 1)
        for _ in 0..<XMLTreeBuilder.slots {
            guard let found = slotKeys[slot] else {
                let value = index(of: String(cString: pointer))
                slotKeys[slot] = key
                slotValues[slot] = value
                return value
            }
            if found == key { return slotValues[slot] }
            slot = (slot + 1) & (XMLTreeBuilder.slots - 1)
        }
        return index(of: String(cString: pointer))  // more than 256 distinct names: no table
    }

    // MARK: - From libxml2's SAX events

    /// A start tag: `attributes` holds five pointers per attribute (local name, prefix, namespace,
    /// value start, value end), as libxml2's `startElementNs` gives them.
    func start(
        localname: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?, attributeCount: Int,
        attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, line: Int
    ) {
        let namespace = uri.map { index(of: $0) } ?? -1
        if namespace >= 0, kinds[namespace] == .xincludeNamespace { unsupported = true }
        if line >= 65_535 { unsupported = true }
        var language = open.last?.language
        let firstAttribute = tree.attributes.count
        if attributeCount > 0, let attributes {
            for i in 0..<attributeCount {
                let a = attributes + 5 * i
                guard let localName = a[0], let start = a[3], let end = a[4] else { unsupported = true; continue }
                var name = tree.names[index(of: localName)]
                let bytes = UnsafeBufferPointer(start: start, count: end - start)
                let value = String(decoding: bytes, as: UTF8.self)
                if let attributeURI = a[2], kinds[index(of: attributeURI)] == .xmlNamespace {
                    if name == "lang" {
                        language = value
                        name = "xml:lang"
                    } else {
                        unsupported = true
                        name = "xml:" + name
                    }
                }
                // libxml2 hands an `&` in an attribute over as "&#38;" for its tree builder to decode.
                if bytes.contains(UInt8(ascii: "&")) { unsupported = true }
                tree.attributes.append(XMLNode.Attribute(name: name, value: value))
            }
        }
        open(name: index(of: localname), namespace: namespace, firstAttribute: firstAttribute, line: line, language: language)
    }

    /// Text or CDATA directly inside the innermost open element.
    func characters(_ pointer: UnsafePointer<xmlChar>, count: Int) {
        guard !open.isEmpty else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
    }

    // MARK: - From Swift values

    func start(name: String, namespace: String?, attributes: [XMLNode.Attribute], line: Int) {
        var language = open.last?.language
        let firstAttribute = tree.attributes.count
        for attribute in attributes {
            if attribute.name == "xml:lang" { language = attribute.value }
            tree.attributes.append(attribute)
        }
        open(name: index(of: name), namespace: namespace.map { index(of: $0) } ?? -1, firstAttribute: firstAttribute, line: line, language: language)
    }

    func characters(_ string: String) {
        guard !open.isEmpty else { return }
        text.append(contentsOf: string.utf8)
    }

    // MARK: - Both

    private func open(name: Int, namespace: Int, firstAttribute: Int, line: Int, language: String?) {
        let index = tree.elements.count
        tree.elements.append(XMLTree.Element(
            name: name, namespace: namespace, firstAttribute: firstAttribute,
            attributeCount: tree.attributes.count - firstAttribute, line: line, language: language))
        if let parent = open.indices.last {
            let previous = open[parent].lastChild
            if previous < 0 {
                tree.elements[open[parent].index].firstChild = index
            } else {
                tree.elements[previous].nextSibling = index
            }
            open[parent].lastChild = index
        } else if index > 0 {
            unsupported = true  // a second root: not well-formed, libxml2 reports it
        }
        open.append(OpenElement(index: index, textStart: text.count, language: language))
    }

    func end() {
        guard let element = open.popLast() else { return }
        if text.count > element.textStart {
            let own = text.withUnsafeBufferPointer { String(decoding: $0[element.textStart...], as: UTF8.self) }
            // libxml2 passes whole characters; if a text were ever not UTF-8, decoding would repair it.
            if own.utf8.count != text.count - element.textStart { unsupported = true }
            tree.elements[element.index].text = own
            text.removeLast(text.count - element.textStart)
        }
        if open.isEmpty { finished = true }
    }
}
