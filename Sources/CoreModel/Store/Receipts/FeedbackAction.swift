/// One change to the records that a reply, key press, receipt or unsubscribe
/// causes, executed by the store in the transaction that records it.
public enum FeedbackAction: Sendable, Hashable {
    /// Someone said stop: revoke these categories on these channels.
    case optOut(OptOut)
    /// The guest answered for a booking; applied only while it is still booked.
    case answerBooking(orderId: Int64, status: OrderStatus)
    /// The contact the message went to does not exist: flag it on the member, with the provider's words.
    case flagContact(messageId: Int64, reason: String)
    /// Answer the sender (a complaint's stage): put the message in the outbox; its key makes it one per inbound.
    case reply(NewMessage)
    /// A member answered a survey (a reply or a key press): a `survey_responses` row, perhaps a follow-up task.
    case answerSurvey(SurveyAnswer)
    /// A branch confirmed an order ticket: the ticket whose message (a fax
    /// receipt) or escalation call (a key press) this is; the first acknowledgement stays.
    case acknowledgeTicket(messageId: Int64, by: TicketAcknowledgement)
}

/// An opt-out as the rules decided it. The store revokes it for every member
/// whose contact is `address` (and the member the answered message went to),
/// or, when no member has the address, for the address itself; each
/// revocation is a consent-ledger entry whose evidence is the inbound
/// message. The confirmation goes out only when something was revoked, so a
/// repeated 退订 is answered once.
public struct OptOut: Sendable, Hashable {
    /// The sender, normalised (E.164 or email).
    public var address: String
    /// The member the answered message went to, if the provider linked one.
    public var memberId: Int64?
    public var channels: [Channel]
    public var categories: [ConsentCategory]
    /// sms_reply, keypad, unsubscribe_link…
    public var source: String
    /// Put in the outbox when something was revoked; its idempotency key makes it one per opt-out.
    public var confirmation: NewMessage?

    public init(
        address: String, memberId: Int64?, channels: [Channel], categories: [ConsentCategory], source: String,
        confirmation: NewMessage? = nil
    ) {
        self.address = address
        self.memberId = memberId
        self.channels = channels
        self.categories = categories
        self.source = source
        self.confirmation = confirmation
    }
}
