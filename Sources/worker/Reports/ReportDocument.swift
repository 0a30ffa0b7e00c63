import Foundation

/// A report as every output shows it: the terminal table, `--csv`, the
/// self-contained HTML file (`--html`), the admin API's JSON and the web
/// console all render this one value, so they cannot disagree. A report is
/// built once from the rolled-up counts; renderers never compute figures.
struct ReportDocument: Encodable, Sendable {
    /// `campaign`, `gateways`, `volumes`, `branch`, …: what the console's renderer keys on.
    var kind: String
    var title: String
    /// One line under the title: the window, a campaign's status.
    var subtitle: String?
    var sections: [ReportSection]

    /// The section `--csv` prints: the first one with rows.
    var main: ReportSection? { sections.first { !$0.columns.isEmpty } }
}

/// A heading with a table, its charts and notes (any may be empty).
struct ReportSection: Encodable, Sendable {
    /// Stable key for the API and the console (`variants`, `reasons`, `by_hour`).
    var id: String
    var heading: String
    var columns: [ReportColumn] = []
    var rows: [[ReportValue]] = []
    var charts: [ReportChart] = []
    /// Lines printed after the table (reasons, caveats).
    var notes: [String] = []

    init(id: String, heading: String, columns: [ReportColumn] = [], rows: [[ReportValue]] = [], charts: [ReportChart] = [],
         notes: [String] = []) {
        self.id = id
        self.heading = heading
        self.columns = columns
        self.rows = rows
        self.charts = charts
        self.notes = notes
    }

    /// The header as the terminal and CSV print it.
    var titles: [String] { columns.map(\.title) }

    /// The rows as the terminal and CSV print them.
    var textRows: [[String]] { rows.map { $0.map(\.text) } }

    enum CodingKeys: String, CodingKey { case id, heading, columns, rows, charts, notes }

    /// Rows go out as objects keyed by column key (numbers as numbers), with
    /// `columns` giving their order and titles.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(heading, forKey: .heading)
        try c.encode(columns, forKey: .columns)
        let objects = rows.map { row in
            Dictionary(zip(columns.map(\.key), row), uniquingKeysWith: { first, _ in first })
        }
        try c.encode(objects, forKey: .rows)
        try c.encode(charts, forKey: .charts)
        try c.encode(notes, forKey: .notes)
    }
}

struct ReportColumn: Encodable, Sendable, Equatable {
    /// snake_case key of the API's row objects.
    var key: String
    /// The header the terminal, CSV and HTML print.
    var title: String

    init(_ key: String, _ title: String) {
        self.key = key
        self.title = title
    }
}

/// One cell: a number the JSON keeps as a number and the text outputs format.
enum ReportValue: Encodable, Sendable, Equatable {
    case count(Int)
    /// A number printed with `decimals` places (yuan, scores).
    case amount(Double, decimals: Int)
    /// A fraction printed as a percentage with one decimal.
    case percent(Double)
    /// A difference of two fractions, printed in percentage points with its sign (`+1.2 pt`).
    case points(Double)
    case text(String)
    /// No figure (a rate of nothing): `-` in text, null in JSON.
    case none

    var text: String {
        switch self {
        case .count(let n): String(n)
        case .amount(let x, let decimals): String(format: "%.\(decimals)f", x)
        case .percent(let x): String(format: "%.1f%%", x * 100)
        case .points(let x): String(format: "%+.1f pt", x * 100)
        case .text(let s): s
        case .none: "-"
        }
    }

    /// The figure charts plot (0 where there is none).
    var number: Double {
        switch self {
        case .count(let n): Double(n)
        case .amount(let x, _), .percent(let x), .points(let x): x
        case .text, .none: 0
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .count(let n): try c.encode(n)
        case .amount(let x, _), .percent(let x), .points(let x): try c.encode(x)
        case .text(let s): try c.encode(s)
        case .none: try c.encodeNil()
        }
    }
}

/// A chart drawn from figures the report already holds: bars (grouped by
/// series), lines over ordered labels, or a funnel (one series, each step a
/// part of the one before).
struct ReportChart: Encodable, Sendable {
    enum Kind: String, Encodable, Sendable { case bars, lines, funnel }

    var kind: Kind
    var title: String
    /// The x axis (bars, lines) or the steps (funnel).
    var labels: [String]
    var series: [Series]
    /// What the values count (`messages`, `yuan`), for the axis.
    var unit: String

    struct Series: Encodable, Sendable {
        var name: String
        var values: [Double]
    }
}
