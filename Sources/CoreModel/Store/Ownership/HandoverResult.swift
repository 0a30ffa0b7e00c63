/// What a hand-over did: the batch it recorded and how many members moved.
public enum HandoverResult: Sendable, Hashable {
    /// `batchId` is nil when `from` owned nobody (nothing is recorded).
    case handedOver(batchId: Int64?, members: Int)
    case unknownStaff(String)
    /// `to` is an agent, not someone who owns members.
    case notAManager(String)
    case samePerson
}
