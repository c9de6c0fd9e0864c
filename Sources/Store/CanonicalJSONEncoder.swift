/// Canonical JSON for event payloads: object keys in UTF-8 byte order, no whitespace, `/` not escaped.
///
/// It writes the same bytes as Foundation's `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`
/// (a test holds the two to that), which is what stores written before it hold; it exists because
/// Foundation's encoder was a quarter of the time of every command. Like Foundation's, it builds a
/// small tree (keys can only be sorted once an object is complete), then writes it in one pass.
/// It does not track coding paths (no payload type reads them); an error names no path.
enum CanonicalJSONEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = TreeEncoder(codingPath: [])
        try value.encode(to: encoder)
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(encoder.node ?? .object(ObjectNode()), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - The tree

    enum Node {
        case null
        case bool(Bool)
        /// A number or another literal, already in its JSON spelling.
        case literal(String)
        case string(String)
        case object(ObjectNode)
        case array(ArrayNode)
    }

    final class ObjectNode {
        var entries: [(key: String, value: Node)] = []
    }

    final class ArrayNode {
        var items: [Node] = []
    }

    // MARK: - Writing

    private static func write(_ node: Node, to out: inout [UInt8]) {
        switch node {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .literal(let s): out.append(contentsOf: s.utf8)
        case .string(let s): writeString(s, to: &out)
        case .array(let array):
            out.append(UInt8(ascii: "["))
            for (i, item) in array.items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            // Byte order of the keys; for a key set twice the last value wins, as in Foundation.
            let sorted = object.entries.enumerated().sorted { a, b in
                a.element.key == b.element.key ? a.offset < b.offset : a.element.key.utf8.lexicographicallyPrecedes(b.element.key.utf8)
            }
            var first = true
            for (i, entry) in sorted.enumerated() {
                if i + 1 < sorted.count, sorted[i + 1].element.key == entry.element.key { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(entry.element.key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(entry.element.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (ids, dates, names) need no escape: copy them whole rather than byte by byte.
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Numbers as Foundation spells them: the shortest round-trip form, without a trailing `.0`.
    static func literal<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws -> String {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "JSON has no \(value)"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

// MARK: - Encoder

extension CanonicalJSONEncoder {
    final class TreeEncoder: Encoder {
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        var node: Node?

        init(codingPath: [any CodingKey]) {
            self.codingPath = codingPath
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let object: ObjectNode
            if case .object(let existing) = node {
                object = existing
            } else {
                object = ObjectNode()
                node = .object(object)
            }
            return KeyedEncodingContainer(KeyedContainer(object: object, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let array: ArrayNode
            if case .array(let existing) = node {
                array = existing
            } else {
                array = ArrayNode()
                node = .array(array)
            }
            return UnkeyedContainer(array: array, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }

        /// The tree of any value, encoded by its own `encode(to:)`.
        static func node<T: Encodable>(of value: T, at path: [any CodingKey]) throws -> Node {
            let encoder = TreeEncoder(codingPath: path)
            try value.encode(to: encoder)
            return encoder.node ?? .object(ObjectNode())
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let object: ObjectNode
        let codingPath: [any CodingKey]

        private func put(_ node: Node, _ key: Key) { object.entries.append((key.stringValue, node)) }

        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(.literal(try CanonicalJSONEncoder.literal(value)), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(.literal(try CanonicalJSONEncoder.literal(value)), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            put(try TreeEncoder.node(of: value, at: []), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectNode()
            put(.object(nested), key)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: []))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = ArrayNode()
            put(.array(nested), key)
            return UnkeyedContainer(array: nested, codingPath: [])
        }

        mutating func superEncoder() -> any Encoder { SuperEncoder(object: object, key: "super", codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { SuperEncoder(object: object, key: key.stringValue, codingPath: []) }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let array: ArrayNode
        let codingPath: [any CodingKey]
        var count: Int { array.items.count }

        mutating func encodeNil() throws { array.items.append(.null) }
        mutating func encode(_ value: Bool) throws { array.items.append(.bool(value)) }
        mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws { array.items.append(.literal(try CanonicalJSONEncoder.literal(value))) }
        mutating func encode(_ value: Float) throws { array.items.append(.literal(try CanonicalJSONEncoder.literal(value))) }
        mutating func encode(_ value: Int) throws { array.items.append(.literal(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            array.items.append(try TreeEncoder.node(of: value, at: []))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectNode()
            array.items.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: []))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = ArrayNode()
            array.items.append(.array(nested))
            return UnkeyedContainer(array: nested, codingPath: [])
        }

        mutating func superEncoder() -> any Encoder {
            let wrapper = ObjectNode()
            array.items.append(.object(wrapper))
            return SuperEncoder(object: wrapper, key: "super", codingPath: codingPath)
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let encoder: TreeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.node = .null }
        mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
        mutating func encode(_ value: String) throws { encoder.node = .string(value) }
        mutating func encode(_ value: Double) throws { encoder.node = .literal(try CanonicalJSONEncoder.literal(value)) }
        mutating func encode(_ value: Float) throws { encoder.node = .literal(try CanonicalJSONEncoder.literal(value)) }
        mutating func encode(_ value: Int) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: Int8) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: Int16) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: Int32) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: Int64) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: UInt) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: UInt8) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: UInt16) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: UInt32) throws { encoder.node = .literal(String(value)) }
        mutating func encode(_ value: UInt64) throws { encoder.node = .literal(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { encoder.node = try TreeEncoder.node(of: value, at: codingPath) }
    }

    /// The encoder `superEncoder()` hands out: whatever it encodes lands under `key` of `object`.
    final class SuperEncoder: Encoder {
        let object: ObjectNode
        let key: String
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        private let inner: TreeEncoder

        init(object: ObjectNode, key: String, codingPath: [any CodingKey]) {
            self.object = object
            self.key = key
            self.codingPath = codingPath
            inner = TreeEncoder(codingPath: codingPath)
        }

        deinit { object.entries.append((key, inner.node ?? .object(ObjectNode()))) }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { inner.container(keyedBy: type) }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
        func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
    }

}
