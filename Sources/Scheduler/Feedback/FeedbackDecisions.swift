import CoreModel

/// The group's rules for what comes back, as a pure function the store calls
/// inside the transaction that records it: a reply that says stop (or the
/// opt-out key on a marketing call) revokes marketing and surveys and is
/// confirmed once; a key pressed on the reservation call confirms or cancels
/// the booking; `查询 <complaint no>` is answered with the complaint's stage
/// (only to its member's phone); a receipt that says the address does not
/// exist flags the member's contact.
public struct FeedbackDecisions: FeedbackRules {
    public let optOut: OptOutSettings
    /// Put in front of the confirmation SMS (【鸿福楼】).
    public let signature: String
    let matcher: OptOutMatcher
    let complaintQuery: ComplaintQuery

    public init(
        optOut: OptOutSettings = .defaults, signature: String = Brand.defaults.signature,
        complaintQuery: ComplaintQuerySettings = .defaults
    ) {
        self.optOut = optOut
        self.signature = signature
        matcher = OptOutMatcher(optOut)
        self.complaintQuery = ComplaintQuery(settings: complaintQuery, signature: signature)
    }

    /// What an opt-out revokes: everything but service messages.
    public static let optOutCategories: [ConsentCategory] = [.marketing, .survey]

    public func decide(_ inbound: InboundRecord, facts: InboundFacts) -> InboundDecision {
        var kind = inbound.kind
        let key = inbound.body.trimmedWhitespace
        if kind == .reply, matcher.matches(inbound.body) { kind = .optout }
        if kind == .dtmf, let keypad = optOut.keypad, key == keypad, let answered = facts.answered,
            answered.category != .service
        {
            kind = .optout
        }
        var actions: [FeedbackAction] = []
        if kind == .optout || kind == .unsubscribe {
            actions.append(.optOut(optOutAction(inbound, facts: facts, keypad: inbound.kind == .dtmf)))
        }
        if kind == .dtmf, let answered = facts.answered, answered.purpose == AutomationName.reservationCall.purpose,
            let booking = answered.order, booking.stillBooked,
            let status = Self.bookingAnswers[key]
        {
            actions.append(.answerBooking(orderId: booking.orderId, status: status))
        }
        // An opt-out has already turned the kind: stopping wins over a question in the same text.
        if kind == .reply, let number = complaintQuery.asked(in: inbound) {
            actions.append(.reply(complaintQuery.answer(inbound, number: number, complaint: facts.complaint, sender: facts.sender)))
        }
        return InboundDecision(kind: kind, actions: actions)
    }

    public func complaintAsked(in inbound: InboundRecord) -> String? {
        complaintQuery.asked(in: inbound)
    }

    public func decide(_ receipt: ReceiptRecord, facts: ReceiptFacts) -> [FeedbackAction] {
        // Only a receipt the state machine took: a stale or refused one says nothing new about the address.
        guard receipt.addressInvalid, case .applied = facts.transition else { return [] }
        return [
            .flagContact(
                messageId: facts.messageId, reason: receipt.detail ?? "provider reports the address does not exist")
        ]
    }

    /// An SMS or keypad opt-out stops marketing and surveys by SMS and by
    /// voice on that number (one phone, one wish); an email unsubscribe stops
    /// them by email. Phone opt-outs are confirmed by one service SMS.
    private func optOutAction(_ inbound: InboundRecord, facts: InboundFacts, keypad: Bool) -> OptOut {
        let email = inbound.channel == .email
        let source = keypad ? "keypad" : inbound.kind == .unsubscribe ? "unsubscribe_link" : email ? "email_reply" : "sms_reply"
        var confirmation: NewMessage?
        if !email, !inbound.from.isEmpty, let text = optOut.confirmation {
            let reference = inbound.providerMessageId ?? String(inbound.receivedAt.unixMillis)
            confirmation = NewMessage(
                idempotencyKey: "opt-out-confirmation:\(inbound.gateway):\(reference)", purpose: Self.confirmationPurpose,
                channel: .sms, lane: .transactional, category: .service, memberNo: facts.sender?.memberNo,
                address: inbound.from, payload: MessageContent(text: signature + text).json(), maxAttempts: 5)
        }
        return OptOut(
            address: inbound.from, memberId: facts.sender?.memberId, channels: email ? [.email] : [.sms, .voice],
            categories: Self.optOutCategories, source: source, confirmation: confirmation)
    }

    /// The confirmation's `messages.purpose`.
    public static let confirmationPurpose = MessagePurpose.automation("opt_out_confirmation")

    /// The reservation call's keys (template `reservation-call`): 1 confirms, 2 cancels.
    static let bookingAnswers: [String: OrderStatus] = ["1": .confirmed, "2": .cancelled]
}
