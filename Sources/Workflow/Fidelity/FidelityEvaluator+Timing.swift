/// For `narvaro debug time-criteria`: how long each criterion takes over a set of cases, to find
/// where a report's time goes. Not used by the report itself.
public enum FidelityTiming {
    /// Calls `measure` around each criterion's evaluation of `state`, in the programme's order.
    public static func eachCriterion(
        _ state: CaseState, programme: Programme, index: FidelityIndex, asOf: Day, evaluator: XPathEvaluator,
        attendance: AttendanceHistory? = nil, team: TeamLog? = nil, measure: (String, () -> CriterionOutcome) -> Void
    ) {
        let facts = CaseFacts(state: state, programme: programme, index: index, asOf: asOf, evaluator: evaluator, attendance: attendance, team: team)
        for criterion in index.criteria { measure("\(criterion.id) \(criterion.kind.rawValue)") { facts.outcome(criterion) } }
    }
}
