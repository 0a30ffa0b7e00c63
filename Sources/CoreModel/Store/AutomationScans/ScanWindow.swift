import Foundation

/// Rows whose time (a reservation's, a visit's, a resolution's) falls in
/// (`from`, `through`], plus rows written since `changedSince` whose time falls
/// in (`earliest`, `through`]: a scan reads what became due since the last one
/// and what an import or another writer added or moved in the meantime.
public struct ScanWindow: Sendable, Hashable {
    public var from: Date
    public var through: Date
    public var earliest: Date
    public var changedSince: Date

    public init(from: Date, through: Date, earliest: Date, changedSince: Date) {
        self.from = from
        self.through = through
        self.earliest = earliest
        self.changedSince = changedSince
    }
}
