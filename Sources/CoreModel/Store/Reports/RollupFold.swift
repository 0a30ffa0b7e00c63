/// What one fold of new messages and events into the rolled-up counts took.
public struct RollupFold: Sendable, Hashable {
    public var messages: Int
    public var events: Int
    /// More are waiting: fold again.
    public var more: Bool

    public init(messages: Int = 0, events: Int = 0, more: Bool = false) {
        self.messages = messages
        self.events = events
        self.more = more
    }
}
