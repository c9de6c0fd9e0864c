import Workflow

/// The report as published: sections of tables and charts, with every count from 1 to 4 already
/// hidden. One document, rendered as HTML, Markdown, CSV or JSON.
public struct ReportDocument: Sendable {
    public enum Cell: Sendable, Hashable {
        case text(String)
        /// A number and how it is written for people ("87 %", "12").
        case number(Double, String)
        /// A count from 1 to 4, hidden.
        case suppressed
        /// A table cell hidden so that a small count cannot be worked out from the totals (it may be
        /// small or large).
        case hidden

        public func display(_ language: Language) -> String {
            switch self {
            case .text(let s): s
            case .number(_, let s): s
            case .suppressed: "<5"
            case .hidden: language == .sv ? "dolt" : "hidden"
            }
        }
    }

    public struct Table: Sendable {
        public var title: LocalizedText?
        public var headers: [LocalizedText]
        public var rows: [[Cell]]
        /// Rows that are totals (drawn in bold).
        public var totalRows: Set<Int> = []
        /// Rows made one at a time as the table is written out, after `rows`, never all held at once:
        /// the report's row per case chain (a report over 100,000 cases has 100,000).
        public var streamed: StreamedRows? = nil

        public var rowCount: Int { rows.count + (streamed?.count ?? 0) }

        /// Every row in turn with its number: `rows`, then the streamed ones.
        public func forEachRow(_ body: (Int, [Cell]) throws -> Void) throws {
            for (i, row) in rows.enumerated() { try body(i, row) }
            var i = rows.count
            try streamed?.each { row in
                try body(i, row)
                i += 1
            }
        }

        /// Every row, the streamed ones made (for tests and small reports).
        public func allRows() throws -> [[Cell]] {
            var result: [[Cell]] = []
            try forEachRow { _, row in result.append(row) }
            return result
        }
    }

    /// Rows made when they are written out.
    public struct StreamedRows: Sendable {
        public var count: Int
        public var each: @Sendable (_ body: ([Cell]) throws -> Void) throws -> Void

        public init(count: Int, each: @escaping @Sendable (_ body: ([Cell]) throws -> Void) throws -> Void) {
            self.count = count
            self.each = each
        }
    }

    public struct Bar: Sendable {
        public var label: String
        public var value: Double?
        public var note: String?
    }

    public struct Chart: Sendable {
        public var title: LocalizedText
        public var bars: [Bar]
        /// A line drawn across the bars (a threshold), 0–100.
        public var marks: [Double?] = []
    }

    public struct Section: Sendable {
        public var id: String
        public var title: LocalizedText
        public var intro: LocalizedText?
        public var tables: [Table] = []
        public var charts: [Chart] = []
    }

    public var title: LocalizedText
    public var facts: [(LocalizedText, String)]
    public var headline: (percent: String, band: LocalizedText?)
    public var sections: [Section]
    public var language: Language
}
