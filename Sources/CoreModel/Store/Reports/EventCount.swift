import Foundation

/// How many events of one kind happened to one gateway's messages of a channel in one hour.
public struct EventCount: Sendable, Hashable {
    /// The hour's start.
    public var hour: Date
    public var gateway: String
    public var channel: Channel
    /// `accepted`, `transient_failure`, `unanswered`, `permanent_failure`, `receipt`, `receipt_timeout`,
    /// `possible_duplicate`…
    public var event: String
    public var events: Int

    /// Not an event row but an acceptance counted again, by the gateway that
    /// accepted: the message may have reached a provider twice, because an
    /// earlier attempt ended unanswered at the gateway it was pinned to and the
    /// config let it fail over (`messages.possible_duplicate`), or because an
    /// earlier attempt lost its lease while sending (a crash mid-request).
    /// Counted from v26 on (acceptances folded before are not).
    public static let possibleDuplicate = "possible_duplicate"

    public init(hour: Date, gateway: String, channel: Channel, event: String, events: Int) {
        self.hour = hour
        self.gateway = gateway
        self.channel = channel
        self.event = event
        self.events = events
    }
}
