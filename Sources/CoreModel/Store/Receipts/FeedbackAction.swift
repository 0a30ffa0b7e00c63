/// One change to the records that a reply, key press, receipt or unsubscribe
/// causes, executed by the store in the transaction that records it.
public enum FeedbackAction: Sendable, Hashable {
    /// The member no longer wants `category` messages on these channels.
    case revokeConsent(memberId: Int64, channels: [Channel], category: ConsentCategory, source: String)
    /// The guest answered for a booking; applied only while it is still booked.
    case answerBooking(orderId: Int64, status: OrderStatus)
    /// The contact the message went to does not exist: flag it on the member, with the provider's words.
    case flagContact(messageId: Int64, reason: String)
}
