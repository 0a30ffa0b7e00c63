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
    static let marketingCall = InboundFacts.Answered(
        messageId: 43, channel: .voice, purpose: .campaign, category: .marketing, order: nil)
    static let surveyCall = InboundFacts.Answered(
        messageId: 44, channel: .voice, purpose: .automation("revisit_survey"), category: .survey, order: nil)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var channel: Channel = .sms
        var kind: InboundRecord.Kind
        var body: String
        var facts: InboundFacts
        var expected: InboundDecision
        var testDescription: String { name }
    }

    /// An opt-out by phone (SMS and voice, marketing and surveys) from the test's sender number.
    static func phoneOptOut(memberId: Int64? = 7, source: String = "sms_reply") -> FeedbackAction {
        .optOut(
            OptOut(
                address: "+8613800000007", memberId: memberId, channels: [.sms, .voice], categories: [.marketing, .survey],
                source: source))
    }

    static let smsOptOut = phoneOptOut()

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
            name: "an opt-out from an unknown number is kept for the number", kind: .reply, body: "STOP",
            facts: InboundFacts(sender: nil, answered: nil),
            expected: InboundDecision(kind: .optout, actions: [phoneOptOut(memberId: nil)])),
        Case(
            name: "退订！ with punctuation opts out", kind: .reply, body: "退订！",
            facts: InboundFacts(sender: sender, answered: nil),
            expected: InboundDecision(kind: .optout, actions: [smsOptOut])),
        Case(
            name: "a short reply containing 退订 opts out", kind: .reply, body: "退订，谢谢",
            facts: InboundFacts(sender: sender, answered: nil),
            expected: InboundDecision(kind: .optout, actions: [smsOptOut])),
        Case(
            name: "full-width ＴＤ opts out", kind: .reply, body: "ＴＤ",
            facts: InboundFacts(sender: sender, answered: nil),
            expected: InboundDecision(kind: .optout, actions: [smsOptOut])),
        Case(
            name: "N is an answer, not an opt-out", kind: .reply, body: "N",
            facts: InboundFacts(sender: sender, answered: nil), expected: InboundDecision(kind: .reply)),
        Case(
            name: "不要退订 says the opposite", kind: .reply, body: "不要退订",
            facts: InboundFacts(sender: sender, answered: nil), expected: InboundDecision(kind: .reply)),
        Case(
            name: "a long message that mentions 退订 is for a person to read", kind: .reply,
            body: "请问退订以后我的会员积分还能继续使用吗",
            facts: InboundFacts(sender: sender, answered: nil), expected: InboundDecision(kind: .reply)),
        Case(
            name: "9 on a marketing call opts out", channel: .voice, kind: .dtmf, body: "9",
            facts: InboundFacts(sender: sender, answered: marketingCall),
            expected: InboundDecision(kind: .optout, actions: [phoneOptOut(source: "keypad")])),
        Case(
            name: "9 on a survey call opts out", channel: .voice, kind: .dtmf, body: "9",
            facts: InboundFacts(sender: sender, answered: surveyCall),
            expected: InboundDecision(kind: .optout, actions: [phoneOptOut(source: "keypad")])),
        Case(
            name: "3 on a marketing call is not the opt-out key", channel: .voice, kind: .dtmf, body: "3",
            facts: InboundFacts(sender: sender, answered: marketingCall), expected: InboundDecision(kind: .dtmf)),
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
                    .optOut(
                        OptOut(
                            address: "+8613800000007", memberId: 7, channels: [.email], categories: [.marketing, .survey],
                            source: "unsubscribe_link"))
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

    @Test(arguments: [
        "T", "td", " 退订 ", "STOP", "Unsubscribe", "退订回T", "\u{3000}退订", "退订。", "【退订】", "ＳＴＯＰ", "stop!!",
        "取消订阅", "请帮我退订", "T D", "退订🙏",
    ])
    func optOutWords(_ text: String) {
        let reply = InboundRecord(
            channel: .sms, kind: .reply, from: "+8613800000007", to: nil, body: text, gateway: "g")
        #expect(FeedbackDecisions().decide(reply, facts: InboundFacts(sender: nil, answered: nil)).kind == .optout)
    }

    @Test(arguments: ["N", "n", "NO", "5", "好的", "不退订", "别退订了", "TT", "STOPPED", "", "  ", "退", "谢谢，不用了"])
    func notOptOutWords(_ text: String) {
        let reply = InboundRecord(
            channel: .sms, kind: .reply, from: "+8613800000007", to: nil, body: text, gateway: "g")
        #expect(FeedbackDecisions().decide(reply, facts: InboundFacts(sender: nil, answered: nil)).kind == .reply)
    }

    /// The operator's words replace the defaults; the checks refuse words that would swallow answers.
    @Test func keywordsComeFromTheConfig() {
        var settings = OptOutSettings.defaults
        settings.keywords = ["BAIBAI"]
        settings.containing = []
        let rules = FeedbackDecisions(optOut: settings)
        func kind(_ text: String) -> InboundRecord.Kind {
            rules.decide(
                InboundRecord(channel: .sms, kind: .reply, from: "+8613800000007", to: nil, body: text, gateway: "g"),
                facts: InboundFacts(sender: nil, answered: nil)
            ).kind
        }
        #expect(kind("baibai!") == .optout)
        #expect(kind("退订") == .reply)
        settings.keywords = ["N", "3", "退订"]
        settings.keypad = "1"
        #expect(settings.issues(path: ["opt_out"]).map(\.keyPath) == ["opt_out.keywords[0]", "opt_out.keywords[1]", "opt_out.keypad"])
        #expect(OptOutSettings.defaults.issues(path: ["opt_out"]).isEmpty)
    }

    /// One confirmation per opt-out, keyed by the inbound message, signed with the brand.
    @Test func anSMSOptOutCarriesOneSignedConfirmation() throws {
        let reply = InboundRecord(
            channel: .sms, kind: .reply, from: "+8613800000007", to: nil, body: "退订", gateway: "kannel",
            providerMessageId: "mo-9")
        let decision = FeedbackDecisions(signature: "【鸿福楼】").decide(reply, facts: InboundFacts(sender: Self.sender, answered: nil))
        guard case .optOut(let optOut) = try #require(decision.actions.first) else {
            Issue.record("not an opt-out: \(decision)")
            return
        }
        let confirmation = try #require(optOut.confirmation)
        #expect(confirmation.idempotencyKey == "opt-out-confirmation:kannel:mo-9")
        #expect(confirmation.category == .service && confirmation.channel == .sms && confirmation.address == "+8613800000007")
        #expect(confirmation.payload.contains("【鸿福楼】您已成功退订"))
        let unsubscribe = InboundRecord(
            channel: .email, kind: .unsubscribe, from: "a@example.com", to: nil, body: "", gateway: "mail")
        let email = FeedbackDecisions().decide(unsubscribe, facts: InboundFacts(sender: Self.sender, answered: nil))
        #expect(email.actions.allSatisfy { if case .optOut(let o) = $0 { o.confirmation == nil } else { false } })
    }

    @Test(arguments: cases)
    func inbound(_ test: Case) {
        let inbound = InboundRecord(
            channel: test.channel, kind: test.kind, from: "+8613800000007", to: nil, body: test.body, gateway: "g")
        #expect(FeedbackDecisions().decide(inbound, facts: test.facts).withoutConfirmations == test.expected)
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

    /// A branch ticket is acknowledged by 1 pressed on its call, or by its fax's
    /// delivered receipt; nothing else counts.
    @Test func aBranchTicketIsAcknowledgedByTheKeyOnItsCallOrItsFaxReceipt() {
        let ticket = MessagePurpose.automation("branch_ticket")
        func press(
            _ key: String, kind: InboundRecord.Kind = .dtmf, on answered: InboundFacts.Answered
        ) -> [FeedbackAction] {
            let inbound = InboundRecord(
                channel: answered.channel, kind: kind, from: "+862088880001", to: nil, body: key, gateway: "g")
            return FeedbackDecisions().decide(inbound, facts: InboundFacts(sender: nil, answered: answered)).actions
        }
        #expect(press("1", on: Self.answered(ticket)) == [.acknowledgeTicket(messageId: 42, by: .keypad)])
        #expect(press(" 1 ", on: Self.answered(ticket)) == [.acknowledgeTicket(messageId: 42, by: .keypad)])
        #expect(press("2", on: Self.answered(ticket)).isEmpty)
        #expect(press("1", kind: .reply, on: Self.answered(ticket, channel: .sms)).isEmpty, "a reply to the SMS ticket")
        let booking = press("1", on: Self.answered(Self.call, order: Self.booked))
        #expect(booking == [.answerBooking(orderId: 9, status: .confirmed)])

        func receipt(
            _ channel: Channel, _ purpose: MessagePurpose?, _ transition: MessageTransitionResult
        ) -> [FeedbackAction] {
            let receipt = ReceiptRecord(messageId: 42, gateway: "g", outcome: .delivered)
            return FeedbackDecisions().decide(
                receipt, facts: ReceiptFacts(messageId: 42, transition: transition, channel: channel, purpose: purpose))
        }
        let delivered = MessageTransitionResult.applied(from: .submitted, to: .delivered)
        #expect(receipt(.fax, ticket, delivered) == [.acknowledgeTicket(messageId: 42, by: .faxReceipt)])
        let late = receipt(.fax, ticket, .applied(from: .expired, to: .delivered))
        #expect(late == [.acknowledgeTicket(messageId: 42, by: .faxReceipt)])
        #expect(receipt(.sms, ticket, delivered).isEmpty && receipt(.email, ticket, delivered).isEmpty)
        #expect(receipt(.fax, .automation("complaint_work_order"), delivered).isEmpty)
        #expect(receipt(.fax, ticket, .applied(from: .submitted, to: .failed)).isEmpty)
        #expect(receipt(.fax, ticket, .refused(.init(from: .delivered, event: "receipt"))).isEmpty)
    }
}

extension InboundDecision {
    /// The decision with opt-out confirmations left out (their keys hold the time received).
    var withoutConfirmations: InboundDecision {
        InboundDecision(
            kind: kind,
            actions: actions.map {
                guard case .optOut(var optOut) = $0 else { return $0 }
                optOut.confirmation = nil
                return .optOut(optOut)
            })
    }
}
