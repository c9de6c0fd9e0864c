#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The raw bytes of a file by line, used to find the column of an element or attribute that libxml2
/// gives only a line for.
struct SourceText: Sendable {
    private let bytes: [UInt8]
    /// Where each line starts in `bytes`.
    private let starts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var from = 0
            while from < buffer.count, let hit = memchr(base + from, 0x0A, buffer.count - from) {
                let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                starts.append(i + 1)
                from = i + 1
            }
        }
        self.starts = starts
    }

    /// The byte range of a 1-based line, without its newline.
    private func range(_ line: Int) -> Range<Int>? {
        guard line >= 1, line <= starts.count else { return nil }
        let start = starts[line - 1]
        let end = line < starts.count ? starts[line] - 1 : bytes.count
        return start..<max(start, end)
    }

    /// Column (1-based) of `<name` on `line`, or 0.
    func column(ofElement name: String, line: Int) -> Int {
        guard let range = range(line) else { return 0 }
        var name = name
        return name.withUTF8 { needle in
            bytes.withUnsafeBufferPointer { t in
                var from = range.lowerBound
                while let i = find(0x3C, needle, in: from..<range.upperBound, t) {
                    let after = i + 1 + needle.count
                    if after >= range.upperBound || Self.endsName(t[after]) {
                        return characterColumn(range.lowerBound, i)
                    }
                    from = i + 1
                }
                return 0
            }
        }
    }

    private static func endsName(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x3E || b == 0x2F || b == 0x09 || b == 0x0D
    }

    /// Where the start tag `<name` begins. libxml2 gives an element the line where its start tag
    /// ends, so a start tag spread over several lines is looked for upwards from there.
    func elementStart(_ name: String, reportedLine line: Int) -> (line: Int, column: Int) {
        for l in stride(from: line, through: max(1, line - 30), by: -1) {
            let column = column(ofElement: name, line: l)
            if column > 0 { return (l, column) }
        }
        return (line, 0)
    }

    /// The first line that contains `text`.
    func firstLine(containing text: String) -> Int? {
        for l in 1...max(1, starts.count) where lineContains(text, line: l) { return l }
        return nil
    }

    /// Whether `line` contains `text`.
    func lineContains(_ text: String, line: Int) -> Bool {
        guard let range = range(line) else { return false }
        var text = text
        return text.withUTF8 { needle in
            bytes.withUnsafeBufferPointer { find(nil, needle, in: range, $0) != nil }
        }
    }

    /// Line and column of `name=` in the start tag that begins on `line`.
    func location(ofAttribute name: String, elementLine line: Int) -> (line: Int, column: Int)? {
        var name = name
        return name.withUTF8 { needle in
            bytes.withUnsafeBufferPointer { t -> (line: Int, column: Int)? in
                // A start tag may span a few lines; look at most ten lines down.
                for l in line..<(line + 10) {
                    guard let range = range(l) else { break }
                    var from = range.lowerBound
                    while let i = find(nil, needle, in: from..<range.upperBound, t) {
                        let before = i == range.lowerBound ? 0x20 : t[i - 1]
                        var j = i + needle.count
                        while j < range.upperBound, t[j] == 0x20 { j += 1 }
                        if before == 0x20 || before == 0x09, j < range.upperBound, t[j] == 0x3D {
                            return (l, characterColumn(range.lowerBound, i))
                        }
                        from = i + 1
                    }
                    if l > line, find(nil, [0x3E], in: range, t) != nil { break }
                }
                return nil
            }
        }
    }

    /// The first offset in `range` where `prefix` (if any) followed by `needle` stands.
    private func find(_ prefix: UInt8?, _ needle: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ t: UnsafeBufferPointer<UInt8>) -> Int? {
        let length = needle.count + (prefix == nil ? 0 : 1)
        guard length > 0, range.count >= length else { return nil }
        let first = prefix ?? needle[0]
        let skip = prefix == nil ? 1 : 0
        var i = range.lowerBound
        let last = range.upperBound - length
        while i <= last {
            if t[i] == first {
                var k = skip
                let offset = prefix == nil ? 0 : 1
                while k < needle.count, t[i + offset + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    private func find(_ prefix: UInt8?, _ needle: [UInt8], in range: Range<Int>, _ t: UnsafeBufferPointer<UInt8>) -> Int? {
        needle.withUnsafeBufferPointer { find(prefix, $0, in: range, t) }
    }

    /// Columns count characters, not bytes (å is one column).
    private func characterColumn(_ lineStart: Int, _ offset: Int) -> Int {
        bytes.withUnsafeBufferPointer { t in
            var column = 1
            for i in lineStart..<offset where t[i] & 0xC0 != 0x80 { column += 1 }
            return column
        }
    }
}
