import Foundation

/// How many events of one kind happened to one gateway's messages of a channel in one hour.
public struct EventCount: Sendable, Hashable {
    /// The hour's start.
    public var hour: Date
    public var gateway: String
    public var channel: Channel
    /// `accepted`, `transient_failure`, `unanswered`, `permanent_failure`, `receipt`, `receipt_timeout`…
    public var event: String
    public var events: Int

    public init(hour: Date, gateway: String, channel: Channel, event: String, events: Int) {
        self.hour = hour
        self.gateway = gateway
        self.channel = channel
        self.event = event
        self.events = events
    }
}
