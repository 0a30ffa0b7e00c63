import Foundation

/// Messages not final yet by lane and status: waiting to be leased (queued,
/// retrying, deferred, unknown), being sent, or submitted and waiting for a
/// receipt.
public struct QueueDepth: Sendable, Hashable, Codable {
    public struct Count: Sendable, Hashable, Codable {
        public var lane: Lane
        public var status: MessageStatus
        public var messages: Int

        public init(lane: Lane, status: MessageStatus, messages: Int) {
            self.lane = lane
            self.status = status
            self.messages = messages
        }
    }

    /// Only the lanes and statuses that hold messages, by lane (`Lane.allCases` order) then status.
    public var counts: [Count]

    public init(counts: [Count]) {
        self.counts = counts
    }

    /// Messages in `lane` with one of `statuses` (all unfinished ones when nil).
    public func messages(lane: Lane? = nil, in statuses: Set<MessageStatus>? = nil) -> Int {
        counts.filter { (lane == nil || $0.lane == lane) && (statuses?.contains($0.status) ?? true) }
            .reduce(0) { $0 + $1.messages }
    }
}
