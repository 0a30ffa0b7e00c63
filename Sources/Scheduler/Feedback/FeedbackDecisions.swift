import CoreModel

/// The group's rules for what comes back, as a pure function the store calls
/// inside the transaction that records it: a reply that says stop is an
/// opt-out and revokes marketing; a key pressed on the reservation call
/// confirms or cancels the booking; a receipt that says the address does not
/// exist flags the member's contact.
public struct FeedbackDecisions: FeedbackRules {
    public init() {}

    public func decide(_ inbound: InboundRecord, facts: InboundFacts) -> InboundDecision {
        var kind = inbound.kind
        if kind == .reply, OptOutWords.matches(inbound.body) { kind = .optout }
        var actions: [FeedbackAction] = []
        if let sender = facts.sender, kind == .optout || kind == .unsubscribe {
            // An SMS opt-out stops marketing by SMS and by voice on the same
            // number; an email unsubscribe stops email.
            let channels: [Channel] = inbound.channel == .email ? [.email] : [.sms, .voice]
            actions.append(
                .revokeConsent(
                    memberId: sender.memberId, channels: channels, category: .marketing,
                    source: kind == .optout ? "sms_reply" : "unsubscribe_link"))
        }
        if kind == .dtmf, let answered = facts.answered, answered.purpose == AutomationName.reservationCall.purpose,
            let booking = answered.order, booking.stillBooked,
            let status = Self.bookingAnswers[inbound.body.trimmedWhitespace]
        {
            actions.append(.answerBooking(orderId: booking.orderId, status: status))
        }
        return InboundDecision(kind: kind, actions: actions)
    }

    public func decide(_ receipt: ReceiptRecord, facts: ReceiptFacts) -> [FeedbackAction] {
        // Only a receipt the state machine took: a stale or refused one says nothing new about the address.
        guard receipt.addressInvalid, case .applied = facts.transition else { return [] }
        return [
            .flagContact(
                messageId: facts.messageId, reason: receipt.detail ?? "provider reports the address does not exist")
        ]
    }

    /// The reservation call's keys (template `reservation-call`): 1 confirms, 2 cancels.
    static let bookingAnswers: [String: OrderStatus] = ["1": .confirmed, "2": .cancelled]
}
