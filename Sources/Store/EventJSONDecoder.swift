/// Reads event payloads back: a small JSON parser and a `Decoder` over what it parsed.
///
/// Foundation's `JSONDecoder` was 60 % of the time of the management report (every case is replayed
/// from its events); this one reads the same JSON several times faster. It accepts any JSON, not
/// only what `CanonicalJSONEncoder` writes, and reports malformed input as `DecodingError`.
enum EventJSONDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        var text = text
        return try text.withUTF8 { bytes in
            var parser = JSONParser(bytes: bytes)
            let value = try parser.parseDocument()
            return try T(from: TreeDecoder(value: value))
        }
    }
}

// MARK: - Parsing

indirect enum JSONValue {
    case null
    case bool(Bool)
    /// A number as written, parsed when a type asks for it.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])
}

struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw corrupt("text after the JSON value") }
        return value
    }

    private func corrupt(_ what: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "malformed JSON at byte \(index): \(what)"))
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString, _ value: JSONValue) throws -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw corrupt("unexpected end") }
        for i in 0..<count where bytes[index + i] != literal.utf8Start[i] { throw corrupt("unknown literal") }
        index += count
        return value
    }

    private mutating func parseValue() throws -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw corrupt("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw corrupt("unexpected character")
        }
    }

    private mutating func nest() throws {
        depth += 1
        guard depth <= 512 else { throw corrupt("nested too deeply") }
    }

    private mutating func parseObject() throws -> JSONValue {
        try nest()
        defer { depth -= 1 }
        index += 1
        var entries: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(entries)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw corrupt("expected a key") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw corrupt("expected ':'") }
            index += 1
            entries.append((key, try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw corrupt("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(entries) }
            throw corrupt("expected ',' or '}'")
        }
    }

    private mutating func parseArray() throws -> JSONValue {
        try nest()
        defer { depth -= 1 }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw corrupt("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw corrupt("expected ',' or ']'")
        }
    }

    private mutating func parseNumber() throws -> JSONValue {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
            }
        }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    private mutating func parseString() throws -> String {
        index += 1  // the opening quote
        let start = index
        // The usual case: no escapes, one copy.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw corrupt("a control character in a string") }
            index += 1
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw corrupt("unexpected end") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw corrupt("a lone surrogate")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw corrupt("a lone surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw corrupt("not a character") }
                    out.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw corrupt("an unknown escape")
                }
            default:
                if byte < 0x20 { throw corrupt("a control character in a string") }
                out.append(byte)
            }
        }
        throw corrupt("an unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw corrupt("unexpected end") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw corrupt("a bad \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }
}

// MARK: - Decoding

extension EventJSONDecoder {
    struct TreeDecoder: Decoder {
        let value: JSONValue
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let entries) = value else { throw mismatch([String: Any].self, value) }
            return KeyedDecodingContainer(KeyedContainer<Key>(entries: entries))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let items) = value else { throw mismatch([Any].self, value) }
            return UnkeyedContainer(items: items)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(value: value) }
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [], debugDescription: "expected \(type), found \(value.kindName)"))
    }

    /// The scalar types, read from one JSON value.
    static func bool(_ value: JSONValue) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(Bool.self, value) }
        return b
    }

    static func string(_ value: JSONValue) throws -> String {
        guard case .string(let s) = value else { throw mismatch(String.self, value) }
        return s
    }

    static func double(_ value: JSONValue) throws -> Double {
        guard case .number(let text) = value, let d = Double(text) else { throw mismatch(Double.self, value) }
        return d
    }

    static func integer<I: FixedWidthInteger>(_ value: JSONValue, as type: I.Type = I.self) throws -> I {
        guard case .number(let text) = value else { throw mismatch(I.self, value) }
        if let i = I(text) { return i }
        // 3.0 or 3e2 as an integer, as Foundation allows when the value is whole.
        guard let d = Double(text), d.rounded() == d, let i = I(exactly: d) else { throw mismatch(I.self, value) }
        return i
    }

    static func decodeValue<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
        switch type {
        case is String.Type: return try string(value) as! T
        case is Int.Type: return try integer(value, as: Int.self) as! T
        case is Double.Type: return try double(value) as! T
        case is Bool.Type: return try bool(value) as! T
        default: return try T(from: TreeDecoder(value: value))
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let entries: [(key: String, value: JSONValue)]
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

        func contains(_ key: Key) -> Bool { lookup(key) != nil }

        private func lookup(_ key: Key) -> JSONValue? {
            let name = key.stringValue
            // The last of a repeated key wins, as in Foundation.
            for entry in entries.reversed() where entry.key == name { return entry.value }
            return nil
        }

        private func required(_ key: Key) throws -> JSONValue {
            guard let value = lookup(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no value for \(key.stringValue)"))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try required(key) { return true }
            return false
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try EventJSONDecoder.bool(required(key)) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try EventJSONDecoder.string(required(key)) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try EventJSONDecoder.double(required(key)) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try EventJSONDecoder.double(required(key))) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try EventJSONDecoder.integer(required(key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try EventJSONDecoder.integer(required(key)) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try EventJSONDecoder.decodeValue(type, required(key)) }

        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            guard let value = lookup(key) else { return nil }
            if case .null = value { return nil }
            return try EventJSONDecoder.string(value)
        }

        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
            guard let value = lookup(key) else { return nil }
            if case .null = value { return nil }
            return try EventJSONDecoder.integer(value)
        }

        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            guard let value = lookup(key) else { return nil }
            if case .null = value { return nil }
            return try EventJSONDecoder.bool(value)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let value = lookup(key) else { return nil }
            if case .null = value { return nil }
            return try EventJSONDecoder.decodeValue(type, value)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try TreeDecoder(value: required(key)).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try TreeDecoder(value: required(key)).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { TreeDecoder(value: lookup(Key(stringValue: "super")!) ?? .null) }
        func superDecoder(forKey key: Key) throws -> any Decoder { TreeDecoder(value: lookup(key) ?? .null) }
    }

    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let items: [JSONValue]
        var currentIndex = 0
        var codingPath: [any CodingKey] { [] }
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        private mutating func next() throws -> JSONValue {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: [], debugDescription: "no more values in the array"))
            }
            defer { currentIndex += 1 }
            return items[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { return false }
            if case .null = items[currentIndex] {
                currentIndex += 1
                return true
            }
            return false
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool { try EventJSONDecoder.bool(next()) }
        mutating func decode(_ type: String.Type) throws -> String { try EventJSONDecoder.string(next()) }
        mutating func decode(_ type: Double.Type) throws -> Double { try EventJSONDecoder.double(next()) }
        mutating func decode(_ type: Int.Type) throws -> Int { try EventJSONDecoder.integer(next()) }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try EventJSONDecoder.decodeValue(type, next()) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try TreeDecoder(value: next()).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try TreeDecoder(value: next()).unkeyedContainer() }
        mutating func superDecoder() throws -> any Decoder { TreeDecoder(value: try next()) }
    }

    struct SingleContainer: SingleValueDecodingContainer {
        let value: JSONValue
        var codingPath: [any CodingKey] { [] }

        func decodeNil() -> Bool {
            if case .null = value { return true }
            return false
        }

        func decode(_ type: Bool.Type) throws -> Bool { try EventJSONDecoder.bool(value) }
        func decode(_ type: String.Type) throws -> String { try EventJSONDecoder.string(value) }
        func decode(_ type: Double.Type) throws -> Double { try EventJSONDecoder.double(value) }
        func decode(_ type: Float.Type) throws -> Float { Float(try EventJSONDecoder.double(value)) }
        func decode(_ type: Int.Type) throws -> Int { try EventJSONDecoder.integer(value) }
        func decode(_ type: Int8.Type) throws -> Int8 { try EventJSONDecoder.integer(value) }
        func decode(_ type: Int16.Type) throws -> Int16 { try EventJSONDecoder.integer(value) }
        func decode(_ type: Int32.Type) throws -> Int32 { try EventJSONDecoder.integer(value) }
        func decode(_ type: Int64.Type) throws -> Int64 { try EventJSONDecoder.integer(value) }
        func decode(_ type: UInt.Type) throws -> UInt { try EventJSONDecoder.integer(value) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try EventJSONDecoder.integer(value) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try EventJSONDecoder.integer(value) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try EventJSONDecoder.integer(value) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try EventJSONDecoder.integer(value) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try EventJSONDecoder.decodeValue(type, value) }
    }
}

extension JSONValue {
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
