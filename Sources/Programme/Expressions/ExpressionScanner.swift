/// Reads an XPath 1.0 expression token by token to find what it refers to: variables, function
/// calls (with their literal arguments) and bare names. libxml2 checks the syntax; this finds the
/// names, so that an unknown variable or step is a load error instead of a silent `false`.
struct ExpressionScanner {
    struct Reference: Equatable {
        var name: String
        /// 0-based byte offset in the expression.
        var offset: Int
    }

    struct Call: Equatable {
        var name: String
        var offset: Int
        var argumentCount: Int
        /// For each argument, its value when the argument is one string literal.
        var literalArguments: [String?]
    }

    private(set) var variables: [Reference] = []
    private(set) var calls: [Call] = []
    /// Names that XPath reads as element names (`arskurs` where `$arskurs` was meant).
    private(set) var bareNames: [Reference] = []

    private static let operatorNames: Set<String> = ["and", "or", "div", "mod"]
    private static let nodeTypes: Set<String> = ["comment", "text", "processing-instruction", "node"]

    private struct Frame {
        var call: Int?
        var tokensInArgument = 0
        var literal: String?
        var arguments: [String?] = []
    }

    init(_ source: String) {
        // Bytes, not characters: every byte of a non-ASCII letter counts as a name character.
        let chars = Array(source.utf8)
        var i = 0
        var previousEndsOperand = false
        var frames: [Frame] = []
        var pendingCall: Int?

        func isNameStart(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "_") || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c >= 0x80
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isNameChar(_ c: UInt8) -> Bool {
            isNameStart(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || isDigit(c)
        }
        func readName(_ start: Int) -> (String, Int) {
            var j = start
            while j < chars.count, isNameChar(chars[j]) { j += 1 }
            // QName: prefix:local (but not an axis '::').
            if j + 1 < chars.count, chars[j] == UInt8(ascii: ":"), chars[j + 1] != UInt8(ascii: ":"), isNameStart(chars[j + 1]) {
                j += 1
                while j < chars.count, isNameChar(chars[j]) { j += 1 }
            }
            return (String(decoding: chars[start..<j], as: UTF8.self), j)
        }
        func nextNonSpace(_ from: Int) -> Int {
            var j = from
            while j < chars.count, chars[j] == 0x20 || chars[j] == 0x09 || chars[j] == 0x0A || chars[j] == 0x0D { j += 1 }
            return j
        }
        func noteToken(literal: String? = nil) {
            guard !frames.isEmpty else { return }
            frames[frames.count - 1].tokensInArgument += 1
            frames[frames.count - 1].literal = frames[frames.count - 1].tokensInArgument == 1 ? literal : nil
        }
        func closeArgument(_ frame: inout Frame) {
            if frame.tokensInArgument > 0 { frame.arguments.append(frame.literal) }
            frame.tokensInArgument = 0
            frame.literal = nil
        }

        while i < chars.count {
            let c = chars[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                var j = i + 1
                while j < chars.count, chars[j] != c { j += 1 }
                noteToken(literal: String(decoding: chars[(i + 1)..<min(j, chars.count)], as: UTF8.self))
                i = min(j + 1, chars.count)
                previousEndsOperand = true
                continue
            }
            if isDigit(c) || (c == UInt8(ascii: ".") && i + 1 < chars.count && isDigit(chars[i + 1])) {
                var j = i
                while j < chars.count, isDigit(chars[j]) || chars[j] == UInt8(ascii: ".") { j += 1 }
                noteToken()
                i = j
                previousEndsOperand = true
                continue
            }
            if c == UInt8(ascii: "$") {
                let (name, end) = readName(i + 1)
                variables.append(Reference(name: name, offset: i))
                noteToken()
                i = end
                previousEndsOperand = true
                continue
            }
            if isNameStart(c) {
                let (name, end) = readName(i)
                let after = nextNonSpace(end)
                if previousEndsOperand, Self.operatorNames.contains(name) {
                    previousEndsOperand = false
                    i = end
                    continue
                }
                if after < chars.count, chars[after] == UInt8(ascii: "("), !Self.nodeTypes.contains(name) {
                    calls.append(Call(name: name, offset: i, argumentCount: 0, literalArguments: []))
                    pendingCall = calls.count - 1
                    noteToken()
                    i = end
                    previousEndsOperand = false
                    continue
                }
                bareNames.append(Reference(name: name, offset: i))
                noteToken()
                i = end
                previousEndsOperand = true
                continue
            }
            switch Unicode.Scalar(c) {
            case "(":
                frames.append(Frame(call: pendingCall))
                pendingCall = nil
                previousEndsOperand = false
            case ")":
                if var frame = frames.popLast() {
                    closeArgument(&frame)
                    if let call = frame.call {
                        calls[call].argumentCount = frame.arguments.count
                        calls[call].literalArguments = frame.arguments
                    } else {
                        noteToken()
                    }
                }
                previousEndsOperand = true
            case ",":
                if !frames.isEmpty { closeArgument(&frames[frames.count - 1]) }
                previousEndsOperand = false
            case "]":
                previousEndsOperand = true
            case ".":
                bareNames.append(Reference(name: ".", offset: i))
                noteToken()
                if i + 1 < chars.count, chars[i + 1] == UInt8(ascii: ".") { i += 1 }
                previousEndsOperand = true
            case "*":
                if previousEndsOperand {
                    noteToken()
                    previousEndsOperand = false
                } else {
                    bareNames.append(Reference(name: "*", offset: i))
                    noteToken()
                    previousEndsOperand = true
                }
            case "@":
                bareNames.append(Reference(name: "@", offset: i))
                previousEndsOperand = false
            default:
                noteToken()
                previousEndsOperand = false
            }
            i += 1
        }
    }
}
