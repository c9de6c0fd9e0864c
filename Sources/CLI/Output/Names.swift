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
