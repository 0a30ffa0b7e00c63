import Foundation

/// Counting and sampling the members a segment matches; each store compiles
/// the segment to its own SQL (bound arguments, whitelisted fields).
public protocol Segments: Sendable {
    func countMembers(in segment: Segment, now: Date) async throws -> Int

    /// The first `limit` members by id.
    func sampleMembers(in segment: Segment, limit: Int, now: Date) async throws -> [SegmentMember]

    /// Scores every member who ordered in the last `windowDays` (`RFMSegment`), replacing the last run's,
    /// without holding other writers back for more than a short transaction at a time.
    func recomputeRFM(windowDays: Int, now: Date) async throws -> RFMSummary

    /// When the scores in place were computed (the `now` of that run); nil when none are.
    func lastRFMComputation() async throws -> Date?
}

/// One member of a sample, as a marketer checks an audience.
public struct SegmentMember: Sendable, Hashable, Codable {
    public var memberNo: String
    public var name: String
    public var level: String
    public var phone: String?
    public var branch: String?
    public var points: Int
    public var lastOrderAt: Date?

    public init(memberNo: String, name: String, level: String, phone: String?, branch: String?, points: Int, lastOrderAt: Date?) {
        self.memberNo = memberNo
        self.name = name
        self.level = level
        self.phone = phone
        self.branch = branch
        self.points = points
        self.lastOrderAt = lastOrderAt
    }
}
