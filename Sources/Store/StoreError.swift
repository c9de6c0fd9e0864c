import Workflow

/// Why the store cannot do what was asked, said plainly, in Swedish and English.
public enum StoreError: Error, Sendable {
    case insecurePermissions(path: String, mode: Int)
    case damaged(path: String, detail: String)
    case notInitialised(path: String)
    case busy(path: String, seconds: Int)
    case unknownCase(String)
    case versionConflict(case: String, expected: Int, found: Int)
    case unknownProgramme(String, registered: [String])
    case programmeMissing(hash: String)
    case programmeInvalid([Diagnostic])
    case refused(WorkflowError)
    case io(String)
    case database(String)

    public var message: LocalizedMessage {
        switch self {
        case .insecurePermissions(let path, let mode):
            let m = String(mode, radix: 8)
            return LocalizedMessage(
                sv: "Lagringsfilen \(path) kan läsas av andra (rättigheter \(m)). Den innehåller uppgifter om barn och måste vara 0600. Kör: chmod 600 \(path)",
                en: "The store file \(path) is readable by others (mode \(m)). It holds data about children and must be 0600. Run: chmod 600 \(path)")
        case .damaged(let path, let detail):
            return LocalizedMessage(
                sv: "Lagringsfilen \(path) är skadad eller ingen Närvaro-lagring (\(detail)). Inget har ändrats. Återställ från en säkerhetskopia (narvaro backup).",
                en: "The store file \(path) is damaged or not a Närvaro store (\(detail)). Nothing was changed. Restore from a backup (narvaro backup).")
        case .notInitialised(let path):
            return LocalizedMessage(
                sv: "Det finns ingen lagring i \(path). Skapa den med: narvaro init --programme programmes/hsp.xml",
                en: "There is no store at \(path). Create it with: narvaro init --programme programmes/hsp.xml")
        case .busy(let path, let seconds):
            return LocalizedMessage(
                sv: "En annan session skriver i \(path) just nu; väntade \(seconds) sekunder. Försök igen om en stund. Inget har ändrats.",
                en: "Another session is writing to \(path) right now; waited \(seconds) seconds. Try again in a moment. Nothing was changed.")
        case .unknownCase(let code):
            return LocalizedMessage(
                sv: "Det finns inget ärende \(code). Se ärendena med: narvaro case list",
                en: "There is no case \(code). See the cases with: narvaro case list")
        case .versionConflict(let code, let expected, let found):
            return LocalizedMessage(
                sv: "Ärendet \(code) har ändrats av någon annan medan du arbetade (version \(found), du utgick från \(expected)). Inget sparades. Läs in ärendet igen (narvaro case show \(code)) och gör om steget.",
                en: "Case \(code) was changed by someone else while you worked (version \(found); you started from \(expected)). Nothing was saved. Reload the case (narvaro case show \(code)) and redo the step.")
        case .unknownProgramme(let id, let registered):
            return LocalizedMessage(
                sv: "Programmet '\(id)' finns inte i lagringen. Registrerade: \(registered.isEmpty ? "inga" : registered.joined(separator: ", ")). Registrera med: narvaro init --programme FIL",
                en: "Programme '\(id)' is not in the store. Registered: \(registered.isEmpty ? "none" : registered.joined(separator: ", ")). Register it with: narvaro init --programme FILE")
        case .programmeMissing(let hash):
            return LocalizedMessage(
                sv: "Programversionen \(hash.prefix(12)) som ärendet bygger på saknas i lagringen; lagringen är skadad.",
                en: "The programme version \(hash.prefix(12)) the case is pinned to is missing from the store; the store is damaged.")
        case .programmeInvalid(let diagnostics):
            let lines = diagnostics.prefix(5).map { $0.rendered(.en) }.joined(separator: "; ")
            return LocalizedMessage(sv: "Programfilen är inte giltig: \(lines)", en: "The programme file is not valid: \(lines)")
        case .refused(let error):
            return error.message
        case .io(let detail):
            return LocalizedMessage(sv: "Fel vid läsning eller skrivning: \(detail)", en: "Error while reading or writing: \(detail)")
        case .database(let detail):
            return LocalizedMessage(sv: "Databasfel: \(detail). Inget har ändrats.", en: "Database error: \(detail). Nothing was changed.")
        }
    }

    public func rendered(_ language: Language) -> String {
        if case .refused(let error) = self { return error.rendered(language) }
        return message.text(language)
    }
}
