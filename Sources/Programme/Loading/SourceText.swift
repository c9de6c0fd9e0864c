/// The raw lines of a file, used to find the column of an element or attribute that libxml2 gives
/// only a line for.
struct SourceText: Sendable {
    private let lines: [[UInt8]]

    init(_ bytes: [UInt8]) {
        lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }

    /// Column (1-based) of `<name` on `line`, or 0.
    func column(ofElement name: String, line: Int) -> Int {
        guard let text = lineBytes(line) else { return 0 }
        let needle = Array("<\(name)".utf8)
        var start = 0
        while let i = firstIndex(of: needle, in: text, from: start) {
            let after = i + needle.count
            if after >= text.count || [UInt8(ascii: " "), UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(text[after]) {
                return characterColumn(text, byteOffset: i)
            }
            start = i + 1
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
        for l in 1...max(1, lines.count) where lineContains(text, line: l) { return l }
        return nil
    }

    /// Line and column of `name="` in the start tag that begins on `line`; falls back to the element.
    func location(ofAttribute name: String, elementLine line: Int) -> (line: Int, column: Int)? {
        let needle = Array(name.utf8)
        // A start tag may span a few lines; look at most ten lines down.
        for l in line..<(line + 10) {
            guard let text = lineBytes(l) else { break }
            var start = 0
            while let i = firstIndex(of: needle, in: text, from: start) {
                let before = i == 0 ? UInt8(ascii: " ") : text[i - 1]
                var j = i + needle.count
                while j < text.count, text[j] == UInt8(ascii: " ") { j += 1 }
                if [UInt8(ascii: " "), UInt8(ascii: "\t")].contains(before), j < text.count, text[j] == UInt8(ascii: "=") {
                    return (l, characterColumn(text, byteOffset: i))
                }
                start = i + 1
            }
            if text.contains(UInt8(ascii: ">")), l > line { break }
        }
        return nil
    }

    func lineBytesPublic(_ line: Int) -> [UInt8]? { lineBytes(line) }

    private func lineBytes(_ line: Int) -> [UInt8]? {
        guard line >= 1, line <= lines.count else { return nil }
        return lines[line - 1]
    }

    private func firstIndex(of needle: [UInt8], in text: [UInt8], from start: Int) -> Int? {
        guard needle.count <= text.count, start <= text.count - needle.count else { return nil }
        var i = start
        while i <= text.count - needle.count {
            if text[i] == needle[0], Array(text[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// Columns count characters, not bytes (å is one column).
    private func characterColumn(_ text: [UInt8], byteOffset: Int) -> Int {
        var column = 1
        for b in text[..<byteOffset] where b & 0xC0 != 0x80 { column += 1 }
        return column
    }
}

extension SourceText {
    /// Whether `line` contains `text`.
    func lineContains(_ text: String, line: Int) -> Bool {
        guard let bytes = lineBytesPublic(line) else { return false }
        let needle = Array(text.utf8)
        guard needle.count <= bytes.count else { return false }
        for i in 0...(bytes.count - needle.count) where Array(bytes[i..<(i + needle.count)]) == needle { return true }
        return false
    }
}
