/// Checks of fidelity criteria: each kind's parameters, and that what they name exists.
extension SemanticChecker {
    /// The parameters each kind needs. `stepOrPhase` means one of the two.
    private enum Parameter: String {
        case phase, step, steps, before, form, field, role, roles, place, min, max, from, to, per
        case maxGap = "max-gap"
        case stepOrPhase = "step or phase"
    }

    private static let required: [Criterion.Kind: [Parameter]] = [
        .coverage: [.phase], .sequence: [.step, .before], .phaseDuration: [.phase, .from, .to],
        .timeliness: [.stepOrPhase], .formBefore: [.form, .before], .moduleMatch: [.form, .field],
        .participation: [.step, .roles], .place: [.stepOrPhase, .place, .min], .dosage: [.step, .min],
        .contactMinutes: [.phase, .min], .cadence: [.step, .maxGap], .checklist: [.stepOrPhase],
        .formCompleteness: [.form], .responsiveness: [.stepOrPhase], .rating: [.form, .field, .min],
        .deviations: [], .completedBeforeClosure: [.steps], .gateEvidence: [.phase], .attendanceData: [.per],
        .staffing: [.role, .min], .caseload: [.role, .max], .teamMeeting: [.per], .supervision: [.role, .per],
        .reach: [], .consent: [],
    ]

    mutating func checkCriteria() {
        for criterion in programme.criteria {
            checkCriterion(criterion)
        }
    }

    private func has(_ c: Criterion, _ p: Parameter) -> Bool {
        switch p {
        case .phase: c.phase != nil
        case .step: c.step != nil
        case .steps: !c.steps.isEmpty
        case .before: c.before != nil
        case .form: c.form != nil
        case .field: c.field != nil
        case .role: c.role != nil
        case .roles: !c.roles.isEmpty
        case .place: c.place != nil
        case .min: c.min != nil
        case .max: c.max != nil
        case .from: c.from != nil
        case .to: c.to != nil
        case .per: c.per != nil
        case .maxGap: c.maxGap != nil
        case .stepOrPhase: c.step != nil || c.phase != nil
        }
    }

    private mutating func checkCriterion(_ c: Criterion) {
        let owner = "kriteriet '\(c.id)'"
        let ownerEn = "criterion '\(c.id)'"
        for parameter in Self.required[c.kind] ?? [] where !has(c, parameter) {
            sink.error(
                c.location,
                sv: "\(owner) av slaget \(c.kind.rawValue) saknar \(parameter.rawValue)",
                en: "\(ownerEn) of kind \(c.kind.rawValue) is missing \(parameter.rawValue)",
                hintSv: "se docs/programme-format.md, avsnittet om trohetskriterier",
                hintEn: "see docs/programme-format.md, the section on fidelity criteria")
        }
        if let phase = c.phase, programme.phase(phase) == nil {
            sink.error(
                sink.location(of: "phase", in: c.location),
                sv: "\(owner) nämner den okända fasen '\(phase)'", en: "\(ownerEn) names unknown phase '\(phase)'")
        }
        for step in [c.step].compactMap({ $0 }) + c.steps where steps[step] == nil {
            sink.error(
                sink.location(of: c.step == step ? "step" : "steps", in: c.location),
                sv: "\(owner) nämner det okända steget '\(step)'", en: "\(ownerEn) names unknown step '\(step)'",
                hintSv: suggestion(step, among: allSteps.map(\.id)).map { "menade du '\($0)'?" },
                hintEn: suggestion(step, among: allSteps.map(\.id)).map { "did you mean '\($0)'?" })
        }
        if let before = c.before {
            let known = c.kind == .formBefore ? programme.phase(before) != nil
                : steps[before] != nil || programme.phase(before) != nil
            if !known {
                sink.error(
                    sink.location(of: "before", in: c.location),
                    sv: "\(owner): before nämner det okända \(c.kind == .formBefore ? "fasen" : "steget eller fasen") '\(before)'",
                    en: "\(ownerEn): before names unknown \(c.kind == .formBefore ? "phase" : "step or phase") '\(before)'")
            }
        }
        if let formID = c.form {
            if let form = forms[formID] {
                if let field = c.field, form.field(field) == nil, !form.scores.contains(where: { $0.id == field }) {
                    sink.error(
                        sink.location(of: "field", in: c.location),
                        sv: "\(owner) nämner fältet '\(field)', som inte finns i formuläret '\(formID)'",
                        en: "\(ownerEn) names field '\(field)', which is not in form '\(formID)'")
                }
            } else {
                sink.error(
                    sink.location(of: "form", in: c.location),
                    sv: "\(owner) nämner det okända formuläret '\(formID)'", en: "\(ownerEn) names unknown form '\(formID)'")
            }
        } else if c.field != nil {
            sink.error(
                sink.location(of: "field", in: c.location),
                sv: "\(owner): field kräver form", en: "\(ownerEn): field needs form")
        }
        for role in [c.role].compactMap({ $0 }) + c.roles where programme.role(role) == nil {
            sink.error(
                sink.location(of: c.role == role ? "role" : "roles", in: c.location),
                sv: "\(owner) nämner den okända rollen '\(role)'", en: "\(ownerEn) names unknown role '\(role)'")
        }
        if let from = c.from, let to = c.to, from.approximateDays > to.approximateDays {
            sink.error(
                sink.location(of: "from", in: c.location),
                sv: "\(owner): from (\(from)) är längre än to (\(to))", en: "\(ownerEn): from (\(from)) is longer than to (\(to))")
        }
        if let min = c.min, let max = c.max, min > max {
            sink.error(
                sink.location(of: "min", in: c.location),
                sv: "\(owner): min är större än max", en: "\(ownerEn): min is greater than max")
        }
        if c.weight < 0 {
            sink.error(
                sink.location(of: "weight", in: c.location),
                sv: "\(owner): vikten kan inte vara negativ", en: "\(ownerEn): the weight cannot be negative")
        }
    }
}
