/// Small string helpers, so that the Programme module needs no Foundation (whose ICU module clashes
/// with the ICU headers libxml2 includes).
extension String {
    /// The string without leading and trailing white space.
    public var trimmingWhitespace: String {
        // Most values have none: a printable ASCII byte at each end can neither be nor begin white space.
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// The text between the first `start` and the next `end` after it.
    func between(_ start: String, _ end: String) -> String? {
        guard let a = firstRange(of: start) else { return nil }
        guard let b = self[a.upperBound...].firstRange(of: end) else { return nil }
        return String(self[a.upperBound..<b.lowerBound])
    }

    func replacing(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: .max)
    }
}
