/// Criteria that need more than one case: caseload (how many active cases each therapist carries)
/// and reach (how many referred cases got started). Each is still an outcome per case, so the
/// report counts, suppresses and explains them like any other criterion, and no therapist's own
/// figure appears anywhere.
extension FidelityAggregate {
    /// Whether the case is on someone's caseload on `asOf`: opened by then and not closed by then.
    /// A paused case keeps its therapists and counts.
    static func isActive(_ state: CaseState, asOf: Day) -> Bool {
        guard state.opened.on <= asOf else { return false }
        if case .closed(let on, _) = state.status, on <= asOf { return false }
        return true
    }

    /// An active case complies when every therapist in the role carries at most `limit` active cases
    /// (this one included; `load` counts every active case per person). Closed cases and cases
    /// without anyone in the role are not assessable.
    static func caseload(_ id: String, active: Bool, people: Set<String>, load: [String: Int], limit: Int) -> CriterionOutcome {
        guard active else { return .none(id, FidelityReasons.notActive) }
        guard !people.isEmpty else { return .none(id, FidelityReasons.noneInRole) }
        return .met(id, people.allSatisfy { (load[$0] ?? 0) <= limit })
    }

    /// A referred case is reached (started) once it has left its first phase.
    static func reach(_ id: String, _ state: CaseState, asOf: Day) -> CriterionOutcome {
        .met(id, state.phases.contains { $0.entered <= asOf && $0.phase != state.phases.first?.phase })
    }
}
