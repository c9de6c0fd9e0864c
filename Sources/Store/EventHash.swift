import Crypto

/// The tamper-evident chain: each event's hash is SHA-256 over the previous event's hash and the
/// event's own fields in a fixed, canonical form.
enum EventHash {
    /// The "previous hash" of a case's first event.
    static let genesis = String(repeating: "0", count: 64)

    static func hash(previous: String, code: String, seq: Int, commandID: String, actor: String, recordedAt: String,
                     programmeVersion: String, type: String, payload: String) -> String {
        // Length-prefixed fields: no separator inside a field can make two events hash alike.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + payload.utf8.count)
        for field in [previous, code, String(seq), commandID, actor, recordedAt, programmeVersion, type, payload] {
            appendDecimal(field.utf8.count, to: &bytes)
            bytes.append(0x3A)  // ':'
            bytes.append(contentsOf: field.utf8)
        }
        return hex(SHA256.hash(data: bytes))
    }

    /// The digits of `n` (≥ 0) in ASCII, as `String(n)` spells them, without making the string.
    private static func appendDecimal(_ n: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        while divisor <= n / 10 { divisor *= 10 }
        var rest = n
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    static func sha256(_ data: [UInt8]) -> String {
        hex(SHA256.hash(data: data))
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
