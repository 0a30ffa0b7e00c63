import Foundation

/// Messages not final yet, by where they wait: leasable ones by lane (due
/// now or later: retry back-off, not-before), those a worker is sending, and
/// those a gateway took whose receipt has not come, by channel.
public struct QueueDepth: Sendable, Hashable, Codable {
    public struct LaneDepth: Sendable, Hashable, Codable {
        public var lane: Lane
        /// Leasable now (queued, retrying, deferred or unknown, due).
        public var due: Int
        /// Leasable later.
        public var later: Int

        public init(lane: Lane, due: Int, later: Int) {
            self.lane = lane
            self.due = due
            self.later = later
        }
    }

    public struct ChannelDepth: Sendable, Hashable, Codable {
        public var channel: Channel
        public var messages: Int

        public init(channel: Channel, messages: Int) {
            self.channel = channel
            self.messages = messages
        }
    }

    /// Every lane, in `Lane.allCases` order, zero when empty.
    public var lanes: [LaneDepth]
    /// Leased and handed (or about to be handed) to a gateway.
    public var sending: Int
    /// Submitted, waiting for a receipt, by channel (only channels with some).
    public var awaitingReceipt: [ChannelDepth]

    public init(lanes: [LaneDepth], sending: Int, awaitingReceipt: [ChannelDepth]) {
        self.lanes = lanes
        self.sending = sending
        self.awaitingReceipt = awaitingReceipt
    }
}
