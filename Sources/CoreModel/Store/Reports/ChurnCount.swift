/// Members one manager owned when their RFM segment moved into `segment`.
public struct ChurnCount: Sendable, Hashable {
    /// The owning manager's staff number and name; nil for members nobody owned.
    public var staffNo: String?
    public var staffName: String?
    public var segment: RFMSegment
    public var members: Int

    public init(staffNo: String?, staffName: String?, segment: RFMSegment, members: Int) {
        self.staffNo = staffNo
        self.staffName = staffName
        self.segment = segment
        self.members = members
    }
}
