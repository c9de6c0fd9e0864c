import Testing

@testable import Programme

/// The loader's own UTF-8 check must agree with the standard library's validation.
@Suite struct ByteChecksTests {
    @Test func utf8CheckAgreesWithTheStandardLibrary() {
        var seed: UInt64 = 0xB17E5
        func next() -> UInt8 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: seed >> 40)
        }
        let pieces: [[UInt8]] = [
            Array("abcdefgh<title>".utf8), Array("åäö".utf8), Array("€".utf8), Array("😀".utf8),
            [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8], [0x80], [0xC3],
        ]
        for round in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 12) {
                let r = next()
                if r < 40 { bytes.append(next()) } else { bytes += pieces[Int(r) % pieces.count] }
            }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            let bad = ByteChecks.firstInvalidUTF8(bytes)
            #expect(valid == (bad == nil), "round \(round): \(bytes)")
            if let bad {
                #expect(String(validating: bytes[..<bad], as: UTF8.self) != nil, "round \(round): the bytes before \(bad) are valid")
            }
        }
    }

    @Test func problemsAreFoundWhereTheyAre() {
        #expect(ByteChecks.check(Array("  \n\t".utf8)) == .empty)
        #expect(ByteChecks.check(Array("<a>12345678901234567890\0</a>".utf8)) == .binary(offset: 23))
        #expect(ByteChecks.check(Array("<a>1234567890123456789".utf8) + [0xE5] + Array("</a>".utf8)) == .invalidUTF8(offset: 22))
        #expect(ByteChecks.check(Array("<a>åäö 12345678901234567890</a>".utf8)) == nil)
    }
}
