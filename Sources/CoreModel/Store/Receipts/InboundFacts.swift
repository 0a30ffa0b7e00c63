/// What the store knows about an inbound message when it arrives: who sent
/// it and, when the provider links it to one of ours, the message it answers.
public struct InboundFacts: Sendable, Hashable {
    /// A member whose contact or answered message matches the sender.
    public struct Sender: Sendable, Hashable {
        public var memberId: Int64
        public var memberNo: String

        public init(memberId: Int64, memberNo: String) {
            self.memberId = memberId
            self.memberNo = memberNo
        }
    }

    /// Our message the inbound answers, with what it was about.
    public struct Answered: Sendable, Hashable {
        public var messageId: Int64
        public var channel: Channel
        /// Nil for messages written before purposes were recorded.
        public var purpose: MessagePurpose?
        public var category: ConsentCategory
        public var order: Booking?
        /// The member the message went to.
        public var memberId: Int64?
        /// A survey's answer keys and their meanings (a campaign's `survey:`
        /// block); empty: a survey with the rules' own scale (the revisit
        /// automation); nil: not a survey.
        public var surveyAnswers: [String: String]?

        public init(
            messageId: Int64, channel: Channel, purpose: MessagePurpose?, category: ConsentCategory, order: Booking?,
            memberId: Int64? = nil, surveyAnswers: [String: String]? = nil
        ) {
            self.messageId = messageId
            self.channel = channel
            self.purpose = purpose
            self.category = category
            self.order = order
            self.memberId = memberId
            self.surveyAnswers = surveyAnswers
        }
    }

    /// The order the answered message is about, as it stands now.
    public struct Booking: Sendable, Hashable {
        public var orderId: Int64
        public var status: OrderStatus
        /// A reservation or banquet not yet cancelled, seated or completed.
        public var stillBooked: Bool

        public init(orderId: Int64, status: OrderStatus, stillBooked: Bool) {
            self.orderId = orderId
            self.status = status
            self.stillBooked = stillBooked
        }
    }

    public var sender: Sender?
    public var answered: Answered?
    /// The complaint the message asks about, when the rules saw a question
    /// (`FeedbackRules.complaintAsked`) and a complaint has that number.
    public var complaint: AskedComplaint?

    /// For a reply the provider links to nothing: the latest survey sent to
    /// the sender's address within the rules' `surveyWindow`, if any.
    public var latestSurvey: Answered?

    public init(sender: Sender?, answered: Answered?, complaint: AskedComplaint? = nil, latestSurvey: Answered? = nil) {
        self.sender = sender
        self.answered = answered
        self.complaint = complaint
        self.latestSurvey = latestSurvey
    }
}
