import CoreModel
import Foundation

/// What the dispatcher asks about campaign messages (the Campaigns module
/// answers): their content, rendered at send time for the member as they
/// are then, and whether they may go now — a paused or cancelled campaign,
/// a closed send window, a branch that is full tonight.
public protocol CampaignGate: Sendable {
    /// For each campaign message of a leased batch: send this content, or settle it now.
    func prepare(_ messages: [OutboxMessage], now: Date) async -> [Int64: CampaignVerdict]

    /// Checked again just before a message is handed to a gateway (cheap, from
    /// memory): a pause stops what is already leased, within the gate's refresh.
    func hold(campaignId: Int64, now: Date) -> MessageEvent?
}

public enum CampaignVerdict: Sendable, Hashable {
    case send(MessageContent)
    case settle(MessageEvent)
}
