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
        /// The place of the step's phase in `FidelityIndex.phases`.
        let phaseIndex: Int
        let phaseIsFollowUp: Bool
        let requirement: Step.Requirement
        let isSession: Bool
        let due: DueWindow?
        let recurrence: Recurrence?
        let consents: [String]
        /// The ids of the checklist items the manual requires.
        let requiredChecklist: [String]

        init(_ step: Step, in phase: Phase, at phaseIndex: Int, index: Int) {
            self.index = index
            self.phaseIndex = phaseIndex
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

    /// What the criteria read of a criterion: in a class, so that evaluating one for a case does not
    /// copy it (a `Criterion` has a dozen texts and lists to retain and release each time).
    final class CriterionInfo: Sendable {
        let id: String
        let kind: Criterion.Kind
        let phase: String?
        let step: String?
        let steps: [String]
        let before: String?
        let form: String?
        let field: String?
        let role: String?
        let roles: [String]
        let place: String?
        let min: Double?
        let max: Double?
        let from: ISODuration?
        let to: ISODuration?
        let per: ISODuration?
        let maxGap: ISODuration?

        init(_ c: Criterion) {
            id = c.id
            kind = c.kind
            phase = c.phase
            step = c.step
            steps = c.steps
            before = c.before
            form = c.form
            field = c.field
            role = c.role
            roles = c.roles
            place = c.place
            min = c.min
            max = c.max
            from = c.from
            to = c.to
            per = c.per
            maxGap = c.maxGap
        }
    }

    /// Every step, in programme order.
    let steps: [StepInfo]
    /// Every criterion, in programme order.
    let criteria: [CriterionInfo]
    let stepsByID: [String: StepInfo]
    /// Each phase's steps, in order, by phase id.
    let stepsByPhase: [String: [StepInfo]]
    /// The steps that need consent, in programme order.
    let consentSteps: [StepInfo]
    /// The phases in programme order, each with its steps.
    let phases: [(id: String, isFollowUp: Bool, steps: [StepInfo])]

    public init(_ programme: Programme) {
        var byID: [String: StepInfo] = [:]
        var byPhase: [String: [StepInfo]] = [:]
        var consentSteps: [StepInfo] = []
        var all: [StepInfo] = []
        var phases: [(id: String, isFollowUp: Bool, steps: [StepInfo])] = []
        for phase in programme.phases {
            var steps: [StepInfo] = []
            for step in phase.steps {
                let info = StepInfo(step, in: phase, at: phases.count, index: all.count)
                all.append(info)
                if byID[step.id] == nil { byID[step.id] = info }
                if !info.consents.isEmpty { consentSteps.append(info) }
                steps.append(info)
            }
            if byPhase[phase.id] == nil { byPhase[phase.id] = steps }
            phases.append((phase.id, phase.isFollowUp, steps))
        }
        self.phases = phases
        self.steps = all
        criteria = programme.criteria.map(CriterionInfo.init)
        stepsByID = byID
        stepsByPhase = byPhase
        self.consentSteps = consentSteps
    }

    /// The steps a criterion names: its step, or else every step of its phase.
    func steps(of criterion: CriterionInfo) -> [StepInfo] {
        if let step = criterion.step { return stepsByID[step].map { [$0] } ?? [] }
        if let phase = criterion.phase { return stepsByPhase[phase] ?? [] }
        return []
    }
}
