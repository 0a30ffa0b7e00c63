import Foundation

/// A follow-up for a member of staff (a low survey score to call back), as
/// `tidings task` and the member's timeline show it.
public struct FollowUpTask: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable { case open, done, dropped }

    public var id: Int64
    public var memberNo: String
    public var memberName: String
    public var reason: String
    public var status: Status
    public var dueAt: Date
    public var createdAt: Date
    /// Who it is for: the member's manager, else their branch's manager; nil when neither exists.
    public var staffNo: String?
    public var staffName: String?
    public var branchCode: String?
    /// The survey answer that opened it.
    public var score: Int?
    public var comment: String?
    public var escalatedAt: Date?
    public var closedAt: Date?
    public var note: String?

    public init(
        id: Int64, memberNo: String, memberName: String, reason: String, status: Status, dueAt: Date, createdAt: Date,
        staffNo: String? = nil, staffName: String? = nil, branchCode: String? = nil, score: Int? = nil,
        comment: String? = nil, escalatedAt: Date? = nil, closedAt: Date? = nil, note: String? = nil
    ) {
        self.id = id
        self.memberNo = memberNo
        self.memberName = memberName
        self.reason = reason
        self.status = status
        self.dueAt = dueAt
        self.createdAt = createdAt
        self.staffNo = staffNo
        self.staffName = staffName
        self.branchCode = branchCode
        self.score = score
        self.comment = comment
        self.escalatedAt = escalatedAt
        self.closedAt = closedAt
        self.note = note
    }

    /// Still open past its due time.
    public func isOverdue(at now: Date) -> Bool { status == .open && dueAt < now }
}
