/// Messages one gateway accepted on one channel, with their segments and any cost it reported.
public struct SentCount: Sendable, Hashable, Codable {
    public var gateway: String
    public var channel: Channel
    public var messages: Int
    public var segments: Int
    public var costMicros: Int

    public init(gateway: String, channel: Channel, messages: Int, segments: Int, costMicros: Int) {
        self.gateway = gateway
        self.channel = channel
        self.messages = messages
        self.segments = segments
        self.costMicros = costMicros
    }
}
