import Foundation

/// Prospects who became members after a campaign last reached them: what
/// `campaign show` reports as the campaign's conversions.
public struct CampaignConversions: Sendable, Hashable, Codable {
    public var campaignId: Int64
    public var count: Int
    /// By the variant of the message that last reached them ("" when it had none).
    public var byVariant: [String: Int]
    /// What the converting orders came to (conversions by `import members` have no order).
    public var amountFen: Int
    public var first: Date?
    public var last: Date?

    public init(campaignId: Int64, count: Int, byVariant: [String: Int], amountFen: Int, first: Date?, last: Date?) {
        self.campaignId = campaignId
        self.count = count
        self.byVariant = byVariant
        self.amountFen = amountFen
        self.first = first
        self.last = last
    }
}
