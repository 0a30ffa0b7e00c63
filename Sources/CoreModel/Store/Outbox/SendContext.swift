import Foundation

/// What send-time policy needs to know about one leased message, read in one
/// go for a batch: the member's consent for the message's channel and
/// category, the address's standing, open complaints, the member's time zone,
/// recent sends in capped categories, and the order the message is about.
public struct SendContext: Sendable, Hashable {
    public var messageId: Int64
    /// Nil when the message has no member (an ad-hoc `tidings send`).
    public var memberNo: String?
    /// nil: no consent record for (channel, category).
    public var consentGranted: Bool?
    public var blacklisted: Bool
    /// The member's status for the message's channel; `.valid` without a member.
    public var contactStatus: ContactStatus
    public var hasOpenComplaint: Bool
    /// Someone is to call the member back (an open task after a low survey score).
    public var hasOpenFollowUp: Bool
    /// A manager is to call the member first (named in their brief as dormant) until then.
    public var personalCallUntil: Date?
    /// IANA identifier; nil without a member.
    public var timeZone: String?
    /// When the member's other messages of this category were accepted by a
    /// gateway, within the window asked for (empty if the category is not capped).
    public var recentSendTimes: [Date]
    public var order: OrderBinding?

    public init(
        messageId: Int64, memberNo: String? = nil, consentGranted: Bool? = nil, blacklisted: Bool = false, contactStatus: ContactStatus = .valid,
        hasOpenComplaint: Bool = false, hasOpenFollowUp: Bool = false, personalCallUntil: Date? = nil, timeZone: String? = nil,
        recentSendTimes: [Date] = [], order: OrderBinding? = nil
    ) {
        self.messageId = messageId
        self.memberNo = memberNo
        self.consentGranted = consentGranted
        self.blacklisted = blacklisted
        self.contactStatus = contactStatus
        self.hasOpenComplaint = hasOpenComplaint
        self.hasOpenFollowUp = hasOpenFollowUp
        self.personalCallUntil = personalCallUntil
        self.timeZone = timeZone
        self.recentSendTimes = recentSendTimes
        self.order = order
    }
}
