/// Why an expression is not a segment, at the column (1-based, in
/// characters) where the problem starts.
public struct SegmentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var column: Int
    public var message: String

    public init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "column \(column): \(message)" }

    /// The expression with a caret under the column, for terminals.
    public func pointing(at expression: String) -> String {
        "\(expression)\n" + String(repeating: " ", count: max(0, column - 1)) + "^ " + message
    }
}
