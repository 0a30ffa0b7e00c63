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

    /// Inbound texts and keys (replies, opt-outs…; survey answers are among them) received per hour in [`from`, `to`).
    func receivedPerHour(from: Date, to: Date) async throws -> [Date: Int]

    /// Receipt times by gateway, of messages created in [`from`, `to`).
    func receiptLatency(from: Date, to: Date) async throws -> [LatencyCount]

    /// Each branch's orders, deliveries, complaints, survey answers and
    /// apologies by hour (see `BranchFigure`), for hours in [`from`, `to`);
    /// one branch's only with `branchCode`.
    func branchCounts(from: Date, to: Date, branchCode: String?) async throws -> [BranchCount]

    /// Members' contacts invalid or bounced, of members flagged or changed
    /// since `since`: counted by kind, status and reason, the `limit` changed last listed.
    func contactsToFix(since: Date, limit: Int) async throws -> ContactsToFix

    /// Members who moved into RFM `at_risk` or `lost` in [`from`, `to`), by
    /// the manager who owned them then (a member counted once per segment).
    func churn(from: Date, to: Date) async throws -> [ChurnCount]

    /// Per manager (staff number) over [`from`, `to`): members assigned and
    /// handed away, tasks open now and closed, briefs and personal calls.
    func managerActivity(from: Date, to: Date) async throws -> [String: ManagerActivity]

    /// How often each gateway's breaker opened in [`from`, `to`).
    func breakerOpenings(from: Date, to: Date) async throws -> [String: Int]
}
