/// Small-cell suppression for published tables: every count from 1 to 4 is hidden, and so many more
/// cells (complementary suppression) that no hidden count can be worked out from the row and column
/// totals.
///
/// The table is seen with its margins: each row with its total, each column with its total, and the
/// totals with the grand total. Each is a line whose cells add up. A line with exactly one hidden cell
/// would give it away, so another cell of that line is hidden too (the smallest one that is not zero,
/// or failing that the smallest), until no line has exactly one; and the hidden cells of a line must
/// add up to more than 5, so that they cannot be pinned down from knowing each is at least 1.
public struct SuppressedTable: Hashable, Sendable {
    /// `counts[row][column]`.
    public let counts: [[Int]]
    /// Hidden cells, including margins: rows 0..<r and the totals row r; columns 0..<c and the totals column c.
    public private(set) var hidden: Set<Cell>

    public struct Cell: Hashable, Sendable {
        public var row: Int
        public var column: Int

        public init(_ row: Int, _ column: Int) {
            self.row = row
            self.column = column
        }
    }

    public static let threshold = 5

    public init(_ counts: [[Int]]) {
        self.counts = counts
        hidden = []
        let r = counts.count, c = counts.first?.count ?? 0
        for cell in allCells(rows: r, columns: c) where (1..<Self.threshold).contains(value(cell)) {
            hidden.insert(cell)
        }
        var changed = true
        while changed {
            changed = false
            for line in lines(rows: r, columns: c) {
                let hiddenInLine = line.filter { hidden.contains($0) }
                // A line with one hidden cell gives it away; so do hidden cells adding up to so little
                // that, each being at least 1 (zeros are published), their values are pinned down or
                // known to be small.
                let hiddenSum = hiddenInLine.reduce(0) { $0 + value($1) }
                guard hiddenInLine.count == 1 || (!hiddenInLine.isEmpty && hiddenSum <= Self.threshold) else { continue }
                let candidates = line.filter { !hidden.contains($0) }
                let nonzero = candidates.filter { value($0) > 0 }.min { value($0) < value($1) }
                // Hiding a zero protects nothing when the hidden cells are merely too small together.
                let pick = hiddenInLine.count == 1 ? (nonzero ?? candidates.min { value($0) < value($1) }) : nonzero
                if let pick {
                    hidden.insert(pick)
                    changed = true
                }
            }
        }
    }

    public var rowCount: Int { counts.count }
    public var columnCount: Int { counts.first?.count ?? 0 }

    /// A cell's count; row `rowCount` is the totals row, column `columnCount` the totals column.
    public func value(_ cell: Cell) -> Int {
        let r = counts.count, c = counts.first?.count ?? 0
        switch (cell.row == r, cell.column == c) {
        case (false, false): return counts[cell.row][cell.column]
        case (false, true): return counts[cell.row].reduce(0, +)
        case (true, false): return counts.reduce(0) { $0 + $1[cell.column] }
        case (true, true): return counts.reduce(0) { $0 + $1.reduce(0, +) }
        }
    }

    /// The count as published: the number, or nil when it is hidden.
    public func published(_ row: Int, _ column: Int) -> Int? {
        let cell = Cell(row, column)
        return hidden.contains(cell) ? nil : value(cell)
    }

    func allCells(rows r: Int, columns c: Int) -> [Cell] {
        (0...r).flatMap { row in (0...c).map { Cell(row, $0) } }
    }

    /// Every line whose cells add up: rows with their totals, columns with theirs, and both margins.
    public func lines(rows r: Int, columns c: Int) -> [[Cell]] {
        var result: [[Cell]] = []
        for row in 0...r { result.append((0...c).map { Cell(row, $0) }) }
        for column in 0...c { result.append((0...r).map { Cell($0, column) }) }
        return result
    }
}

/// A single published count outside any table: hidden when it is 1 to 4.
public enum SmallCount {
    public static func published(_ n: Int) -> Int? { (1..<SuppressedTable.threshold).contains(n) ? nil : n }
}
