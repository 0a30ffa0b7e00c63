import CoreModel

/// The consent category a campaign sends under.
public enum CampaignCategory: String, Sendable, Codable, CaseIterable {
    case marketing
    case service
}
