import Foundation

/// One recorded survey answer, with what it was about.
public struct SurveyResponse: Sendable, Hashable, Codable {
    public var id: Int64
    public var memberNo: String
    /// The survey message answered.
    public var messageId: Int64?
    public var orderNo: String?
    public var complaintNo: String?
    public var campaignId: Int64?
    public var variant: String?
    /// The key answered ("4") and its score, when the key is a number.
    public var answer: String
    public var score: Int?
    public var comment: String?
    public var receivedAt: Date

    public init(
        id: Int64, memberNo: String, messageId: Int64?, orderNo: String?, complaintNo: String?, campaignId: Int64?,
        variant: String?, answer: String, score: Int?, comment: String?, receivedAt: Date
    ) {
        self.id = id
        self.memberNo = memberNo
        self.messageId = messageId
        self.orderNo = orderNo
        self.complaintNo = complaintNo
        self.campaignId = campaignId
        self.variant = variant
        self.answer = answer
        self.score = score
        self.comment = comment
        self.receivedAt = receivedAt
    }
}
