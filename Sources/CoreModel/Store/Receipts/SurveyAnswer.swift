import Foundation

/// A survey answer as the rules read it: the store records it against the
/// answered message (its order, complaint, campaign and variant come from
/// that message's columns) and keeps only the first answer to a message.
public struct SurveyAnswer: Sendable, Hashable {
    /// The survey message answered.
    public var messageId: Int64
    public var memberId: Int64
    /// The key as the survey defines it ("4").
    public var key: String
    /// The key's number, when it is one; nil for a key that is not a score.
    public var score: Int?
    /// What the member wrote after the key ("4 菜很好，上菜慢"), trimmed.
    public var comment: String?
    /// Set when the score is low enough for someone to call the member back.
    public var followUp: FollowUp?

    public init(
        messageId: Int64, memberId: Int64, key: String, score: Int?, comment: String?, followUp: FollowUp? = nil
    ) {
        self.messageId = messageId
        self.memberId = memberId
        self.key = key
        self.score = score
        self.comment = comment
        self.followUp = followUp
    }
}

/// A task the store opens with the answer, for the member's manager (or
/// else their branch's manager), and the notice it sends them through the
/// outbox in the same transaction.
public struct FollowUp: Sendable, Hashable {
    /// `low_survey_score`
    public var reason: String
    public var dueAt: Date
    /// The notice's text; the store appends the task's number (任务 #12) so staff can close it.
    public var notice: String

    public init(reason: String, dueAt: Date, notice: String) {
        self.reason = reason
        self.dueAt = dueAt
        self.notice = notice
    }
}
