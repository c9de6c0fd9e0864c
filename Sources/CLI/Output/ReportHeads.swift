import Foundation
import Store

/// The chain heads a management report names (its integrity section), read back from any of its
/// formats: each case code, or the team log, paired with the first SHA-256 that follows it.
struct ReportHeads {
    /// The file the heads were read from.
    var path: String
    /// The chains the report names, with their hashes.
    var heads: [(chain: String, hash: String)]
    /// The chains it names without a readable hash after them (a damaged or edited report).
    var unreadable: [String]

    static func extract(_ text: String) -> (heads: [(chain: String, hash: String)], unreadable: [String]) {
        enum Token { case chain(String), hash(String) }
        var tokens: [(offset: String.Index, token: Token)] = []
        for match in text.matches(of: /[A-Z0-9]{1,4}-[0-9]{4}-[0-9]{4,}/) {
            tokens.append((match.range.lowerBound, .chain(String(match.output))))
        }
        for match in text.matches(of: /(?i:teamloggen|the team log)/) {
            tokens.append((match.range.lowerBound, .chain(CaseStore.teamChain)))
        }
        for match in text.matches(of: /\b[0-9a-f]{64}\b/) {
            tokens.append((match.range.lowerBound, .hash(String(match.output))))
        }
        var pairs: [(chain: String, hash: String)] = []
        var unreadable: [String] = []
        var seen: Set<String> = []
        var pending: String?
        for (_, token) in tokens.sorted(by: { $0.offset < $1.offset }) {
            switch token {
            case .chain(let chain):
                if let previous = pending, !seen.contains(previous), !unreadable.contains(previous) { unreadable.append(previous) }
                pending = chain
            case .hash(let hash):
                // A hash with no chain just before it is a programme version's.
                if let chain = pending, seen.insert(chain).inserted { pairs.append((chain, hash)) }
                pending = nil
            }
        }
        if let last = pending, !seen.contains(last), !unreadable.contains(last) { unreadable.append(last) }
        return (pairs, unreadable.filter { !seen.contains($0) })
    }
}
