internal import CLibXML2

/// Builds the Swift element tree straight from libxml2's SAX events, without a libxml2 tree. The
/// result is the tree that copying libxml2's document gives (`parseWithTree`): local names,
/// namespaces, attributes in document order with `xml:` in front of XML-namespace ones, the direct
/// text of each element, the line libxml2 gives it, and the inherited `xml:lang`.
///
/// Anything this copy would not reproduce exactly sets `unsupported`, and the loader then parses
/// the file the tree-building way: XInclude elements, `xml:` attributes other than `xml:lang`
/// (libxml2's tree builder checks `xml:id`), an `&` in an attribute value, lines past 65,534.
final class XMLTreeBuilder {
    private struct OpenElement {
        var name: String
        var namespace: String?
        var attributes: [XMLNode.Attribute]
        var children: [XMLNode] = []
        /// Where this element's own text starts in `text` (its children's text is cut off there).
        var textStart: Int
        var line: Int
        var language: String?
    }

    // Only the parser's thread touches a builder, one callback at a time: no access overlaps.
    @exclusivity(unchecked) private var open: [OpenElement] = []
    /// The text of the open elements, innermost last, as libxml2 passed it.
    @exclusivity(unchecked) private var text: [UInt8] = []
    @exclusivity(unchecked) private(set) var root: XMLNode?
    @exclusivity(unchecked) private(set) var unsupported = false
    /// libxml2 keeps names in its dictionary, one pointer per distinct name: each is converted
    /// once, into a small open-addressing table keyed by the pointer.
    @exclusivity(unchecked) private var nameKeys = [UnsafeRawPointer?](repeating: nil, count: XMLTreeBuilder.nameSlots)
    @exclusivity(unchecked) private var nameValues = [String](repeating: "", count: XMLTreeBuilder.nameSlots)
    private static let nameSlots = 256

    init() {
        open.reserveCapacity(16)
        text.reserveCapacity(4096)
    }

    private func string(_ pointer: UnsafePointer<xmlChar>) -> String {
        let key = UnsafeRawPointer(pointer)
        var slot = (Int(bitPattern: key) >> 4) & (XMLTreeBuilder.nameSlots - 1)
        for _ in 0..<XMLTreeBuilder.nameSlots {
            guard let found = nameKeys[slot] else {
                let value = String(cString: pointer)
                nameKeys[slot] = key
                nameValues[slot] = value
                return value
            }
            if found == key { return nameValues[slot] }
            slot = (slot + 1) & (XMLTreeBuilder.nameSlots - 1)
        }
        return String(cString: pointer)  // more than 256 distinct names: no caching
    }

    /// A start tag: `attributes` holds five pointers per attribute (local name, prefix, namespace,
    /// value start, value end), as libxml2's `startElementNs` gives them.
    func start(
        localname: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?, attributeCount: Int,
        attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, line: Int
    ) {
        let namespace = uri.map(string)
        if namespace == XMLTreeBuilder.xinclude2001 || namespace == XMLTreeBuilder.xinclude2003 || line >= 65_535 {
            unsupported = true
        }
        var language = open.last?.language
        var list: [XMLNode.Attribute] = []
        if attributeCount > 0, let attributes {
            list.reserveCapacity(attributeCount)
            for i in 0..<attributeCount {
                let a = attributes + 5 * i
                guard let localName = a[0], let start = a[3], let end = a[4] else { unsupported = true; continue }
                var name = string(localName)
                if let attributeURI = a[2], string(attributeURI) == XMLNode.xmlNamespace {
                    name = "xml:" + name
                    if name != "xml:lang" { unsupported = true }
                }
                let bytes = UnsafeBufferPointer(start: start, count: end - start)
                // libxml2 hands an `&` in an attribute over as "&#38;" for its tree builder to decode.
                if bytes.contains(UInt8(ascii: "&")) { unsupported = true }
                let value = String(decoding: bytes, as: UTF8.self)
                if name == "xml:lang" { language = value }
                list.append(XMLNode.Attribute(name: name, value: value))
            }
        }
        open.append(OpenElement(
            name: string(localname), namespace: namespace, attributes: list, textStart: text.count, line: line, language: language))
    }

    /// Text or CDATA directly inside the innermost open element.
    func characters(_ pointer: UnsafePointer<xmlChar>, count: Int) {
        guard !open.isEmpty else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
    }

    func end() {
        guard let element = open.popLast() else { return }
        var elementText = ""
        if text.count > element.textStart {
            elementText = text.withUnsafeBufferPointer { String(decoding: $0[element.textStart...], as: UTF8.self) }
            // libxml2 passes whole characters; if a text were ever not UTF-8, decoding would repair it.
            if elementText.utf8.count != text.count - element.textStart { unsupported = true }
            text.removeLast(text.count - element.textStart)
        }
        let node = XMLNode(
            name: element.name, namespace: element.namespace, attributes: element.attributes,
            children: element.children, text: elementText, line: element.line, language: element.language)
        if open.isEmpty {
            root = node
        } else {
            open[open.count - 1].children.append(node)
        }
    }

    private static let xinclude2001 = "http://www.w3.org/2001/XInclude"
    private static let xinclude2003 = "http://www.w3.org/2003/XInclude"
}
