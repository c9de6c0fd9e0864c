
/// Loader messages in Swedish and English. Semantic-check messages live beside their checks.
enum Messages {
    static let outOfMemory = LocalizedMessage(sv: "slut på minne när filen skulle läsas", en: "out of memory while reading the file")
    static let unreadableXML = LocalizedMessage(sv: "filen kunde inte läsas som XML", en: "the file could not be read as XML")
    static let doctypeNotAllowed = LocalizedMessage(
        sv: "DOCTYPE är inte tillåtet i en programfil", en: "DOCTYPE not allowed in a programme file")
    static let doctypeHint = LocalizedMessage(
        sv: "ta bort raden <!DOCTYPE …>; programfiler får inte använda DTD:er eller entiteter",
        en: "remove the <!DOCTYPE …> line; programme files may not use DTDs or entities")
    static let entityNotAllowed = LocalizedMessage(
        sv: "entitetsdeklarationer är inte tillåtna", en: "entity declarations are not allowed")
    static let xincludeNotAllowed = LocalizedMessage(
        sv: "XInclude är inte tillåtet: skriv innehållet direkt i programfilen",
        en: "XInclude is not allowed: write the content into the programme file itself")
    static let schemaInvalid = LocalizedMessage(
        sv: "filen följer inte programformatet", en: "the file does not follow the programme format")
    static let empty = LocalizedMessage(sv: "filen är tom", en: "the file is empty")
    static let emptyHint = LocalizedMessage(
        sv: "en programfil börjar med <programme xmlns=\"urn:narvaro:programme:1\" …>; se docs/programme-format.md",
        en: "a programme file starts with <programme xmlns=\"urn:narvaro:programme:1\" …>; see docs/programme-format.md")
    static let binary = LocalizedMessage(
        sv: "filen innehåller NUL-tecken och är ingen textfil", en: "the file contains NUL bytes and is not a text file")
    static let invalidUTF8 = LocalizedMessage(
        sv: "ogiltig UTF-8: programfiler ska sparas som UTF-8", en: "invalid UTF-8: programme files must be saved as UTF-8")
    static let invalidUTF8Hint = LocalizedMessage(
        sv: "spara filen som UTF-8 i din editor (inte Latin-1 eller Windows-1252)",
        en: "save the file as UTF-8 in your editor (not Latin-1 or Windows-1252)")

    static func tooLarge(_ size: Int, limit: Int) -> LocalizedMessage {
        LocalizedMessage(
            sv: "filen är för stor (\(size) byte; högst \(limit) byte är tillåtet)",
            en: "file too large (\(size) bytes; at most \(limit) bytes are allowed)")
    }

    static func tooDeep(_ limit: Int) -> LocalizedMessage {
        LocalizedMessage(
            sv: "elementen är nästlade djupare än \(limit) nivåer", en: "elements are nested deeper than \(limit) levels")
    }

    static func cannotRead(_ reason: String) -> LocalizedMessage {
        LocalizedMessage(sv: "filen kunde inte läsas: \(reason)", en: "cannot read the file: \(reason)")
    }

    /// A libxml2 well-formedness error, with a Swedish text for the common ones.
    static func libxml2Parser(code: Int32, text: String) -> LocalizedMessage {
        let sv: String
        switch code {
        case 4: sv = "dokumentet är tomt eller börjar inte med ett element"
        case 5: sv = "extra innehåll efter dokumentets slut"
        case 26: sv = "okänd entitet (entiteter är inte tillåtna; skriv &lt; &gt; &amp; &quot; &apos; eller tecknet självt)"
        case 73: sv = "'>' saknas efter starttaggen"
        case 76: sv = "start- och sluttaggen stämmer inte överens"
        case 77: sv = "filen tar slut mitt i ett element (är den avkortad?)"
        case 38, 39, 40, 41: sv = "fel i ett attribut (citattecken eller '=' saknas?)"
        case 68: sv = "ett namn förväntades här"
        case 201, 202, 203: sv = "namnrymdsfel"
        default: sv = "XML-fel"
        }
        return LocalizedMessage(sv: "\(sv) (\(text))", en: text)
    }

    private static let namespacePrefix = "{urn:narvaro:programme:1}"

    /// A schema (XSD) validation message from libxml2, made readable in both languages.
    static func schema(_ raw: String) -> (LocalizedMessage, LocalizedMessage?) {
        let text = raw.replacing(namespacePrefix, with: "")
        let element = text.between("Element '", "'") ?? "?"
        let attribute = text.between("attribute '", "'")
        let expected = text.between("Expected is ", ".").map { $0.filter { $0 != "(" && $0 != ")" }.trimmingWhitespace }
        let value = text.between("The value '", "'") ?? text.between("': '", "'")

        if text.contains("No matching global declaration available for the validation root") {
            return (
                LocalizedMessage(
                    sv: "rotelementet '\(element)' är inget programelement",
                    en: "the root element '\(element)' is not a programme element"),
                LocalizedMessage(
                    sv: "börja med <programme xmlns=\"urn:narvaro:programme:1\" id=\"…\" version=\"1.0.0\" xml:lang=\"sv\">",
                    en: "start with <programme xmlns=\"urn:narvaro:programme:1\" id=\"…\" version=\"1.0.0\" xml:lang=\"sv\">")
            )
        }
        if text.contains("This element is not expected") {
            let hint = expected.map { LocalizedMessage(sv: "här väntas: \($0)", en: "expected here: \($0)") }
            return (
                LocalizedMessage(
                    sv: "elementet '\(element)' hör inte hemma här", en: "element '\(element)' is not expected here"),
                hint
            )
        }
        if text.contains("Missing child element(s)") {
            return (
                LocalizedMessage(
                    sv: "'\(element)' saknar ett obligatoriskt element: \(expected ?? "?")",
                    en: "'\(element)' is missing a required element: \(expected ?? "?")"),
                nil
            )
        }
        if let attribute, text.contains("is required but missing") || text.contains("is required but missing.") {
            return (
                LocalizedMessage(
                    sv: "'\(element)' saknar det obligatoriska attributet '\(attribute)'",
                    en: "'\(element)' is missing the required attribute '\(attribute)'"),
                nil
            )
        }
        if text.contains("The attribute '"), text.contains("is required but missing") {
            let name = text.between("The attribute '", "'") ?? "?"
            return (
                LocalizedMessage(
                    sv: "'\(element)' saknar det obligatoriska attributet '\(name)'",
                    en: "'\(element)' is missing the required attribute '\(name)'"),
                nil
            )
        }
        if let attribute, text.contains("is not allowed") {
            return (
                LocalizedMessage(
                    sv: "attributet '\(attribute)' är inte tillåtet på '\(element)'",
                    en: "attribute '\(attribute)' is not allowed on '\(element)'"),
                LocalizedMessage(sv: "kontrollera stavningen mot docs/programme-format.md", en: "check the spelling against docs/programme-format.md")
            )
        }
        if let attribute, text.contains("[facet 'enumeration']") {
            let allowed = text.between("set {", "}")?.replacing("'", with: "") ?? "?"
            return (
                LocalizedMessage(
                    sv: "'\(value ?? "?")' är inget tillåtet värde för '\(attribute)' på '\(element)'",
                    en: "'\(value ?? "?")' is not an allowed value of '\(attribute)' on '\(element)'"),
                LocalizedMessage(sv: "tillåtna värden: \(allowed)", en: "allowed values: \(allowed)")
            )
        }
        if let attribute, text.contains("[facet 'pattern']") {
            return (
                LocalizedMessage(
                    sv: "'\(value ?? "?")' är inte ett giltigt värde för '\(attribute)' på '\(element)'",
                    en: "'\(value ?? "?")' is not a valid value of '\(attribute)' on '\(element)'"),
                LocalizedMessage(
                    sv: "id:n skrivs med små bokstäver a–z, siffror, '_' och '-' och börjar med en bokstav (inga å, ä, ö); en version skrivs som 1.0.0",
                    en: "ids use lower-case a–z, digits, '_' and '-' and start with a letter (no å, ä, ö); a version looks like 1.0.0")
            )
        }
        if let attribute, text.contains("is not a valid value of") {
            return (
                LocalizedMessage(
                    sv: "'\(value ?? "?")' är inte ett giltigt värde för '\(attribute)' på '\(element)'",
                    en: "'\(value ?? "?")' is not a valid value of '\(attribute)' on '\(element)'"),
                nil
            )
        }
        if text.contains("Character content other than whitespace is not allowed") {
            return (
                LocalizedMessage(
                    sv: "text får inte stå direkt i '\(element)'; lägg den i ett textelement som <title> eller <text>",
                    en: "text may not stand directly in '\(element)'; put it in a text element such as <title> or <text>"),
                nil
            )
        }
        return (LocalizedMessage(sv: "fel mot programformatet: \(text)", en: text), nil)
    }
}
