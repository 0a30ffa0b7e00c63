import Foundation

/// One batch of members given to a manager (a hand-over, an import of
/// assignments or an allocation run) and what became of them since.
public struct AllocationBatch: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case handover, `import`, allocation
    }

    public var id: Int64
    public var kind: Kind
    public var staffNo: String
    /// The manager they came from (a hand-over).
    public var fromStaffNo: String?
    public var source: String
    public var actor: String
    public var at: Date
    public var members: Int
    /// Ordered at least once since the batch.
    public var ordered: Int
    /// Owned by another manager now.
    public var movedOn: Int
    /// Still this manager's, no order since.
    public var untouched: Int

    public init(
        id: Int64, kind: Kind, staffNo: String, fromStaffNo: String?, source: String, actor: String, at: Date, members: Int,
        ordered: Int, movedOn: Int, untouched: Int
    ) {
        self.id = id
        self.kind = kind
        self.staffNo = staffNo
        self.fromStaffNo = fromStaffNo
        self.source = source
        self.actor = actor
        self.at = at
        self.members = members
        self.ordered = ordered
        self.movedOn = movedOn
        self.untouched = untouched
    }
}
