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
