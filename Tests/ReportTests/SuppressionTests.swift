import Foundation
import PropertyBased
import TestSupport
import Testing
import Workflow

typealias Cell = SuppressedTable.Cell

/// What someone reading a published table can work out from it. The table is seen with its margins:
/// each row with its total, each column with its total, and the totals row with the grand total; in
/// every such line the cells add up to the total. Written independently of `SuppressedTable.lines`.
struct Attacker {
    /// Also use that a hidden cell is never 0 (zeros are published), so a line whose hidden cells add
    /// up to exactly their number holds only ones.
    var usesLowerBound = false

    /// Every hidden cell the attacker learns from `table`, with the value learned.
    func attack(_ table: SuppressedTable) -> [Cell: Int] { attack(table.counts, hidden: table.hidden) }

    /// The same for any choice of hidden cells (rows 0..<r and the totals row r; columns 0..<c and the
    /// totals column c).
    func attack(_ counts: [[Int]], hidden: Set<Cell>) -> [Cell: Int] {
        let r = counts.count, c = counts.first?.count ?? 0
        func value(_ row: Int, _ column: Int) -> Int {
            let rows = row == r ? Array(0..<r) : [row]
            let columns = column == c ? Array(0..<c) : [column]
            return rows.reduce(0) { sum, i in columns.reduce(sum) { $0 + counts[i][$1] } }
        }
        var known: [Cell: Int] = [:]
        for row in 0...r {
            for column in 0...c where !hidden.contains(Cell(row, column)) { known[Cell(row, column)] = value(row, column) }
        }
        // Each line: the cells, then their total.
        var lines: [[Cell]] = []
        for row in 0...r { lines.append((0..<c).map { Cell(row, $0) } + [Cell(row, c)]) }
        for column in 0...c { lines.append((0..<r).map { Cell($0, column) } + [Cell(r, column)]) }

        var learned: [Cell: Int] = [:]
        var changed = true
        while changed {
            changed = false
            for line in lines {
                let unknown = line.filter { known[$0] == nil }
                guard !unknown.isEmpty else { continue }
                let total = line.last!
                let parts = line.dropLast()
                if unknown.count == 1 {
                    let cell = unknown[0]
                    let value = cell == total
                        ? parts.reduce(0) { $0 + known[$1]! }
                        : known[total]! - parts.filter { $0 != cell }.reduce(0) { $0 + known[$1]! }
                    known[cell] = value
                    learned[cell] = value
                    changed = true
                } else if usesLowerBound, let t = known[total], !unknown.contains(total) {
                    // The hidden cells of the line add up to the residual; each is at least 1.
                    let residual = t - parts.compactMap { known[$0] }.reduce(0, +)
                    if residual == unknown.count {
                        for cell in unknown {
                            known[cell] = 1
                            learned[cell] = 1
                        }
                        changed = true
                    }
                }
            }
        }
        return learned
    }
}

@Suite struct SuppressionTests {
    /// Every published count of the table, margins included, row by row.
    func published(_ t: SuppressedTable) -> [Int] {
        (0...t.rowCount).flatMap { row in (0...t.columnCount).compactMap { t.published(row, $0) } }
    }

    // MARK: - Hand examples

    @Test func aRowWithOneSmallCellGetsAComplementaryCellHidden() {
        // 10  3  8 | 21
        // 12  9  7 | 28
        // 22 12 15 | 49
        let t = SuppressedTable([[10, 3, 8], [12, 9, 7]])
        // The 3 is hidden; its row then hides its smallest non-zero other cell (8), and the columns of
        // the 3 and the 8 hide 9 and 7, which leaves row 1 with two hidden cells too.
        #expect(t.hidden == [Cell(0, 1), Cell(0, 2), Cell(1, 1), Cell(1, 2)])
        #expect(published(t) == [10, 21, 12, 28, 22, 12, 15, 49])
        #expect(Attacker().attack(t).isEmpty)
        #expect(Attacker(usesLowerBound: true).attack(t).isEmpty)
    }

    @Test func aLineWhoseOnlyOtherCellIsZeroHidesTheTotal() {
        //  3 5 | 8
        //  0 0 | 0
        //  3 5 | 8
        let t = SuppressedTable([[3, 5], [0, 0]])
        // Column 1 has the hidden 5 and a 0: hiding the 0 would protect nothing, so its total is hidden.
        #expect(t.hidden == [Cell(0, 0), Cell(0, 1), Cell(2, 0), Cell(2, 1)])
        #expect(published(t) == [8, 0, 0, 0, 8])
        #expect(Attacker().attack(t).isEmpty)

        // One small cell alone: its row total, column total and grand total are the same small count.
        let alone = SuppressedTable([[3, 0]])
        #expect(alone.hidden == [Cell(0, 0), Cell(0, 2), Cell(1, 0), Cell(1, 2)])
        #expect(published(alone) == [0, 0])
    }

    @Test func zerosAreShownAndLargeCountsAreNotTouched() {
        let t = SuppressedTable([[0, 12, 0], [7, 0, 25]])
        #expect(t.hidden.isEmpty)
        #expect(published(t) == [0, 12, 0, 12, 7, 0, 25, 32, 7, 12, 25, 44])
        let zeros = SuppressedTable([[0, 0], [0, 0]])
        #expect(zeros.hidden.isEmpty)
        #expect(published(zeros).allSatisfy { $0 == 0 })
        #expect(SmallCount.published(0) == 0)
        #expect((1...4).allSatisfy { SmallCount.published($0) == nil })
        #expect(SmallCount.published(5) == 5)
    }

    @Test func aSmallTotalIsHiddenAsWell() {
        //  0  4 |  4
        //  6  9 | 15
        //  6 13 | 19
        let t = SuppressedTable([[0, 4], [6, 9]])
        // The 4 and its row total (also 4) are hidden; their columns then hide 9 and 15.
        #expect(t.hidden == [Cell(0, 1), Cell(0, 2), Cell(1, 1), Cell(1, 2)])
        #expect(published(t) == [0, 6, 6, 13, 19])
        #expect(Attacker().attack(t).isEmpty)
    }

    @Test func theAttackerBreaksPrimarySuppressionAlone() {
        // The attack is not trivially empty: with only the small counts hidden, [10, 3, 8 | 21] gives
        // the 3 away (21 − 10 − 8), in the row and in the totals row.
        #expect(Attacker().attack([[10, 3, 8]], hidden: [Cell(0, 1), Cell(1, 1)]) == [Cell(0, 1): 3, Cell(1, 1): 3])
        // Hiding 3 and 8 in their row only: the columns (with their published totals) give both away.
        #expect(Attacker().attack([[10, 3, 8], [12, 9, 7]], hidden: [Cell(0, 1), Cell(0, 2)]) == [Cell(0, 1): 3, Cell(0, 2): 8])
        // A table of small counts: everything but the grand total is hidden, and nothing can be solved.
        let t = SuppressedTable([[2, 2], [2, 2]])
        #expect(t.hidden.count == 8)
        #expect(published(t) == [8])
        #expect(Attacker().attack(t).isEmpty)
    }

    @Test func twoOnesBesideALargeCellAreGivenAwayByTheTotal() {
        //  1 1 5 | 7  → published  <5 <5 5 | 7
        let t = SuppressedTable([[1, 1, 5]])
        #expect(t.hidden.isSuperset(of: [Cell(0, 0), Cell(0, 1)]))
        #expect(published(t).contains(7))
        #expect(Attacker().attack(t).isEmpty)
        // Zeros are always published, so a hidden count is at least 1; 7 − 5 = 2 over two hidden cells
        // means both are 1.
        let learned = Attacker(usesLowerBound: true).attack(t)
        #expect(learned.isEmpty, "learned \(learned)")
    }

    // MARK: - Random tables

    /// 1–6 rows × 1–5 columns of counts 0–20, half of the tables drawn towards small counts.
    static func randomTable(seed: Int) -> [[Int]] {
        var rng = SplitMix(seed: UInt64(seed))
        let rows = rng.int(1...6), columns = rng.int(1...5)
        let high = rng.int(0...1) == 0 ? 6 : 20
        return (0..<rows).map { _ in (0..<columns).map { _ in rng.int(0...high) } }
    }

    @Test func noPublishedCountFromOneToFourAndNoHiddenCellRecoverable() async {
        var withSmallCounts = 0, withComplementaryCells = 0
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            let counts = Self.randomTable(seed: seed)
            let t = SuppressedTable(counts)
            let r = t.rowCount, c = t.columnCount
            if !t.hidden.isEmpty { withSmallCounts += 1 }
            if t.hidden.contains(where: { t.value($0) >= SuppressedTable.threshold }) { withComplementaryCells += 1 }

            // Margins are the sums of the counts.
            #expect(t.value(Cell(r, c)) == counts.joined().reduce(0, +))
            for row in 0..<r { #expect(t.value(Cell(row, c)) == counts[row].reduce(0, +)) }

            // No published count, margins included, is 1–4; zeros are never hidden.
            for row in 0...r {
                for column in 0...c {
                    let value = t.value(Cell(row, column))
                    if let p = t.published(row, column) {
                        #expect(p == value)
                        #expect(p == 0 || p >= SuppressedTable.threshold, "seed \(seed): \(counts) publishes \(p) at (\(row), \(column))")
                    } else {
                        #expect(value != 0, "seed \(seed): \(counts) hides a zero at (\(row), \(column))")
                    }
                }
            }

            // Solving lines with one unknown, again and again, gives nothing away.
            let learned = Attacker().attack(t)
            #expect(learned.isEmpty, "seed \(seed): \(counts) gives away \(learned)")
            for (cell, value) in learned { #expect(t.value(cell) == value, "the attacker's arithmetic is wrong") }
        }
        // The random tables really exercise the suppression.
        #expect(withSmallCounts > 150, "\(withSmallCounts) of 300 tables have a hidden cell")
        #expect(withComplementaryCells > 50, "\(withComplementaryCells) of 300 tables have a complementary hidden cell")
    }

    @Test func withTheLowerBoundTheAttackerSometimesLearnsACount() async {
        var leaks: [[[Int]]] = []
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            let counts = Self.randomTable(seed: seed)
            let t = SuppressedTable(counts)
            let learned = Attacker(usesLowerBound: true).attack(t)
            for (cell, value) in learned { #expect(t.value(cell) == value, "the bound attack is unsound at \(cell)") }
            if !learned.isEmpty { leaks.append(counts) }
        }
        #expect(leaks.isEmpty, "\(leaks.count) of 300 random tables give away at least one hidden count, such as \(leaks.first ?? [])")
    }
}
