import Foundation

/// What happened to one imported row.
public enum RowOutcome: Sendable, Hashable {
    case inserted
    case updated
    case unchanged
    /// Left alone on purpose, not an error: a prospect whose phone is already a member's.
    case skipped(reason: String)
    /// A reference or constraint the row breaks, found against the database.
    case rejected(field: String, reason: String)
}
