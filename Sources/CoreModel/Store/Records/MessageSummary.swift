import Foundation

/// One outbox message as a search lists it: what, to whom, where it is (no payload).
public struct MessageSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var memberNo: String?
    public var campaign: String?
    public var variant: String?
    /// `MessagePurpose.rawValue` (`campaign`, `single`, `automation:<name>`); nil for rows older than the column.
    public var purpose: String?
    public var channel: Channel
    public var lane: Lane
    public var category: ConsentCategory
    public var address: String
    public var template: String?
    public var status: MessageStatus
    public var reason: String?
    public var gateway: String?
    public var attempts: Int
    public var createdAt: Date
    public var submittedAt: Date?
    public var finalAt: Date?

    public init(
        id: Int64, memberNo: String?, campaign: String?, variant: String?, purpose: String?, channel: Channel,
        lane: Lane, category: ConsentCategory, address: String, template: String?, status: MessageStatus,
        reason: String?, gateway: String?, attempts: Int, createdAt: Date, submittedAt: Date?, finalAt: Date?
    ) {
        self.id = id
        self.memberNo = memberNo
        self.campaign = campaign
        self.variant = variant
        self.purpose = purpose
        self.channel = channel
        self.lane = lane
        self.category = category
        self.address = address
        self.template = template
        self.status = status
        self.reason = reason
        self.gateway = gateway
        self.attempts = attempts
        self.createdAt = createdAt
        self.submittedAt = submittedAt
        self.finalAt = finalAt
    }
}
