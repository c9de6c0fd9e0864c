/// Criteria that need more than one case: caseload (how many active cases each therapist carries)
/// and reach (how many referred cases got started). Each is still an outcome per case, so the
/// report counts, suppresses and explains them like any other criterion, and no therapist's own
/// figure appears anywhere.
extension FidelityAggregate {
    /// Replaces the placeholder outcomes of report-level criteria in `outcomes` (one dictionary per
    /// case of `cases`, in order). `all` is every case in the store: a therapist's caseload counts
    /// cases outside the report's filter (another school) too.
    static func applyReportLevel(
        _ criteria: [Criterion], cases: [ReportCase], all: [ReportCase], asOf: Day, outcomes: inout [[String: CriterionOutcome]]
    ) {
        for c in criteria {
            switch c.kind {
            case .caseload:
                let role = c.role ?? ""
                let load = activeCases(all, role: role, asOf: asOf)
                let limit = Int(c.max ?? 5)
                for (i, rc) in cases.enumerated() {
                    outcomes[i][c.id] = caseload(c.id, rc.state, role: role, load: load, limit: limit, asOf: asOf)
                }
            case .reach:
                for (i, rc) in cases.enumerated() { outcomes[i][c.id] = reach(c.id, rc.state, asOf: asOf) }
            default:
                continue
            }
        }
    }

    /// Whether the case is on someone's caseload on `asOf`: opened by then and not closed by then.
    /// A paused case keeps its therapists and counts.
    static func isActive(_ state: CaseState, asOf: Day) -> Bool {
        guard state.opened.on <= asOf else { return false }
        if case .closed(let on, _) = state.status, on <= asOf { return false }
        return true
    }

    /// Active cases per person in `role` on `asOf`.
    static func activeCases(_ all: [ReportCase], role: String, asOf: Day) -> [String: Int] {
        var load: [String: Int] = [:]
        for rc in all where isActive(rc.state, asOf: asOf) {
            for person in Set(rc.state.staff[role] ?? []) { load[person, default: 0] += 1 }
        }
        return load
    }

    /// An active case complies when every therapist in `role` carries at most `limit` active cases
    /// (this one included). Closed cases and cases without anyone in the role are not assessable.
    static func caseload(_ id: String, _ state: CaseState, role: String, load: [String: Int], limit: Int, asOf: Day) -> CriterionOutcome {
        guard isActive(state, asOf: asOf) else { return .none(id, FidelityReasons.notActive) }
        let people = Set(state.staff[role] ?? [])
        guard !people.isEmpty else { return .none(id, FidelityReasons.noneInRole) }
        return .met(id, people.allSatisfy { (load[$0] ?? 0) <= limit })
    }

    /// A referred case is reached (started) once it has left its first phase.
    static func reach(_ id: String, _ state: CaseState, asOf: Day) -> CriterionOutcome {
        .met(id, state.phases.contains { $0.entered <= asOf && $0.phase != state.phases.first?.phase })
    }
}
