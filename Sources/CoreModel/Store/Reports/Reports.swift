import Foundation

/// The reports' figures, read from counts rolled up as messages change state
/// (by the hour each message was created: campaign × variant × purpose ×
/// channel × status, with reasons; accepted sends, receipt times, segments
/// and cost), never by scanning `messages`. New messages and their event rows
/// are folded in by `foldRollups`, in order and exactly once (each fold
/// moves its cursors in the transaction that adds its counts); bulk changes
/// that write no event row per message (a campaign's cancellation) adjust the
/// counts themselves, in their own transaction.
public protocol Reports: Sendable {
    /// Folds up to `limit` new messages and `limit` new event rows into the counts.
    func foldRollups(limit: Int) async throws -> RollupFold

    /// A campaign's figures by variant (`-` for none); fold first for the latest.
    func campaignFigures(campaignId: Int64) async throws -> [String: VariantFigures]

    /// A campaign's members by arm, and those who ordered within `days` (1…`CampaignOrders.maxDays`) of being chosen.
    func campaignOrders(campaignId: Int64, days: Int) async throws -> CampaignOrders

    /// Events by hour, gateway, channel and kind, for hours in [`from`, `to`).
    func eventCounts(from: Date, to: Date) async throws -> [EventCount]

    /// Receipt times by gateway, of messages created in [`from`, `to`).
    func receiptLatency(from: Date, to: Date) async throws -> [LatencyCount]
}
