import Foundation

/// One ticket of orders sent to a branch for a time slot, as `tidings branch
/// tickets` lists it and the escalation scan reads it.
public struct BranchTicket: Sendable, Hashable, Codable {
    public var id: Int64
    public var branchCode: String
    public var branchName: String
    /// Where an escalation call goes; nil: the branch has no phone.
    public var branchPhone: String?
    public var slotStart: Date
    /// How the ticket went: fax, email or sms.
    public var channel: Channel
    /// The orders on it, by scheduled time.
    public var orderNos: [String]
    /// When it was put in the outbox.
    public var createdAt: Date
    /// The ticket message's status now.
    public var messageStatus: MessageStatus
    public var acknowledgedAt: Date?
    public var acknowledgedBy: TicketAcknowledgement?
    /// When the escalation was decided (with or without a call: a branch without a phone is escalated once, uncalled).
    public var escalatedAt: Date?
    /// The escalation call's status; nil when no call was made.
    public var callStatus: MessageStatus?

    public init(
        id: Int64, branchCode: String, branchName: String, branchPhone: String?, slotStart: Date, channel: Channel,
        orderNos: [String], createdAt: Date, messageStatus: MessageStatus, acknowledgedAt: Date? = nil,
        acknowledgedBy: TicketAcknowledgement? = nil, escalatedAt: Date? = nil, callStatus: MessageStatus? = nil
    ) {
        self.id = id
        self.branchCode = branchCode
        self.branchName = branchName
        self.branchPhone = branchPhone
        self.slotStart = slotStart
        self.channel = channel
        self.orderNos = orderNos
        self.createdAt = createdAt
        self.messageStatus = messageStatus
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.escalatedAt = escalatedAt
        self.callStatus = callStatus
    }

    public var isAcknowledged: Bool { acknowledgedAt != nil }
}
