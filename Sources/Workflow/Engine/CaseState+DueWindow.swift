/// Due windows on a case's calendar: the agenda (what is due now) and the fidelity criteria (was it
/// on time) both read them from here.
extension CaseState {
    /// The day a due window is counted from, or nil while that has not happened (a step not yet
    /// done, a case not yet closed). `phaseStart` is the day the step's phase was entered.
    func anchorDay(of due: DueWindow, phaseStart: Day?) -> Day? {
        switch due.anchor {
        case .phaseStart, .previous: return phaseStart
        case .caseStart: return opened.on
        case .step: return due.step.flatMap { completions[$0]?.first?.on }
        case .caseClosed:
            if case .closed(let on, _) = status { return on }
            return nil
        }
    }

    /// `anchor` plus `window`, moved later by the days the case was paused in between (moving it may
    /// take in more paused days, so this repeats until it settles).
    func shifted(_ anchor: Day, by window: ISODuration) -> Day {
        let unshifted = anchor.adding(window)
        var day = unshifted
        for _ in 0..<8 {
            let next = unshifted + pausedDays(from: anchor, to: day)
            if next == day { break }
            day = next
        }
        return day
    }
}
