/// A row left alone on purpose, and why (not an error: the import succeeds).
public struct RowSkip: Sendable, Hashable, Codable, CustomStringConvertible {
    public var row: Int
    public var reason: String

    public init(row: Int, reason: String) {
        self.row = row
        self.reason = reason
    }

    public var description: String { "row \(row): skipped, \(reason)" }
}
