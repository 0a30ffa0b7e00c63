import Foundation

/// Campaigns as the store keeps them: definitions, lifecycle, fan-out into
/// the outbox, and the messages that belong to them.
public protocol CampaignRecords: Sendable {
    /// Creates a draft, or replaces the definition of a draft of the same name.
    /// A campaign past its draft keeps its definition: that is refused.
    func saveCampaign(name: String, category: ConsentCategory, definition: String, file: String?, actor: String, now: Date)
        async throws -> CampaignRecord

    func campaign(named name: String) async throws -> CampaignRecord?
    func campaign(id: Int64) async throws -> CampaignRecord?
    func campaigns() async throws -> [CampaignRecord]

    /// Applies a lifecycle command (`CampaignLifecycle`) and records it as one
    /// event. Pausing parks the campaign's waiting messages, resuming brings
    /// them back shifted by the pause, cancelling cancels them — in short
    /// transactions, so other writers wait milliseconds, not the whole job.
    func changeCampaign(
        id: Int64, _ command: CampaignAction, startsLater: Bool, actor: String, detail: String?, now: Date
    ) async throws -> CampaignLifecycle.Outcome

    /// Fans one run out into the outbox in chunks (each its own transaction);
    /// a relaunch inserts nothing twice. `progress` is called after each chunk.
    func fanOut(_ plan: FanOutPlan, chunkSize: Int, now: Date, progress: @Sendable (FanOutProgress) -> Void) async throws
        -> FanOutResult

    func campaignProgress(id: Int64) async throws -> CampaignProgress
    /// Its runs and how far their fan-out got (cheap: no message is counted).
    func campaignRuns(id: Int64) async throws -> [CampaignRun]
    /// Whether any of its messages is still to be sent (cheap while one is: it stops at the first).
    func hasUnsentMessages(campaignId: Int64) async throws -> Bool
    /// The time zones members live in (for "at 10:00 in each member's own time zone").
    func memberTimeZones() async throws -> [String]
    func campaignEvents(id: Int64) async throws -> [CampaignEvent]
    func recordCampaignEvent(id: Int64, _ event: CampaignEvent) async throws

    /// Campaigns whose messages must not go now (paused, cancelled, scheduled), by id: the dispatcher holds them.
    func heldCampaigns() async throws -> [Int64: CampaignStatus]

    /// The members that campaign messages go to, by message id, for rendering at send time.
    func campaignRecipients(messageIds: [Int64]) async throws -> [Int64: CampaignRecipient]

    /// Reservations per branch for the evening of `day` (party sizes summed, not cancelled), for branch pacing.
    func bookedSeats(from: Date, to: Date) async throws -> [String: (booked: Int, seats: Int)]
}
