import Forms
import Workflow

/// The words a team member reads for values the store keeps as ids.
extension ReferralSource {
    /// Who referred the case, in words.
    func name(_ language: Language) -> String {
        let sv = language == .sv
        switch self {
        case .eht: return sv ? "elevhälsoteamet" : "the student health team"
        case .socialtjanst: return sv ? "socialtjänsten" : "social services"
        case .bup: return sv ? "BUP" : "child and adolescent psychiatry (BUP)"
        case .vardnadshavare: return sv ? "vårdnadshavare" : "a guardian"
        }
    }
}

extension SessionFacts.CancelledBy {
    /// Who cancelled a session, in words.
    func name(_ language: Language) -> String {
        let sv = language == .sv
        switch self {
        case .familj: return sv ? "familjen" : "the family"
        case .elev: return sv ? "eleven" : "the student"
        case .skola: return sv ? "skolan" : "the school"
        case .team: return sv ? "teamet" : "the team"
        }
    }
}

extension SessionFacts.Place {
    /// The fields of `form` that ask where the session was: a choice with exactly the session's places
    /// as its choices (as `plats` in `hsp.xml`).
    static func fields(of form: Form, in programme: Programme) -> [Field] {
        let places = Set(allCases.map(\.rawValue))
        return form.fields.filter { $0.type == .choice && Set(FieldInput.choices(for: $0, in: programme).map(\.value)) == places }
    }
}
