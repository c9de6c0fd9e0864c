/// The columns of an attendance file, recognised by their header in Swedish or English: case does
/// not matter, nor spaces, underscores, hyphens, accents (å, ä, ö) or a note in brackets.
public enum AttendanceColumn: String, Hashable, Sendable, CaseIterable {
    case student
    case name
    case week
    case from
    case to
    case unit
    case scheduled
    case attended
    case validAbsence
    case invalidAbsence

    /// The names the documentation uses: Swedish, English.
    public var names: (sv: String, en: String) {
        switch self {
        case .student: ("personnummer", "student")
        case .name: ("namn", "name")
        case .week: ("vecka", "week")
        case .from: ("från", "from")
        case .to: ("till", "to")
        case .unit: ("enhet", "unit")
        case .scheduled: ("schemalagd", "scheduled")
        case .attended: ("närvarande", "attended")
        case .validAbsence: ("giltig frånvaro", "valid absence")
        case .invalidAbsence: ("ogiltig frånvaro", "invalid absence")
        }
    }

    /// Every header accepted for the column, normalised (see `normalise`).
    public var headers: [String] {
        switch self {
        case .student:
            ["personnummer", "pnr", "personnr", "elev", "arende", "arendekod", "student", "studentid", "case", "casecode",
             "personalnumber", "personalidentitynumber"]
        case .name: ["namn", "elevnamn", "elevensnamn", "name", "studentname"]
        case .week: ["vecka", "veckonummer", "veckonr", "week", "isoweek", "weeknumber"]
        case .from: ["fran", "frandatum", "datumfran", "fromdatum", "startdatum", "periodfran", "from", "fromdate", "start", "startdate", "periodfrom"]
        case .to: ["till", "tilldatum", "datumtill", "tom", "slutdatum", "periodtill", "to", "todate", "end", "enddate", "periodto"]
        case .unit: ["enhet", "unit"]
        case .scheduled: ["schemalagd", "schemalagt", "schemalagdtid", "schematid", "scheduled", "scheduledtime"]
        case .attended: ["narvarande", "narvarotid", "attended", "attendedtime", "present"]
        case .validAbsence: ["giltigfranvaro", "giltig", "anmaldfranvaro", "validabsence", "valid", "authorisedabsence", "authorizedabsence", "excusedabsence"]
        case .invalidAbsence: ["ogiltigfranvaro", "ogiltig", "olovligfranvaro", "oanmaldfranvaro", "invalidabsence", "invalid", "unauthorisedabsence", "unauthorizedabsence", "unexcusedabsence"]
        }
    }

    private static let byHeader: [String: AttendanceColumn] = {
        var map: [String: AttendanceColumn] = [:]
        for column in allCases { for header in column.headers { map[header] = column } }
        return map
    }()

    /// The column a header names, or nil for a column Närvaro does not read. A header that speaks of
    /// a percentage ("Närvaro %") is never read as a count.
    public init?(header: String) {
        let lower = header.lowercased()
        if lower.contains("%") || lower.contains("procent") || lower.contains("percent") { return nil }
        guard let column = Self.byHeader[Self.normalise(header)] else { return nil }
        self = column
    }

    /// Lower case, å/ä → a, ö → o, é → e, without anything in brackets and without anything that is
    /// not a letter or digit: "Giltig frånvaro (min)" → "giltigfranvaro".
    static func normalise(_ header: String) -> String {
        var out = ""
        var depth = 0
        for c in header.lowercased() {
            switch c {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case _ where depth > 0: continue
            case "å", "ä", "à", "á": out.append("a")
            case "ö", "ó", "ø": out.append("o")
            case "é", "è": out.append("e")
            case "ü": out.append("u")
            case _ where c.isASCII && (c.isLetter || c.isNumber): out.append(c)
            default: continue
            }
        }
        return out
    }
}
