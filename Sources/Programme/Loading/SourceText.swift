/// The raw bytes of a file by line, used to find the column of an element or attribute that libxml2
/// gives only a line for.
struct SourceText: Sendable {
    private let bytes: [UInt8]
    /// Where each line starts in `bytes`.
    private let starts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
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
        let needle = Array("<\(name)".utf8)
        var from = range.lowerBound
        while let i = find(needle, in: from..<range.upperBound) {
            let after = i + needle.count
            if after >= range.upperBound || [0x20, 0x3E, 0x2F, 0x09, 0x0D].contains(bytes[after]) {
                return characterColumn(range.lowerBound, i)
            }
            from = i + 1
        }
        return 0
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
        return find(Array(text.utf8), in: range) != nil
    }

    /// Line and column of `name=` in the start tag that begins on `line`.
    func location(ofAttribute name: String, elementLine line: Int) -> (line: Int, column: Int)? {
        let needle = Array(name.utf8)
        // A start tag may span a few lines; look at most ten lines down.
        for l in line..<(line + 10) {
            guard let range = range(l) else { break }
            var from = range.lowerBound
            while let i = find(needle, in: from..<range.upperBound) {
                let before = i == range.lowerBound ? 0x20 : bytes[i - 1]
                var j = i + needle.count
                while j < range.upperBound, bytes[j] == 0x20 { j += 1 }
                if before == 0x20 || before == 0x09, j < range.upperBound, bytes[j] == 0x3D {
                    return (l, characterColumn(range.lowerBound, i))
                }
                from = i + 1
            }
            if l > line, find([0x3E], in: range) != nil { break }
        }
        return nil
    }

    private func find(_ needle: [UInt8], in range: Range<Int>) -> Int? {
        guard !needle.isEmpty, range.count >= needle.count else { return nil }
        return bytes.withUnsafeBufferPointer { t in
            needle.withUnsafeBufferPointer { n in
                var i = range.lowerBound
                let last = range.upperBound - n.count
                while i <= last {
                    if t[i] == n[0] {
                        var k = 1
                        while k < n.count, t[i + k] == n[k] { k += 1 }
                        if k == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }

    /// Columns count characters, not bytes (å is one column).
    private func characterColumn(_ lineStart: Int, _ offset: Int) -> Int {
        var column = 1
        for b in bytes[lineStart..<offset] where b & 0xC0 != 0x80 { column += 1 }
        return column
    }
}
