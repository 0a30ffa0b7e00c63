import CoreModel
import Foundation

/// A message on its way to a provider: the outbox row, decoded.
public struct OutboundMessage: Sendable {
    public var id: Int64
    public var idempotencyKey: String
    public var channel: Channel
    /// E.164 phone, email or fax number.
    public var to: String
    public var content: MessageContent
    /// Marketing messages get List-Unsubscribe headers and opt-out text checks.
    public var category: ConsentCategory
    /// The outbox row's random id (32 hex digits), unique across databases
    /// and the same on every attempt: email's Message-ID is built on it.
    public var uid: String

    public init(
        id: Int64, idempotencyKey: String, channel: Channel, to: String, content: MessageContent,
        category: ConsentCategory, uid: String = OutboundMessage.randomUID()
    ) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.to = to
        self.content = content
        self.category = category
        self.uid = uid
    }

    /// A fresh uid, for a message that has no outbox row (benchmarks, tests).
    public static func randomUID() -> String {
        (0..<2).map { _ in
            let hex = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
