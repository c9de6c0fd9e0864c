/// Checks of XPath expressions: syntax (libxml2), and every name they use.
extension SemanticChecker {
    /// An expression text's syntax error (from libxml2) or, when it compiles, the names it uses.
    struct ExpressionAnalysis {
        var error: XPathSyntax.SyntaxError?
        var scan: ExpressionScanner?
    }

    /// The analysis of `source`, made on the first use of that text in this load.
    private mutating func analysis(of source: String) -> ExpressionAnalysis {
        if let known = analyses[source] { return known }
        let error = syntax.check(source)
        let analysis = ExpressionAnalysis(error: error, scan: error == nil ? ExpressionScanner(source) : nil)
        analyses[source] = analysis
        return analysis
    }

    mutating func checkExpression(_ expression: Expression, scope: ExpressionScope, owner: LocalizedMessage) {
        let location = expression.location
        let source = expression.source
        let analysis = analysis(of: source)
        if let error = analysis.error {
            // libxml2 counts bytes; people count characters.
            let character = String(decoding: source.utf8.prefix(error.offset), as: UTF8.self).count + 1
            sink.error(
                location,
                sv: "syntaxfel i uttrycket \"\(source)\" vid tecken \(character): \(error.messageSv)",
                en: "syntax error in expression \"\(source)\" at character \(character): \(error.message)",
                hintSv: "uttryck skrivs i XPath 1.0; skriv &lt; för < i XML",
                hintEn: "expressions are XPath 1.0; write &lt; for < in XML")
            return
        }
        guard let scan = analysis.scan else { return }
        for name in scan.bareNames {
            let isVariable = scope.variables.contains(name.name)
            sink.error(
                location,
                sv: "\(owner.sv): '\(name.name)' i uttrycket \"\(source)\" är inget svar eller fall-fakta",
                en: "\(owner.en): '\(name.name)' in expression \"\(source)\" is not an answer or case fact",
                hintSv: isVariable ? "svar skrivs med $: menade du '$\(name.name)'?" : "svar skrivs med $ framför fältets id, text inom apostrofer: 'ja'",
                hintEn: isVariable ? "answers are written with $: did you mean '$\(name.name)'?" : "answers are written with $ before the field id, text in quotes: 'ja'")
        }
        for variable in scan.variables where !scope.variables.contains(variable.name) {
            let known = suggestion(variable.name, among: Array(scope.variables))
            let hint: (String, String)
            switch scope.kind {
            case .form:
                hint = known.map { ("menade du '$\($0)'?", "did you mean '$\($0)'?") }
                    ?? ("i ett formulär nämns fält i samma formulär som $fält", "in a form, name fields of the same form as $field")
            case .programme:
                hint = known.map { ("menade du '$\($0)'?", "did you mean '$\($0)'?") }
                    ?? ("här nämns svar som $formulär.fält, till exempel $behandlingsplan.narvaromal",
                        "here answers are named $form.field, for example $behandlingsplan.narvaromal")
            case .trigger:
                let list = ExpressionScope.triggerVariables.sorted().map { "$" + $0 }.joined(separator: ", ")
                hint = ("kända variabler: \(list)", "known variables: \(list)")
            }
            sink.error(
                location,
                sv: "\(owner.sv): okänd variabel '$\(variable.name)' i uttrycket \"\(source)\"",
                en: "\(owner.en): unknown variable '$\(variable.name)' in expression \"\(source)\"",
                hintSv: hint.0, hintEn: hint.1)
        }
        let functions = scope.functions
        for call in scan.calls {
            guard let function = functions[call.name] else {
                let known = functions.keys.sorted().joined(separator: ", ")
                sink.error(
                    location,
                    sv: "\(owner.sv): okänd funktion '\(call.name)()' i uttrycket \"\(source)\"",
                    en: "\(owner.en): unknown function '\(call.name)()' in expression \"\(source)\"",
                    hintSv: "funktioner här: \(known)", hintEn: "functions here: \(known)")
                continue
            }
            if call.argumentCount < function.minArguments || call.argumentCount > function.maxArguments {
                let expected = function.minArguments == function.maxArguments
                    ? "\(function.minArguments)" : "\(function.minArguments)–\(function.maxArguments)"
                sink.error(
                    location,
                    sv: "\(owner.sv): '\(call.name)()' tar \(expected) argument, inte \(call.argumentCount)",
                    en: "\(owner.en): '\(call.name)()' takes \(expected) arguments, not \(call.argumentCount)")
                continue
            }
            if let kind = function.idArgument {
                checkIDArgument(call, kind: kind, location: location, owner: owner)
            }
        }
    }

    private mutating func checkIDArgument(_ call: ExpressionScanner.Call, kind: ExpressionScope.IdArgument, location: SourceLocation, owner: LocalizedMessage) {
        guard let argument = call.literalArguments.first, let id = argument else {
            sink.error(
                location,
                sv: "\(owner.sv): '\(call.name)()' ska ha ett id inom apostrofer, till exempel \(call.name)('…')",
                en: "\(owner.en): '\(call.name)()' takes an id in quotes, for example \(call.name)('…')")
            return
        }
        switch kind {
        case .step:
            if steps[id] == nil {
                sink.error(
                    location,
                    sv: "\(owner.sv): '\(call.name)()' nämner det okända steget '\(id)'",
                    en: "\(owner.en): '\(call.name)()' names unknown step '\(id)'",
                    hintSv: suggestion(id, among: allSteps.map(\.id)).map { "menade du '\($0)'?" },
                    hintEn: suggestion(id, among: allSteps.map(\.id)).map { "did you mean '\($0)'?" })
            }
        case .module:
            if programme.module(id) == nil {
                sink.error(
                    location, sv: "\(owner.sv): '\(call.name)()' nämner den okända modulen '\(id)'",
                    en: "\(owner.en): '\(call.name)()' names unknown module '\(id)'")
            }
        case .consent:
            if programme.consent(id) == nil {
                sink.error(
                    location, sv: "\(owner.sv): '\(call.name)()' nämner det okända samtycket '\(id)'",
                    en: "\(owner.en): '\(call.name)()' names unknown consent '\(id)'")
            }
        case .role:
            if roles[id] == nil {
                sink.error(
                    location, sv: "\(owner.sv): '\(call.name)()' nämner den okända rollen '\(id)'",
                    en: "\(owner.en): '\(call.name)()' names unknown role '\(id)'")
            }
        case .duration:
            if ISODuration(parsing: id) == nil {
                sink.error(
                    location, sv: "\(owner.sv): '\(call.name)()' ska ha en tidslängd som 'P4W', inte '\(id)'",
                    en: "\(owner.en): '\(call.name)()' takes a duration such as 'P4W', not '\(id)'")
            }
        }
    }
}
