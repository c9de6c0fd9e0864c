import Testing

@testable import Programme

@Suite struct ExpressionScannerTests {
    @Test func findsVariablesFunctionsAndLiteralArguments() {
        let scan = ExpressionScanner("completed('veckosamtal') >= 6 and $behandlingsplan.klar = 'ja'")
        #expect(scan.variables.map(\.name) == ["behandlingsplan.klar"])
        #expect(scan.calls.map(\.name) == ["completed"])
        #expect(scan.calls.first?.literalArguments == ["veckosamtal"])
        #expect(scan.bareNames.isEmpty)
    }

    @Test func operatorNamesAfterAnOperandAreOperators() {
        let scan = ExpressionScanner("$a and ($b or $c) and not($d mod 2 = 0) div 1")
        #expect(scan.calls.map(\.name) == ["not"])
        #expect(scan.variables.map(\.name) == ["a", "b", "c", "d"])
        #expect(scan.bareNames.isEmpty)
    }

    @Test func aBareNameIsFound() {
        let scan = ExpressionScanner("arskurs >= 9")
        #expect(scan.bareNames.map(\.name) == ["arskurs"])
    }

    @Test func stringsAreNotNames() {
        let scan = ExpressionScanner("concat('$x', \"completed(y)\", $z)")
        #expect(scan.variables.map(\.name) == ["z"])
        #expect(scan.calls.map(\.name) == ["concat"])
        #expect(scan.calls.first?.argumentCount == 3)
        #expect(scan.calls.first?.literalArguments == ["$x", "completed(y)", nil])
    }

    @Test func nestedCallsCountTheirOwnArguments() {
        let scan = ExpressionScanner("days-between($a, today()) > 7 and selected($m, 'x')")
        #expect(scan.calls.map(\.name) == ["days-between", "today", "selected"])
        #expect(scan.calls.map(\.argumentCount) == [2, 0, 2])
        #expect(scan.calls[0].literalArguments == [nil, nil])
    }

    @Test func aNonLiteralArgumentIsNotMistakenForALiteral() {
        let scan = ExpressionScanner("completed(concat('a', 'b'))")
        #expect(scan.calls.first?.literalArguments == [nil])
        #expect(ExpressionScanner("completed('a' )").calls.first?.literalArguments == ["a"])
    }
}
