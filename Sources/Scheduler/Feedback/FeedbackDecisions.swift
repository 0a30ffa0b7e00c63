import CoreModel
import Foundation

/// The group's rules for what comes back, as a pure function the store calls
/// inside the transaction that records it: a reply that says stop (or the
/// opt-out key on a marketing call) revokes marketing and surveys and is
/// confirmed once; a key pressed on the reservation call confirms or cancels
/// the booking; `查询 <complaint no>` is answered with the complaint's stage
/// (only to its member's phone); a receipt that says the address does not
/// exist flags the member's contact. A branch acknowledges an order ticket
/// by the fax receipt, or by pressing 1 on the escalation call.
public struct FeedbackDecisions: FeedbackRules {
    public let optOut: OptOutSettings
    public let survey: SurveySettings
    /// Put in front of the confirmation SMS (【鸿福楼】).
    public let signature: String
    let matcher: OptOutMatcher
    let complaintQuery: ComplaintQuery

    public init(
        optOut: OptOutSettings = .defaults, survey: SurveySettings = .defaults, signature: String = Brand.defaults.signature,
        complaintQuery: ComplaintQuerySettings = .defaults
    ) {
        self.optOut = optOut
        self.survey = survey
        self.signature = signature
        matcher = OptOutMatcher(optOut)
        self.complaintQuery = ComplaintQuery(settings: complaintQuery, signature: signature)
    }

    public var surveyWindow: TimeInterval { TimeInterval(survey.windowHours) * 3600 }

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
        // An answer key that means stop (a voice survey's "9: 退订") is an opt-out too.
        let answer = kind == .reply || kind == .dtmf ? surveyAnswer(inbound, facts: facts) : nil
        if let answer, let meaning = answer.meaning, matcher.matches(meaning) { kind = .optout }
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
        // The ticket automation's only voice message is its escalation call.
        if kind == .dtmf, key == Self.ticketAcknowledgementKey, let answered = facts.answered,
            answered.purpose == AutomationName.branchTicket.purpose, answered.channel == .voice
        {
            actions.append(.acknowledgeTicket(messageId: answered.messageId, by: .keypad))
        }
        if kind == .reply || kind == .dtmf, let answer {
            actions.append(.answerSurvey(answer.recorded))
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

    /// A survey answer and what its key means (nil for the scale's keys).
    struct ReadAnswer {
        var recorded: SurveyAnswer
        var meaning: String?
    }

    /// The answer in an SMS reply or key press: the survey message the
    /// provider linked it to, else (a reply) the latest survey sent to the
    /// sender; the longest of its keys the text starts with (not followed by
    /// another digit: "12" is not "1"), the rest kept as the comment.
    func surveyAnswer(_ inbound: InboundRecord, facts: InboundFacts) -> ReadAnswer? {
        let linked = facts.answered.flatMap { $0.surveyAnswers == nil ? nil : $0 }
        guard let target = linked ?? (inbound.kind == .reply ? facts.latestSurvey : nil),
            let answers = target.surveyAnswers, let memberId = target.memberId ?? facts.sender?.memberId
        else { return nil }
        // Keys are matched on the NFKC form (full-width ５ is 5); the comment keeps the member's own text.
        let original = inbound.body.trimmedWhitespace
        let text = original.precomposedStringWithCompatibilityMapping
        let keys = answers.isEmpty ? (1...survey.scale).map(String.init) : Array(answers.keys)
        guard
            let key = keys.filter({ !$0.isEmpty && text.hasPrefix($0) })
                .filter({ !(text.dropFirst($0.count).first?.isNumber ?? false) })
                .max(by: { $0.count < $1.count })
        else { return nil }
        if inbound.kind == .dtmf, text != key { return nil }
        let rest = original.dropFirst(key.count).drop { $0.isWhitespace || $0.isPunctuation }
        let comment = rest.isEmpty ? nil : String(rest).trimmedWhitespace
        let score = Int(key)
        var followUp: FollowUp?
        if let score, score <= survey.lowScore {
            let hours = survey.taskDueHours
            let member = facts.sender.map { "会员\($0.memberNo)" } ?? "会员"
            let said = comment.map { "（\($0)）" } ?? ""
            followUp = FollowUp(
                reason: Self.lowScoreReason,
                dueAt: inbound.receivedAt.addingTimeInterval(TimeInterval(hours) * 3600),
                notice: "\(signature)回访低分：\(member)评分\(score)分\(said)，请在\(hours)小时内回电跟进")
        }
        return ReadAnswer(
            recorded: SurveyAnswer(
                messageId: target.messageId, memberId: memberId, key: key, score: score, comment: comment,
                followUp: followUp),
            meaning: answers[key])
    }

    /// `tasks.reason` of the follow-up a low score opens.
    public static let lowScoreReason = "low_survey_score"

    /// What the branch manager is told when a follow-up is overdue.
    public func escalationNotice(_ task: FollowUpTask) -> String {
        let owner = task.staffName ?? "未指定"
        return "\(signature)跟进任务 #\(task.id) 已逾期：会员\(task.memberNo)（\(task.reason)），负责人\(owner)，请督办"
    }

    public func decide(_ receipt: ReceiptRecord, facts: ReceiptFacts) -> [FeedbackAction] {
        // Only a receipt the state machine took: a stale or refused one says nothing new.
        guard case .applied(_, let status) = facts.transition else { return [] }
        var actions: [FeedbackAction] = []
        if receipt.addressInvalid {
            let reason = receipt.detail ?? "provider reports the address does not exist"
            actions.append(.flagContact(messageId: facts.messageId, reason: reason))
        }
        // The branch's fax machine took the sheet; an SMS or email delivered is no sign anyone read it.
        if status == .delivered, facts.channel == .fax, facts.purpose == AutomationName.branchTicket.purpose {
            actions.append(.acknowledgeTicket(messageId: facts.messageId, by: .faxReceipt))
        }
        return actions
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

    /// The key that acknowledges a branch ticket on its call (template `branch-ticket-call`).
    static let ticketAcknowledgementKey = "1"

    /// The reservation call's keys (template `reservation-call`): 1 confirms, 2 cancels.
    static let bookingAnswers: [String: OrderStatus] = ["1": .confirmed, "2": .cancelled]
}
