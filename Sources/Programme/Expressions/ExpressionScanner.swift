/// Reads an XPath 1.0 expression token by token to find what it refers to: variables, function
/// calls (with their literal arguments) and bare names. libxml2 checks the syntax; this finds the
/// names, so that an unknown variable or step is a load error instead of a silent `false`.
struct ExpressionScanner {
    struct Reference: Equatable {
        var name: String
        /// 0-based character offset in the expression.
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
        let chars = Array(source.unicodeScalars)
        var i = 0
        var previousEndsOperand = false
        var frames: [Frame] = []
        var pendingCall: Int?

        func isNameStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || c.properties.isAlphabetic
        }
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            isNameStart(c) || c == "-" || c == "." || ("0"..."9").contains(c) || c.properties.generalCategory == .nonspacingMark
        }
        func readName(_ start: Int) -> (String, Int) {
            var j = start
            while j < chars.count, isNameChar(chars[j]) { j += 1 }
            // QName: prefix:local (but not an axis '::').
            if j + 1 < chars.count, chars[j] == ":", chars[j + 1] != ":", isNameStart(chars[j + 1]) {
                j += 1
                while j < chars.count, isNameChar(chars[j]) { j += 1 }
            }
            var s = ""
            s.unicodeScalars.append(contentsOf: chars[start..<j])
            return (s, j)
        }
        func nextNonSpace(_ from: Int) -> Int {
            var j = from
            while j < chars.count, chars[j] == " " || chars[j] == "\t" || chars[j] == "\n" || chars[j] == "\r" { j += 1 }
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
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c == "'" || c == "\"" {
                var j = i + 1
                while j < chars.count, chars[j] != c { j += 1 }
                var s = ""
                s.unicodeScalars.append(contentsOf: chars[(i + 1)..<min(j, chars.count)])
                noteToken(literal: s)
                i = min(j + 1, chars.count)
                previousEndsOperand = true
                continue
            }
            if ("0"..."9").contains(c) || (c == "." && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])) {
                var j = i
                while j < chars.count, ("0"..."9").contains(chars[j]) || chars[j] == "." { j += 1 }
                noteToken()
                i = j
                previousEndsOperand = true
                continue
            }
            if c == "$" {
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
                if after < chars.count, chars[after] == "(", !Self.nodeTypes.contains(name) {
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
            switch c {
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
                if i + 1 < chars.count, chars[i + 1] == "." { i += 1 }
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
