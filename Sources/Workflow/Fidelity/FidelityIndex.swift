/// A programme's steps as the fidelity criteria look them up, worked out once per programme
/// version: the report evaluates thousands of cases against the same few versions, and finding a
/// step by id (or a step's phase) in the programme itself is a search and a copy each time.
public final class FidelityIndex: Sendable {
    /// What the criteria read of one step.
    final class StepInfo: Sendable {
        /// The step's place among all the programme's steps (in `FidelityIndex.steps`).
        let index: Int
        let id: String
        let phase: String
        let phaseIsFollowUp: Bool
        let requirement: Step.Requirement
        let isSession: Bool
        let due: DueWindow?
        let recurrence: Recurrence?
        let consents: [String]
        /// The ids of the checklist items the manual requires.
        let requiredChecklist: [String]

        init(_ step: Step, in phase: Phase, index: Int) {
            self.index = index
            id = step.id
            self.phase = phase.id
            phaseIsFollowUp = phase.isFollowUp
            requirement = step.requirement
            isSession = step.isSession
            due = step.due
            recurrence = step.recurrence
            consents = step.consents
            requiredChecklist = Array(Set(step.checklist.filter(\.isRequired).compactMap(\.id)))
        }
    }

    /// Every step, in programme order.
    let steps: [StepInfo]
    let stepsByID: [String: StepInfo]
    /// Each phase's steps, in order, by phase id.
    let stepsByPhase: [String: [StepInfo]]
    /// The steps that need consent, in programme order.
    let consentSteps: [StepInfo]

    public init(_ programme: Programme) {
        var byID: [String: StepInfo] = [:]
        var byPhase: [String: [StepInfo]] = [:]
        var consentSteps: [StepInfo] = []
        var all: [StepInfo] = []
        for phase in programme.phases {
            var steps: [StepInfo] = []
            for step in phase.steps {
                let info = StepInfo(step, in: phase, index: all.count)
                all.append(info)
                if byID[step.id] == nil { byID[step.id] = info }
                if !info.consents.isEmpty { consentSteps.append(info) }
                steps.append(info)
            }
            if byPhase[phase.id] == nil { byPhase[phase.id] = steps }
        }
        self.steps = all
        stepsByID = byID
        stepsByPhase = byPhase
        self.consentSteps = consentSteps
    }

    /// The steps a criterion names: its step, or else every step of its phase.
    func steps(of criterion: Criterion) -> [StepInfo] {
        if let step = criterion.step { return stepsByID[step].map { [$0] } ?? [] }
        if let phase = criterion.phase { return stepsByPhase[phase] ?? [] }
        return []
    }
}
