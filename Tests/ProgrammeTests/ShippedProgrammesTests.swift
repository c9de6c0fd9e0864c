import Foundation
import Testing

@testable import Programme

/// Every programme in programmes/ loads with no errors and no warnings.
@Suite struct ShippedProgrammesTests {
    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.file("programmes").path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted()
    }()

    @Test func bothProgrammesAreShipped() {
        #expect(Self.files.contains("hsp.xml"))
        #expect(Self.files.contains("processledare.xml"))
    }

    @Test(arguments: files)
    func loadsCleanly(_ name: String) throws {
        let result = ProgrammeLoader.load(path: Paths.file("programmes/\(name)").path, displayName: "programmes/\(name)")
        switch result {
        case .success(let loaded):
            #expect(loaded.warnings.isEmpty, "\(loaded.warnings.map { $0.rendered(.en) })")
        case .failure(let error):
            Issue.record("programmes/\(name) does not load:\n\(error.diagnostics.map { $0.rendered(.en) }.joined(separator: "\n"))")
        }
    }

    @Test func hspHasEveryPhaseOfTheManual() throws {
        let p = try ProgrammeLoader.load(path: Paths.file("programmes/hsp.xml").path).get().programme
        #expect(p.phases.count >= 5)
        #expect(p.phases.last?.isFollowUp == true)
        #expect(p.provenance.sv.lowercased().contains("rekonstruktion") || p.description?.sv.lowercased().contains("rekonstruktion") == true)
        // Licensed questionnaires are stored as scores: no form may claim licensed item texts.
        #expect(p.forms.allSatisfy { !$0.licensedItems })
        // The SRAS-R profile is expressed in the file: a 'highest' score with a 0.25 tolerance.
        let profiles = p.forms.flatMap(\.scores).filter { $0.method == .highest }
        #expect(profiles.contains { $0.tolerance == 0.25 && $0.of.count == 4 })
        #expect(p.criteria.count >= 20)
    }

    @Test func theTwoProgrammesAreDifferent() throws {
        let hsp = try ProgrammeLoader.load(path: Paths.file("programmes/hsp.xml").path).get().programme
        let pl = try ProgrammeLoader.load(path: Paths.file("programmes/processledare.xml").path).get().programme
        #expect(hsp.id != pl.id)
        #expect(Set(hsp.steps.map(\.id)).isDisjoint(with: Set(pl.steps.map(\.id))) || hsp.phases.map(\.id) != pl.phases.map(\.id))
        #expect(!pl.triggers.isEmpty)
    }
}
