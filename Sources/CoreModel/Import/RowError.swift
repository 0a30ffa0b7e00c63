/// One rejected row: where (row, column) and why.
public struct RowError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based row in the file as a spreadsheet counts it (header = row 1) or
    /// the line of a JSON Lines file.
    public var row: Int
    public var column: String
    public var reason: String

    public init(row: Int, column: String, reason: String) {
        self.row = row
        self.column = column
        self.reason = reason
    }

    public var description: String { "row \(row), column \(column): \(reason)" }
}

/// A problem with the file as a whole; nothing is imported.
public struct ImportFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}
