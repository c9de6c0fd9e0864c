/// The last hash of every chain a report covers (each case's, and the team log's), by the chain's
/// name, kept compactly: a report over 100,000 cases names 100,000 of them, and as a dictionary of
/// texts they were most of what its memory grew by. Each entry is the name's UTF-8 and the hash's
/// 32 bytes (or its text, should a hash not be 64 hex digits).
public struct ChainHeads: Sendable, Equatable {
    /// Where each entry starts in `bytes`.
    private var starts: [UInt32] = []
    /// Each entry: the name's length (one byte), the name, a kind byte (0: 32 hash bytes follow;
    /// 1: a length byte and the hash's text follow).
    private var bytes: [UInt8] = []

    public init() {}

    public var count: Int { starts.count }
    public var isEmpty: Bool { starts.isEmpty }

    /// Adds `name`'s head. Names longer than 255 bytes are cut there (case codes are far shorter).
    public mutating func append(_ name: String, _ hash: String) {
        starts.append(UInt32(bytes.count))
        let nameBytes = Array(name.utf8.prefix(255))
        bytes.append(UInt8(nameBytes.count))
        bytes.append(contentsOf: nameBytes)
        if let binary = Self.binary(hash) {
            bytes.append(0)
            bytes.append(contentsOf: binary)
        } else {
            let text = Array(hash.utf8.prefix(255))
            bytes.append(1)
            bytes.append(UInt8(text.count))
            bytes.append(contentsOf: text)
        }
    }

    /// Adds every entry of `other`.
    public mutating func append(contentsOf other: ChainHeads) {
        let offset = UInt32(bytes.count)
        bytes.append(contentsOf: other.bytes)
        starts.append(contentsOf: other.starts.map { $0 + offset })
    }

    /// The entries in the order of their names' bytes (for case codes and `team`, the order of the
    /// texts), each name once (its first entry).
    public func sorted() -> ChainHeads {
        let order = starts.indices.sorted { a, b in
            let x = name(at: a), y = name(at: b)
            return x.lexicographicallyPrecedes(y) || (x.elementsEqual(y) && a < b)
        }
        var result = ChainHeads()
        result.bytes.reserveCapacity(bytes.count)
        var previous: ArraySlice<UInt8>?
        for i in order {
            let n = name(at: i)
            if let previous, previous.elementsEqual(n) { continue }
            previous = n
            result.starts.append(UInt32(result.bytes.count))
            result.bytes.append(contentsOf: bytes[Int(starts[i])..<end(of: i)])
        }
        return result
    }

    /// Each entry in turn, as texts.
    public func forEach(_ body: (_ name: String, _ hash: String) throws -> Void) rethrows {
        for i in starts.indices { try body(String(decoding: name(at: i), as: UTF8.self), hash(at: i)) }
    }

    /// The head of `name`, if it has one (a search through every entry).
    public subscript(chain: String) -> String? {
        let wanted = Array(chain.utf8)
        for i in starts.indices where name(at: i).elementsEqual(wanted) { return hash(at: i) }
        return nil
    }

    /// Every entry as a dictionary.
    public var dictionary: [String: String] {
        var result: [String: String] = Dictionary(minimumCapacity: count)
        forEach { name, hash in if result[name] == nil { result[name] = hash } }
        return result
    }

    public static func == (a: ChainHeads, b: ChainHeads) -> Bool { a.dictionary == b.dictionary }

    private func name(at i: Int) -> ArraySlice<UInt8> {
        let start = Int(starts[i])
        return bytes[(start + 1)..<(start + 1 + Int(bytes[start]))]
    }

    private func end(of i: Int) -> Int { i + 1 < starts.count ? Int(starts[i + 1]) : bytes.count }

    private func hash(at i: Int) -> String {
        let start = Int(starts[i])
        let kind = start + 1 + Int(bytes[start])
        if bytes[kind] == 0 { return Self.hex(bytes[(kind + 1)..<(kind + 33)]) }
        return String(decoding: bytes[(kind + 2)..<(kind + 2 + Int(bytes[kind + 1]))], as: UTF8.self)
    }

    /// The 32 bytes of a hash written as 64 lowercase hex digits, or nil.
    private static func binary(_ hash: String) -> [UInt8]? {
        let digits = Array(hash.utf8)
        guard digits.count == 64 else { return nil }
        var result = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 {
            guard let high = nibble(digits[2 * i]), let low = nibble(digits[2 * i + 1]) else { return nil }
            result[i] = high << 4 | low
        }
        return result
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension ChainHeads: Codable {
    public init(from decoder: Decoder) throws {
        self.init()
        for (name, hash) in try [String: String](from: decoder).sorted(by: { $0.key < $1.key }) { append(name, hash) }
    }

    public func encode(to encoder: Encoder) throws { try dictionary.encode(to: encoder) }
}
