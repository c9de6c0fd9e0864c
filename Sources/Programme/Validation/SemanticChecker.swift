/// Checks everything that needs more than one element at a time: unique ids, references, cycles,
/// availability, durations, forms, scores, expressions and fidelity criteria.
struct SemanticChecker {
    var sink: DiagnosticSink
    let programme: Programme
    /// Lookups built once: the checks ask for steps, forms and roles by id many times.
    let steps: [String: Step]
    let allSteps: [Step]
    let forms: [String: Form]
    let roles: [String: Role]
    let programmeScope: ExpressionScope
    let syntax = XPathSyntax()
    /// What each distinct expression text of this load compiled to and refers to: many fields
    /// share a `relevant` or `constraint`, and each text is compiled and scanned once.
    var analyses: [String: ExpressionAnalysis] = [:]

    init(programme: Programme, sink: DiagnosticSink) {
        self.programme = programme
        self.sink = sink
        allSteps = programme.steps
        steps = Dictionary(allSteps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        forms = Dictionary(programme.forms.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        roles = Dictionary(programme.roles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        programmeScope = Self.programmeScope(programme)
    }

    mutating func run() {
        checkUniqueIDs()
        checkRolesAndConsents()
        checkPhases()
        checkSteps()
        checkAfterCycles()
        checkForms()
        checkTriggers()
        checkCriteria()
    }

    // MARK: - Ids

    private mutating func unique(_ kindSv: String, _ kindEn: String, _ entries: [(String, SourceLocation)]) {
        var seen: [String: SourceLocation] = [:]
        seen.reserveCapacity(entries.count)
        for (id, location) in entries {
            // One hash per id: insert, and on a duplicate (rare) put the first location back.
            if let first = seen.updateValue(location, forKey: id) {
                seen[id] = first
                sink.error(
                    sink.location(of: "id", in: location),
                    sv: "\(kindSv) '\(id)' finns redan (duplicate id)", en: "duplicate \(kindEn) id '\(id)'",
                    hintSv: "första gången på rad \(first.line); varje id får bara finnas en gång",
                    hintEn: "first defined on line \(first.line); each id may be used only once")
            }
        }
    }

    private mutating func checkUniqueIDs() {
        let p = programme
        unique("rollen", "role", p.roles.map { ($0.id, $0.location) })
        unique("samtyckesområdet", "consent", p.consents.map { ($0.id, $0.location) })
        unique("modulen", "module", p.modules.map { ($0.id, $0.location) })
        unique("vallistan", "choice-list", p.choiceLists.map { ($0.id, $0.location) })
        unique("fasen", "phase", p.phases.map { ($0.id, $0.location) })
        unique("steget", "step", allSteps.map { ($0.id, $0.location) })
        unique("grinden", "gate", p.phases.flatMap(\.gates).map { ($0.id, $0.location) })
        unique("formuläret", "form", p.forms.map { ($0.id, $0.location) })
        unique("utlösaren", "trigger", p.triggers.map { ($0.id, $0.location) })
        unique("kriteriet", "criterion", p.criteria.map { ($0.id, $0.location) })
        for list in p.choiceLists {
            unique("valet", "choice", list.choices.map { ($0.value, $0.location) })
        }
        for form in p.forms {
            var entries: [(String, SourceLocation)] = []
            for item in form.items {
                switch item {
                case .field(let f): entries.append((f.id, f.location))
                case .group(let g):
                    entries.append((g.id, g.location))
                    entries += g.fields.map { ($0.id, $0.location) }
                }
            }
            entries += form.scores.map { ($0.id, $0.location) }
            unique("fältet", "field", entries)
        }
    }

    // MARK: - Roles and consents

    mutating func checkRole(_ id: String, attribute: String, at location: SourceLocation, staffOnly: Bool, owner: LocalizedMessage) {
        guard let role = roles[id] else {
            sink.error(
                sink.location(of: attribute, in: location),
                sv: "\(owner.sv) nämner den okända rollen '\(id)'", en: "\(owner.en) names unknown role '\(id)'",
                hintSv: "kända roller: \(programme.roles.map(\.id).joined(separator: ", "))",
                hintEn: "known roles: \(programme.roles.map(\.id).joined(separator: ", "))")
            return
        }
        if staffOnly, role.kind != .staff {
            sink.error(
                sink.location(of: attribute, in: location),
                sv: "\(owner.sv): rollen '\(id)' är en deltagare, inte personal, och kan inte utföra steg",
                en: "\(owner.en): role '\(id)' is a participant, not staff, and cannot perform steps",
                hintSv: "sätt kind=\"staff\" på rollen eller flytta den till participants",
                hintEn: "give the role kind=\"staff\" or move it to participants")
        }
    }

    private mutating func checkRolesAndConsents() {
        for consent in programme.consents {
            checkRole(consent.from, attribute: "from", at: consent.location, staffOnly: false, owner: LocalizedMessage(sv: "samtycket '\(consent.id)'", en: "consent '\(consent.id)'"))
            checkRole(consent.to, attribute: "to", at: consent.location, staffOnly: false, owner: LocalizedMessage(sv: "samtycket '\(consent.id)'", en: "consent '\(consent.id)'"))
            if consent.from == consent.to {
                sink.warning(
                    consent.location, sv: "samtycket '\(consent.id)' går från '\(consent.from)' till samma roll",
                    en: "consent '\(consent.id)' flows from '\(consent.from)' to the same role")
            }
        }
        for module in programme.modules {
            for function in module.functions where !["1", "2", "3", "4"].contains(function) {
                sink.error(
                    sink.location(of: "functions", in: module.location),
                    sv: "modulen '\(module.id)' nämner funktionen '\(function)'; SRAS-R har funktionerna 1–4",
                    en: "module '\(module.id)' names function '\(function)'; SRAS-R has functions 1 to 4")
            }
        }
    }

    // MARK: - Phases

    private mutating func checkPhases() {
        var sawFollowUp = false
        if programme.phases.allSatisfy(\.isFollowUp), let first = programme.phases.first {
            sink.error(first.location, sv: "programmet har bara uppföljningsfaser", en: "the programme has only follow-up phases")
        }
        for phase in programme.phases {
            if phase.isFollowUp {
                sawFollowUp = true
            } else if sawFollowUp {
                sink.error(
                    phase.location,
                    sv: "fasen '\(phase.id)' kommer efter en uppföljningsfas", en: "phase '\(phase.id)' comes after a follow-up phase",
                    hintSv: "uppföljningsfaser (follow-up=\"true\") kommer efter avslutet och ska stå sist",
                    hintEn: "follow-up phases (follow-up=\"true\") come after closure and must stand last")
            }
            if let min = phase.minDuration, let max = phase.maxDuration, min.approximateDays > max.approximateDays {
                sink.error(
                    sink.location(of: "min", in: phase.location),
                    sv: "fasen '\(phase.id)': min (\(min)) är längre än max (\(max))",
                    en: "phase '\(phase.id)': min (\(min)) is longer than max (\(max))")
            }
            if let d = phase.duration {
                if let min = phase.minDuration, d.approximateDays < min.approximateDays {
                    sink.error(
                        sink.location(of: "duration", in: phase.location),
                        sv: "fasen '\(phase.id)': duration (\(d)) är kortare än min (\(min))",
                        en: "phase '\(phase.id)': duration (\(d)) is shorter than min (\(min))")
                }
                if let max = phase.maxDuration, d.approximateDays > max.approximateDays {
                    sink.error(
                        sink.location(of: "duration", in: phase.location),
                        sv: "fasen '\(phase.id)': duration (\(d)) är längre än max (\(max))",
                        en: "phase '\(phase.id)': duration (\(d)) is longer than max (\(max))")
                }
            }
            for gate in phase.gates {
                checkExpression(gate.test, scope: programmeScope, owner: LocalizedMessage(sv: "grinden '\(gate.id)'", en: "gate '\(gate.id)'"))
            }
        }
    }

    // MARK: - Scopes

    /// `$form.field` for every field and score of every form.
    static func programmeScope(_ programme: Programme) -> ExpressionScope {
        var names: Set<String> = []
        // Sized once: growing the set rehashes every name already in it.
        names.reserveCapacity(programme.forms.reduce(0) { $0 + $1.items.count + $1.scores.count })
        for form in programme.forms {
            // By index: `for item in` would copy every field (and retain each of its strings)
            // only to read its id.
            for i in form.items.indices { names.insert(form.id + "." + form.items[i].id) }
            for score in form.scores { names.insert(form.id + "." + score.id) }
        }
        return ExpressionScope(kind: .programme, variables: names)
    }
}
