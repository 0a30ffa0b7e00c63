import CoreModel
import Scheduler
import Testing

/// What comes back, decided without a database: the facts go in, the kind
/// stored and the actions come out.
struct FeedbackDecisionsTests {
    static let sender = InboundFacts.Sender(memberId: 7, memberNo: "M7")

    static func answered(
        _ purpose: MessagePurpose?, channel: Channel = .voice, order: InboundFacts.Booking? = nil
    ) -> InboundFacts.Answered {
        InboundFacts.Answered(messageId: 42, channel: channel, purpose: purpose, category: .service, order: order)
    }

    static let booked = InboundFacts.Booking(orderId: 9, status: .booked, stillBooked: true)
    static let seated = InboundFacts.Booking(orderId: 9, status: .seated, stillBooked: false)
    static let call = MessagePurpose.automation("reservation_call")

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var channel: Channel = .sms
        var kind: InboundRecord.Kind
        var body: String
        var facts: InboundFacts
        var expected: InboundDecision
        var testDescription: String { name }
    }

    static let smsOptOut = FeedbackAction.revokeConsent(
        memberId: 7, channels: [.sms, .voice], category: .marketing, source: "sms_reply")

    static let cases: [Case] = [
        Case(
            name: "a reply is a reply", kind: .reply, body: "谢谢，菜很好吃",
            facts: InboundFacts(sender: sender, answered: nil), expected: InboundDecision(kind: .reply)),
        Case(
            name: "退订 opts out of marketing by SMS and voice", kind: .reply, body: " 退订 ",
            facts: InboundFacts(sender: sender, answered: nil),
            expected: InboundDecision(kind: .optout, actions: [smsOptOut])),
        Case(
            name: "td in any case opts out", kind: .reply, body: "td",
            facts: InboundFacts(sender: sender, answered: nil),
            expected: InboundDecision(kind: .optout, actions: [smsOptOut])),
        Case(
            name: "an opt-out from an unknown number revokes nothing", kind: .reply, body: "STOP",
            facts: InboundFacts(sender: nil, answered: nil), expected: InboundDecision(kind: .optout)),
        Case(
            name: "a survey score is not an opt-out", kind: .reply, body: "5",
            facts: InboundFacts(sender: sender, answered: answered(.automation("revisit_survey"), channel: .sms)),
            expected: InboundDecision(kind: .reply)),
        Case(
            name: "an email unsubscribe stops email only", channel: .email, kind: .unsubscribe, body: "",
            facts: InboundFacts(sender: sender, answered: nil),
            expected: InboundDecision(
                kind: .unsubscribe,
                actions: [
                    .revokeConsent(memberId: 7, channels: [.email], category: .marketing, source: "unsubscribe_link")
                ])),
        Case(
            name: "1 on the reservation call confirms", channel: .voice, kind: .dtmf, body: "1",
            facts: InboundFacts(sender: sender, answered: answered(call, order: booked)),
            expected: InboundDecision(kind: .dtmf, actions: [.answerBooking(orderId: 9, status: .confirmed)])),
        Case(
            name: "2 on the reservation call cancels", channel: .voice, kind: .dtmf, body: "2",
            facts: InboundFacts(sender: sender, answered: answered(call, order: booked)),
            expected: InboundDecision(kind: .dtmf, actions: [.answerBooking(orderId: 9, status: .cancelled)])),
        Case(
            name: "another key on the call does nothing", channel: .voice, kind: .dtmf, body: "9",
            facts: InboundFacts(sender: sender, answered: answered(call, order: booked)),
            expected: InboundDecision(kind: .dtmf)),
        Case(
            name: "a key after the guest was seated does nothing", channel: .voice, kind: .dtmf, body: "2",
            facts: InboundFacts(sender: sender, answered: answered(call, order: seated)),
            expected: InboundDecision(kind: .dtmf)),
        Case(
            name: "a key on another call does nothing", channel: .voice, kind: .dtmf, body: "2",
            facts: InboundFacts(sender: sender, answered: answered(.automation("revisit_survey"), order: booked)),
            expected: InboundDecision(kind: .dtmf)),
        Case(
            name: "a key on a message from before purposes does nothing", channel: .voice, kind: .dtmf, body: "2",
            facts: InboundFacts(sender: sender, answered: answered(nil, order: booked)),
            expected: InboundDecision(kind: .dtmf)),
        Case(
            name: "a reply 2 to the reminder SMS is not a key press", kind: .reply, body: "2",
            facts: InboundFacts(
                sender: sender, answered: answered(.automation("reservation_reminder"), channel: .sms, order: booked)),
            expected: InboundDecision(kind: .reply)),
    ]

    @Test(arguments: ["T", "td", " 退订 ", "STOP", "Unsubscribe", "退订回T", "\u{3000}退订"])
    func optOutWords(_ text: String) {
        let reply = InboundRecord(
            channel: .sms, kind: .reply, from: "+8613800000007", to: nil, body: text, gateway: "g")
        #expect(FeedbackDecisions().decide(reply, facts: InboundFacts(sender: nil, answered: nil)).kind == .optout)
    }

    @Test(arguments: cases)
    func inbound(_ test: Case) {
        let inbound = InboundRecord(
            channel: test.channel, kind: test.kind, from: "+8613800000007", to: nil, body: test.body, gateway: "g")
        #expect(FeedbackDecisions().decide(inbound, facts: test.facts) == test.expected)
    }

    @Test(arguments: [
        (true, MessageTransitionResult.applied(from: .submitted, to: .failed), true),
        (true, .refused(.init(from: .delivered, event: "receipt")), false),
        (true, .notFound, false),
        (false, .applied(from: .submitted, to: .failed), false),
    ])
    func aReceiptFlagsTheContactOnlyWhenItSaysSoAndWasTaken(
        invalid: Bool, transition: MessageTransitionResult, flags: Bool
    ) {
        let receipt = ReceiptRecord(
            messageId: 42, gateway: "g", outcome: .failed, detail: "空号", addressInvalid: invalid)
        let actions = FeedbackDecisions().decide(receipt, facts: ReceiptFacts(messageId: 42, transition: transition))
        #expect(actions == (flags ? [.flagContact(messageId: 42, reason: "空号")] : []))
    }
}
