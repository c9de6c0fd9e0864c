/// Building each element of the model from its XML node.
extension ProgrammeBuilder {
    mutating func role(_ node: XMLNode) -> Role {
        Role(
            id: node.attribute("id") ?? "", kind: Role.Kind(rawValue: node.attribute("kind") ?? "") ?? .staff,
            title: requiredText(node, "title"), description: optionalText(node, "description"),
            location: sink.location(of: node))
    }

    mutating func consent(_ node: XMLNode) -> ConsentScope {
        ConsentScope(
            id: node.attribute("id") ?? "", from: node.attribute("from") ?? "", to: node.attribute("to") ?? "",
            title: requiredText(node, "title"), information: requiredText(node, "information"),
            purpose: requiredText(node, "purpose"), validFor: duration(node, "valid-for"),
            location: sink.location(of: node))
    }

    mutating func module(_ node: XMLNode) -> TreatmentModule {
        TreatmentModule(
            id: node.attribute("id") ?? "", title: requiredText(node, "title"),
            description: optionalText(node, "description"), functions: list(node, "functions"),
            factors: list(node, "factors"), location: sink.location(of: node))
    }

    mutating func choiceList(_ node: XMLNode) -> ChoiceList {
        ChoiceList(id: node.attribute("id") ?? "", choices: node.elements("choice").map { choice($0) }, location: sink.location(of: node))
    }

    mutating func choice(_ node: XMLNode) -> Choice {
        Choice(value: node.attribute("value") ?? "", label: requiredText(node, "label"), location: sink.location(of: node))
    }

    mutating func trigger(_ node: XMLNode) -> Trigger {
        let location = sink.location(of: node)
        return Trigger(
            id: node.attribute("id") ?? "", window: duration(node, "window") ?? ISODuration(),
            test: expression(node, "test") ?? Expression("", at: location), title: requiredText(node, "title"),
            description: optionalText(node, "description"), location: location)
    }

    mutating func phase(_ node: XMLNode) -> Phase {
        let location = sink.location(of: node)
        return Phase(
            id: node.attribute("id") ?? "", title: requiredText(node, "title"), purpose: optionalText(node, "purpose"),
            duration: duration(node, "duration"), minDuration: duration(node, "min"), maxDuration: duration(node, "max"),
            isFollowUp: bool(node, "follow-up", default: false),
            steps: node.elements("step").map { step($0) },
            gates: node.elements("gate").map { gate($0) },
            location: location)
    }

    mutating func gate(_ node: XMLNode) -> Gate {
        let location = sink.location(of: node)
        return Gate(
            id: node.attribute("id") ?? "", test: expression(node, "test") ?? Expression("", at: location),
            message: requiredText(node, "message"), location: location)
    }

    mutating func items(_ node: XMLNode?) -> [ChecklistItem] {
        guard let node else { return [] }
        return node.elements("item").map { item in
            ChecklistItem(
                id: item.attribute("id"), text: requiredText(item, "text"),
                isRequired: bool(item, "required", default: true), location: sink.location(of: item))
        }
    }

    mutating func step(_ node: XMLNode) -> Step {
        let location = sink.location(of: node)
        let due = node.element("due").map { due -> DueWindow in
            DueWindow(
                anchor: DueWindow.Anchor(rawValue: due.attribute("anchor") ?? "") ?? .phaseStart,
                step: due.attribute("step"), from: duration(due, "from"),
                to: duration(due, "to") ?? ISODuration(), location: sink.location(of: due))
        }
        let recurrence = node.element("repeat").map { repeatNode -> Recurrence in
            Recurrence(
                every: duration(repeatNode, "every") ?? ISODuration(), min: int(repeatNode, "min"),
                max: int(repeatNode, "max"), whileCondition: expression(repeatNode, "while"),
                location: sink.location(of: repeatNode))
        }
        return Step(
            id: node.attribute("id") ?? "", title: requiredText(node, "title"), purpose: optionalText(node, "purpose"),
            agenda: items(node.element("agenda")),
            requirement: Step.Requirement(rawValue: node.attribute("requirement") ?? "required") ?? .required,
            condition: expression(node, "condition"), after: list(node, "after"),
            performedBy: list(node, "performed-by"), participants: list(node, "participants"),
            module: node.attribute("module"),
            domain: SecrecyDomain(rawValue: node.attribute("domain") ?? "") ?? .skola,
            consents: list(node, "consent"), isSession: bool(node, "session", default: true),
            due: due, recurrence: recurrence,
            forms: node.elements("form").compactMap { $0.attribute("ref") },
            checklist: items(node.element("checklist")),
            location: location)
    }

    mutating func form(_ node: XMLNode) -> Form {
        var formItems: [FormItem] = []
        for child in node.children {
            switch child.name {
            case "field": formItems.append(.field(field(child)))
            case "group": formItems.append(.group(group(child)))
            default: break
            }
        }
        return Form(
            id: node.attribute("id") ?? "", domain: SecrecyDomain(rawValue: node.attribute("domain") ?? "") ?? .skola,
            licensedItems: bool(node, "licensed-items", default: false), title: requiredText(node, "title"),
            description: optionalText(node, "description"), items: formItems,
            scores: node.elements("score").map { score($0) }, location: sink.location(of: node))
    }

    mutating func field(_ node: XMLNode) -> Field {
        Field(
            id: node.attribute("id") ?? "", type: Field.Kind(rawValue: node.attribute("type") ?? "") ?? .text,
            label: requiredText(node, "label"), hint: optionalText(node, "hint"),
            constraintMessage: optionalText(node, "constraint-message"),
            isRequired: bool(node, "required", default: false), requiredWhen: expression(node, "required-when"),
            relevant: expression(node, "relevant"), constraint: expression(node, "constraint"),
            calculate: expression(node, "calculate"), defaultValue: node.attribute("default"),
            min: node.attribute("min"), max: node.attribute("max"), pattern: node.attribute("pattern"),
            choices: node.elements("choice").map { choice($0) }, choiceList: node.attribute("choices"),
            choiceSource: node.attribute("source").flatMap(Field.ChoiceSource.init(rawValue:)),
            anchors: node.elements("anchor").map { anchor in
                ScaleAnchor(value: int(anchor, "value") ?? 0, label: requiredText(anchor, "label"), location: sink.location(of: anchor))
            },
            location: sink.location(of: node))
    }

    mutating func group(_ node: XMLNode) -> Group {
        Group(
            id: node.attribute("id") ?? "", label: requiredText(node, "label"), hint: optionalText(node, "hint"),
            minRows: int(node, "min"), maxRows: int(node, "max"), relevant: expression(node, "relevant"),
            fields: node.elements("field").map { field($0) }, location: sink.location(of: node))
    }

    mutating func score(_ node: XMLNode) -> Score {
        Score(
            id: node.attribute("id") ?? "", method: Score.Method(rawValue: node.attribute("method") ?? "") ?? .sum,
            of: list(node, "of"), tolerance: double(node, "tolerance"), minAnswered: int(node, "min-answered"),
            countValue: node.attribute("value"), label: requiredText(node, "label"),
            bands: node.elements("band").map { band in
                Band(
                    code: band.attribute("code") ?? "", min: double(band, "min"), max: double(band, "max"),
                    label: requiredText(band, "label"), location: sink.location(of: band))
            },
            location: sink.location(of: node))
    }

    mutating func criterion(_ node: XMLNode) -> Criterion {
        let dimension = Criterion.Dimension(rawValue: node.attribute("dimension") ?? "") ?? .adherence
        return Criterion(
            id: node.attribute("id") ?? "", dimension: dimension,
            kind: Criterion.Kind(rawValue: node.attribute("kind") ?? "") ?? .coverage,
            title: requiredText(node, "title"), description: optionalText(node, "description"),
            phase: node.attribute("phase"), step: node.attribute("step"), steps: list(node, "steps"),
            before: node.attribute("before"), form: node.attribute("form"), field: node.attribute("field"),
            role: node.attribute("role"), roles: list(node, "roles"), place: node.attribute("place"),
            min: double(node, "min"), max: double(node, "max"), from: duration(node, "from"), to: duration(node, "to"),
            per: duration(node, "per"), maxGap: duration(node, "max-gap"),
            threshold: double(node, "threshold") ?? 100, weight: double(node, "weight") ?? 1,
            inComposite: node.attribute("composite").map { $0 == "true" || $0 == "1" } ?? dimension.isInCompositeByDefault,
            location: sink.location(of: node))
    }
}
