import Foundation

/// What happened to one imported row.
public enum RowOutcome: Sendable, Hashable {
    case inserted
    case updated
    case unchanged
    /// A reference or constraint the row breaks, found against the database.
    case rejected(field: String, reason: String)
}
