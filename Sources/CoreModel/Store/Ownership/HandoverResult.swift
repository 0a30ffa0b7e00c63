/// What a hand-over did: the batch it recorded and how many members moved.
public enum HandoverResult: Sendable, Hashable {
    /// `batchId` is nil when `from` owned nobody and had no open task (nothing is recorded).
    case handedOver(batchId: Int64?, members: Int, tasks: Int)
    case unknownStaff(String)
    /// `to` is an agent, not someone who owns members.
    case notAManager(String)
    case samePerson
}

/// What a hand-over moved, for the new manager's notice.
public struct HandoverCounts: Sendable, Hashable {
    public var batchId: Int64
    public var from: String
    public var members: Int
    public var tasks: Int

    public init(batchId: Int64, from: String, members: Int, tasks: Int) {
        self.batchId = batchId
        self.from = from
        self.members = members
        self.tasks = tasks
    }
}
