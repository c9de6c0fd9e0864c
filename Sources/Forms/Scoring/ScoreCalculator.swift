/// Computes scores: sum, mean, min, max and count over fields or other scores; bands; and the
/// highest-subscale profile with a tie tolerance (as the SRAS-R rule needs).
public enum ScoreCalculator {
    /// `inputs` are the values of the score's `of` ids, nil where unanswered or not computable.
    public static func compute(_ score: Score, inputs: [AnswerValue?]) -> ScoreResult {
        switch score.method {
        case .count:
            let counted = inputs.compactMap { $0 }.filter { value in
                guard let target = score.countValue else { return !value.isEmpty }
                switch value {
                case .text(let s): return s == target
                case .list(let l): return l.contains(target)
                case .bool(let b): return (b ? "true" : "false") == target
                case .number(let n): return Double(target.replacing(",", with: ".")) == n
                case .rows: return false
                }
            }.count
            return banded(score, Double(counted))
        case .sum, .mean, .min, .max, .highest:
            let numbers = inputs.map { $0?.numericValue }
            let answered = numbers.compactMap { $0 }
            let needed = score.minAnswered ?? score.of.count
            guard answered.count >= max(needed, 1) else { return ScoreResult() }
            switch score.method {
            case .sum: return banded(score, answered.reduce(0, +))
            case .mean: return banded(score, answered.reduce(0, +) / Double(answered.count))
            case .min: return banded(score, answered.min()!)
            case .max: return banded(score, answered.max()!)
            case .highest:
                let top = answered.max()!
                let tolerance = score.tolerance ?? 0
                let profile = zip(score.of, numbers).compactMap { id, n -> String? in
                    guard let n else { return nil }
                    return n >= top - tolerance - 1e-9 ? id : nil
                }
                return ScoreResult(profile: profile)
            case .count: preconditionFailure("count is handled above")
            }
        }
    }

    private static func banded(_ score: Score, _ value: Double) -> ScoreResult {
        let band = score.bands.first { band in
            (band.min.map { value >= $0 - 1e-9 } ?? true) && (band.max.map { value <= $0 + 1e-9 } ?? true)
        }
        return ScoreResult(value: value, band: band)
    }
}
