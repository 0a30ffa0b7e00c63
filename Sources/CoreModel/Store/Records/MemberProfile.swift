import Foundation

/// A member with everything a manager reads about them.
public struct MemberProfile: Sendable, Codable {
    public struct ConsentLine: Sendable, Codable {
        public var channel: String
        public var category: String
        public var granted: Bool
        public var source: String
        public var changedAt: Date
    }

    public struct OrderLineSummary: Sendable, Codable {
        public var orderNo: String
        public var kind: String
        public var source: String
        public var status: String
        public var branch: String
        public var orderedAt: Date
        public var scheduledAt: Date?
        public var amountFen: Int
        public var feedback: String?
    }

    public struct ComplaintSummary: Sendable, Codable {
        public var complaintNo: String
        public var department: String
        public var status: String
        public var description: String
        public var resolution: String?
        public var openedAt: Date
        public var resolvedAt: Date?
        /// When its work order went to the department (nil: not yet).
        public var departmentNotifiedAt: Date?
    }

    public struct TimelineEntry: Sendable, Codable {
        public var at: Date
        public var kind: String
        public var text: String
    }

    /// How a prospect came to us, kept after they convert.
    public struct Enquiry: Sendable, Codable {
        public var source: String
        public var at: Date
        public var note: String?
        /// Still a prospect: enquired, never ordered.
        public var open: Bool
    }

    public struct Conversion: Sendable, Codable {
        public var at: Date
        /// Nil when `import members` converted them.
        public var orderNo: String?
        /// The campaign whose message last reached them before, if any.
        public var campaign: String?
    }

    public var member: Member
    public var enquiry: Enquiry?
    public var conversion: Conversion?
    public var branchName: String?
    public var consents: [ConsentLine]
    public var orderCount: Int
    public var recentOrders: [OrderLineSummary]
    public var complaints: [ComplaintSummary]
    public var messageCount: Int
    public var timeline: [TimelineEntry]
}
