import Foundation

/// Follows the rows of a table by id without skipping one that commits late.
///
/// With many writers ids do not commit in order (PostgreSQL hands out
/// sequence values at insert, so id 10 may become visible after id 11 has
/// been read): a plain "after id N" cursor would skip it. This cursor keeps
/// the ranges it passed without seeing a row — gaps — and reads them again on
/// every page until a row shows up there or the gap is older than `patience`
/// (a transaction open that long is taken as rolled back). A pure value: the
/// store reads `position` and `gaps`, the scanner advances it.
public struct RowCursor: Sendable, Hashable {
    /// Ids from `low` through `high` not seen yet; first noticed at `since`.
    public struct Gap: Sendable, Hashable {
        public var low: Int64
        public var high: Int64
        public var since: Date

        public init(low: Int64, high: Int64, since: Date) {
            self.low = low
            self.high = high
            self.since = since
        }
    }

    /// The highest id read.
    public var position: Int64
    /// Ascending, disjoint, all below `position`.
    public var gaps: [Gap]

    /// Most gaps kept; beyond it the oldest are given up (a pathological id jump, not commit order).
    public static let maxGaps = 1_000

    public static let start = RowCursor(position: 0, gaps: [])

    public init(position: Int64, gaps: [Gap] = []) {
        self.position = position
        self.gaps = gaps
    }

    /// The cursor after a page: `ids` are what the page returned, ascending
    /// (rows found in gaps, then rows past `position`), at most `limit`. A full
    /// page examined ids only up to its last one; the rest waits for the next page.
    public func advanced(over ids: [Int64], limit: Int, now: Date, patience: TimeInterval) -> RowCursor {
        let examinedThrough = ids.count >= limit ? (ids.last ?? position) : Int64.max
        var remaining: [Gap] = []
        for gap in gaps {
            let examined = min(gap.high, examinedThrough)
            // Only a part this page read may be given up: an unread tail waits for its page.
            if gap.low <= examined, now.timeIntervalSince(gap.since) <= patience {
                remaining += Self.unseen(gap.low, examined, ids, since: gap.since)
            }
            if examined < gap.high { remaining.append(Gap(low: max(gap.low, examined + 1), high: gap.high, since: gap.since)) }
        }
        let newer = ids.filter { $0 > position }
        let next = newer.last ?? position
        if next > position + 1 {
            remaining += Self.unseen(position + 1, next - 1, newer, since: now)
        }
        if remaining.count > Self.maxGaps { remaining.removeFirst(remaining.count - Self.maxGaps) }
        return RowCursor(position: max(position, next), gaps: remaining)
    }

    /// The parts of `low…high` that hold none of `seen` (ascending).
    private static func unseen(_ low: Int64, _ high: Int64, _ seen: [Int64], since: Date) -> [Gap] {
        var gaps: [Gap] = []
        var from = low
        for id in seen where id >= low && id <= high {
            if id > from { gaps.append(Gap(low: from, high: id - 1, since: since)) }
            from = id + 1
        }
        if from <= high { gaps.append(Gap(low: from, high: high, since: since)) }
        return gaps
    }
}
