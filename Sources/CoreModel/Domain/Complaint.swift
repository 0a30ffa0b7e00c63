import Foundation

/// A complaint taken by the call centre; resolved by a department.
public struct Complaint: Sendable, Hashable, Codable {
    public var complaintNo: String
    public var memberNo: String
    public var orderNo: String?
    public var channel: String
    public var department: String
    public var status: ComplaintStatus
    public var description: String
    public var resolution: String?
    public var openedAt: Date
    public var resolvedAt: Date?
    public var satisfaction: Int?
    /// What kind of remedy it got (`refund`, `coupon`…): chooses the template that tells the customer.
    public var resolutionKind: String?

    public init(
        complaintNo: String, memberNo: String, orderNo: String?, channel: String, department: String,
        status: ComplaintStatus, description: String, resolution: String?, openedAt: Date,
        resolvedAt: Date?, satisfaction: Int?, resolutionKind: String? = nil
    ) {
        self.complaintNo = complaintNo
        self.memberNo = memberNo
        self.orderNo = orderNo
        self.channel = channel
        self.department = department
        self.status = status
        self.description = description
        self.resolution = resolution
        self.openedAt = openedAt
        self.resolvedAt = resolvedAt
        self.satisfaction = satisfaction
        self.resolutionKind = resolutionKind
    }
}

public enum ComplaintStatus: String, Sendable, Codable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case resolved
    case closed

    /// An open complaint holds marketing to the member.
    public var isOpen: Bool { self == .open || self == .inProgress }
}
