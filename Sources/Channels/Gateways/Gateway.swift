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

    public init(id: Int64, idempotencyKey: String, channel: Channel, to: String, content: MessageContent, category: ConsentCategory) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.to = to
        self.content = content
        self.category = category
    }
}

/// What a provider said when it took a message.
public struct Submission: Sendable, Hashable {
    public var providerMessageId: String?
    public var segments: Int
    /// Cost in millionths of the currency unit, if the gateway has a price.
    public var costMicros: Int?

    public init(providerMessageId: String?, segments: Int = 1, costMicros: Int? = nil) {
        self.providerMessageId = providerMessageId
        self.segments = segments
        self.costMicros = costMicros
    }
}

/// Why a send failed, classified for the dispatcher.
public enum GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Try again later (5xx, timeout, refused connection); honour `retryAfter` if given.
    case transient(reason: String, retryAfter: Double?)
    /// The provider asks us to slow down.
    case throttled(reason: String, retryAfter: Double?)
    /// Never going to work for this message.
    case permanent(reason: String)
    /// The address is wrong: fail and flag the member's contact.
    case invalidAddress(reason: String)
    /// Credentials were refused: fail over; a human must fix the config.
    case auth(reason: String)

    public var description: String {
        switch self {
        case .transient(let reason, let after): "transient: \(reason)\(after.map { " (retry after \($0) s)" } ?? "")"
        case .throttled(let reason, let after): "throttled: \(reason)\(after.map { " (retry after \($0) s)" } ?? "")"
        case .permanent(let reason): "permanent: \(reason)"
        case .invalidAddress(let reason): "invalid address: \(reason)"
        case .auth(let reason): "auth: \(reason)"
        }
    }

    /// Classifies a transport failure (no response at all).
    public static func from(_ error: TransportError) -> GatewayError {
        switch error.kind {
        case .refusedByPolicy: .permanent(reason: error.message)
        default: .transient(reason: error.description, retryAfter: nil)
        }
    }

    /// Reads a Retry-After header in seconds (HTTP-date forms are treated as absent).
    public static func retryAfter(_ response: OutboundResponse) -> Double? {
        response.header("Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
}

/// A provider of one or more channels.
public protocol Gateway: Sendable {
    var name: String { get }
    var channels: Set<Channel> { get }
    func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission
}
