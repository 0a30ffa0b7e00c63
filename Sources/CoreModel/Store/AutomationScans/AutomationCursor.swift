import Foundation

/// Where an automation has read up to: a row id with its gaps (row-following
/// automations), or a time or month (scans). Positions only move forward.
public struct AutomationCursor: Sendable, Hashable {
    public var name: String
    public var position: Int64
    /// Id ranges passed without a row yet (see `RowCursor`); empty for scans.
    public var gaps: [RowCursor.Gap]

    public init(name: String, position: Int64, gaps: [RowCursor.Gap] = []) {
        self.name = name
        self.position = position
        self.gaps = gaps
    }

    public init(name: String, rows: RowCursor) {
        self.init(name: name, position: rows.position, gaps: rows.gaps)
    }

    public var rows: RowCursor { RowCursor(position: position, gaps: gaps) }
}
