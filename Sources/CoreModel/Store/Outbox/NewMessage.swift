import Foundation

/// A message to put in the outbox, with what it is about: scans, reports and
/// inbound rules read `purpose`, the order, complaint and campaign from their
/// columns; the idempotency key only identifies.
public struct NewMessage: Sendable, Hashable {
    public var idempotencyKey: String
    public var purpose: MessagePurpose
    public var channel: Channel
    public var lane: Lane
    public var category: ConsentCategory
    public var priority: Int
    public var memberNo: String?
    public var address: String
    public var template: String?
    public var locale: String?
    /// The rendered content (JSON text: body, subject, html…).
    public var payload: String
    public var notBefore: Date?
    public var expiresAt: Date?
    public var maxAttempts: Int
    /// Send through this gateway rather than the channel's first.
    public var gateway: String?
    /// The order (reservation, delivery) the message is about: re-checked at send time.
    public var orderNo: String?
    /// The order's scheduled time the message was written for; if the order
    /// moves, the message is dropped at send time.
    public var boundAt: Date?
    /// The complaint the message is about (a revisit survey after its resolution).
    public var complaintNo: String?
    /// The campaign and variant (A, B…) the message belongs to.
    public var campaignId: Int64?
    public var variant: String?

    public init(
        idempotencyKey: String, purpose: MessagePurpose, channel: Channel, lane: Lane, category: ConsentCategory,
        priority: Int = 0, memberNo: String? = nil, address: String, template: String? = nil, locale: String? = nil,
        payload: String, notBefore: Date? = nil, expiresAt: Date? = nil, maxAttempts: Int = 5, gateway: String? = nil,
        orderNo: String? = nil, boundAt: Date? = nil, complaintNo: String? = nil, campaignId: Int64? = nil,
        variant: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.purpose = purpose
        self.channel = channel
        self.lane = lane
        self.category = category
        self.priority = priority
        self.memberNo = memberNo
        self.address = address
        self.template = template
        self.locale = locale
        self.payload = payload
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.maxAttempts = maxAttempts
        self.gateway = gateway
        self.orderNo = orderNo
        self.boundAt = boundAt
        self.complaintNo = complaintNo
        self.campaignId = campaignId
        self.variant = variant
    }
}
