import Foundation
import Testing

@testable import Programme

@Suite struct SchemaTests {
    @Test func theEmbeddedSchemaIsTheShippedFile() throws {
        let file = try String(contentsOf: Paths.file("programmes/schema/programme.xsd"), encoding: .utf8)
        #expect(ProgrammeSchemaSource.xsd + "\n" == file, "run scripts/embed-schema.sh")
    }

    @Test func theSchemaIsSelfContainedAndAvoidsRiskyFeatures() {
        for forbidden in ["xs:include", "xs:import", "xs:redefine", "xs:key", "xs:keyref", "xs:unique"] {
            #expect(!ProgrammeSchemaSource.xsd.contains("<\(forbidden)"), "\(forbidden) in the schema")
        }
    }

    @Test func theSchemaCompilesWithoutLoadingAnything() {
        let before = externalLoaderCalls.load(ordering: .relaxed)
        #expect(EmbeddedSchema(source: ProgrammeSchemaSource.xsd) != nil)
        #expect(externalLoaderCalls.load(ordering: .relaxed) == before)
        #expect(EmbeddedSchema(source: "<xs:schema") == nil)
    }

    @Test func sourcesNeverUseDangerousLibxml2Options() throws {
        let pattern = try Regex(#"XML_PARSE_(NOENT|DTDLOAD|DTDATTR|DTDVALID|HUGE|XINCLUDE|RECOVER)|xmlXIncludeProcess|xmlSetStructuredErrorFunc"#)
        let sources = Paths.file("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        #expect(files.count > 10)
        for file in files where file.hasSuffix(".swift") || file.hasSuffix(".h") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            #expect(text.firstMatch(of: pattern) == nil, "\(file) uses a forbidden libxml2 option")
        }
    }
}
