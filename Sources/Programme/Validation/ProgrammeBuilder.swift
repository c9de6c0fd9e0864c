/// Turns a schema-valid XML tree into the programme model, reporting what only the builder can see:
/// missing Swedish texts, bad languages, invalid durations and numbers.
struct ProgrammeBuilder {
    var sink: DiagnosticSink

    init(sink: DiagnosticSink) {
        self.sink = sink
    }

    mutating func build(_ root: XMLNode) -> Programme {
        let location = sink.location(of: root)
        if let lang = root.attribute("xml:lang"), lang != "sv" {
            sink.error(
                sink.location(of: "xml:lang", in: location),
                sv: "programmets språk måste vara svenska (xml:lang=\"sv\"), inte '\(lang)'",
                en: "the programme's language must be Swedish (xml:lang=\"sv\"), not '\(lang)'",
                hintSv: "engelska texter läggs bredvid de svenska med xml:lang=\"en\"",
                hintEn: "English texts go beside the Swedish ones with xml:lang=\"en\"")
        }
        return Programme(
            id: root.attribute("id") ?? "",
            version: root.attribute("version") ?? "",
            title: requiredText(root, "title"),
            description: optionalText(root, "description"),
            owner: requiredText(root, "owner"),
            provenance: requiredText(root, "provenance"),
            roles: (root.element("roles")?.elements("role") ?? []).map { role($0) },
            consents: (root.element("consents")?.elements("consent") ?? []).map { consent($0) },
            modules: (root.element("modules")?.elements("module") ?? []).map { module($0) },
            choiceLists: root.elements("choice-list").map { choiceList($0) },
            phases: root.elements("phase").map { phase($0) },
            forms: root.elements("form").map { form($0) },
            triggers: (root.element("screening")?.elements("trigger") ?? []).map { trigger($0) },
            criteria: (root.element("fidelity")?.elements("criterion") ?? []).map { criterion($0) },
            location: location
        )
    }

    // MARK: - Texts

    /// The Swedish and English versions of a repeated text element; reports a missing Swedish text.
    mutating func requiredText(_ parent: XMLNode, _ name: String) -> LocalizedText {
        if let text = optionalText(parent, name) { return text }
        let location = sink.location(of: parent)
        sink.error(
            location,
            sv: "'\(parent.name)' saknar svensk <\(name)>", en: "'\(parent.name)' has no Swedish <\(name)>",
            hintSv: "varje text finns på svenska; engelska är valfritt (xml:lang=\"en\")",
            hintEn: "every text exists in Swedish; English is optional (xml:lang=\"en\")")
        return LocalizedText(sv: "")
    }

    mutating func optionalText(_ parent: XMLNode, _ name: String) -> LocalizedText? {
        var first: XMLNode?
        var sv: String?
        var en: String?
        for node in parent.children where node.isNamed(name) {
            if first == nil { first = node }
            var location: SourceLocation { sink.location(of: node) }
            let text = normalise(node.text)
            let lang = node.language ?? "sv"
            switch lang {
            case "sv":
                if sv != nil {
                    sink.error(location, sv: "två svenska <\(name)> i '\(parent.name)'", en: "two Swedish <\(name)> in '\(parent.name)'")
                }
                if text.isEmpty {
                    sink.error(location, sv: "<\(name)> är tom", en: "<\(name)> is empty")
                }
                sv = text
            case "en":
                if en != nil {
                    sink.error(location, sv: "två engelska <\(name)> i '\(parent.name)'", en: "two English <\(name)> in '\(parent.name)'")
                }
                en = text
            default:
                sink.error(
                    sink.location(of: "xml:lang", in: location),
                    sv: "språket '\(lang)' stöds inte; använd sv eller en",
                    en: "language '\(lang)' is not supported; use sv or en")
            }
        }
        guard let first else { return nil }
        guard let sv else {
            if en != nil {
                let location = sink.location(of: first)
                sink.error(
                    location,
                    sv: "<\(name)> finns bara på engelska; den svenska texten krävs",
                    en: "<\(name)> exists only in English; the Swedish text is required",
                    hintSv: "lägg till <\(name)>…</\(name)> utan xml:lang (svenska) före den engelska",
                    hintEn: "add <\(name)>…</\(name)> without xml:lang (Swedish) before the English one")
                return LocalizedText(sv: "", en: en)
            }
            return nil
        }
        return LocalizedText(sv: sv, en: en)
    }

    /// Folds runs of white space into one space and trims the ends (in one pass over the bytes).
    private func normalise(_ text: String) -> String {
        var text = text
        let folded: String? = text.withUTF8 { utf8 in
            var needsWork = false
            var previousSpace = true
            for b in utf8 {
                if b > 0x20 { previousSpace = false; continue }
                let space = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
                if space, previousSpace || b != 0x20 { needsWork = true; break }
                previousSpace = space
            }
            if !needsWork, !previousSpace || utf8.isEmpty { return nil }
            return String(unsafeUninitializedCapacity: utf8.count) { out in
                var n = 0
                var pendingSpace = false
                for b in utf8 {
                    if b <= 0x20, b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                        pendingSpace = n > 0
                    } else {
                        if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
                        out[n] = b
                        n += 1
                    }
                }
                return n
            }
        }
        return folded ?? text
    }

    // MARK: - Values

    mutating func duration(_ node: XMLNode, _ attribute: String) -> ISODuration? {
        guard let raw = node.attribute(attribute) else { return nil }
        if let value = ISODuration(parsing: raw) { return value }
        sink.error(
            sink.location(of: attribute, in: sink.location(of: node)),
            sv: "ogiltig tidslängd '\(raw)' i '\(attribute)'", en: "invalid duration '\(raw)' in '\(attribute)'",
            hintSv: "skriv som ISO 8601: P10D (10 dagar), P3W (3 veckor), P6M (6 månader), P1Y (1 år)",
            hintEn: "write it as ISO 8601: P10D (10 days), P3W (3 weeks), P6M (6 months), P1Y (1 year)")
        return nil
    }

    func list(_ node: XMLNode, _ attribute: String) -> [String] {
        guard var raw = node.attribute(attribute) else { return [] }
        // ASCII without CR (every character one byte): split the bytes. Otherwise split characters,
        // where CR LF or a space with a combining mark is one character and no separator.
        let items: [String]? = raw.withUTF8 { bytes in
            var items: [String] = []
            var start = -1
            for i in bytes.indices {
                let b = bytes[i]
                if b >= 0x80 || b == 0x0D { return nil }
                if b == 0x20 || b == 0x0A || b == 0x09 {
                    if start >= 0 { items.append(String(decoding: bytes[start..<i], as: UTF8.self)) }
                    start = -1
                } else if start < 0 {
                    start = i
                }
            }
            if start >= 0 { items.append(String(decoding: bytes[start...], as: UTF8.self)) }
            return items
        }
        return items ?? raw.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
    }

    func bool(_ node: XMLNode, _ attribute: String, default value: Bool) -> Bool {
        guard let raw = node.attribute(attribute) else { return value }
        return raw == "true" || raw == "1"
    }

    func int(_ node: XMLNode, _ attribute: String) -> Int? {
        node.attribute(attribute).flatMap { Int($0.trimmingWhitespace) }
    }

    func double(_ node: XMLNode, _ attribute: String) -> Double? {
        node.attribute(attribute).flatMap { Double($0.trimmingWhitespace) }
    }

    func expression(_ node: XMLNode, _ attribute: String) -> Expression? {
        guard let raw = node.attribute(attribute) else { return nil }
        return Expression(raw, at: sink.location(of: attribute, in: sink.location(of: node)))
    }
}
