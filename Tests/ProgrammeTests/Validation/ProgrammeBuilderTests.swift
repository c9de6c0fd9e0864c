import Testing

@testable import Programme

@Suite struct ProgrammeBuilderTests {
    static let values = [
        "", " ", "a", "a b", "  a\tb\nc  ", "a  b", "å ä", "a\r\nb", "a \u{301}b", "x\u{301} y", "a\rb", "\t\n",
    ]

    /// `list` splits at spaces, tabs and line feeds between characters, as `split` does.
    @Test(arguments: values)
    func listSplitsLikeCharacters(_ value: String) throws {
        let builder = XMLTreeBuilder()
        builder.start(name: "step", namespace: nil, attributes: [XMLNode.Attribute(name: "after", value: value)], line: 1)
        builder.end()
        let node = try #require(builder.root)
        let expected = value.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        let programmeBuilder = ProgrammeBuilder(sink: DiagnosticSink(file: "t.xml", source: SourceText([])))
        #expect(programmeBuilder.list(node, "after") == expected)
        #expect(programmeBuilder.list(node, "missing") == [])
    }
}
