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
    /// Not taken, try again later (5xx, refused connection); honour `retryAfter` if given.
    case transient(reason: String, retryAfter: Double?)
    /// Sent, but no answer came (timeout, connection dropped): the provider may
    /// hold the message, so only the same gateway may be asked again, with the
    /// same idempotency key — another gateway could deliver it twice.
    case unanswered(reason: String)
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
        case .unanswered(let reason): "no answer: \(reason)"
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
        case .timeout, .dropped: .unanswered(reason: error.description)
        case .connect, .protocolError, .other: .transient(reason: error.description, retryAfter: nil)
        }
    }

    /// Whether the next gateway of the channel may take the message now: only
    /// when this one surely did not (it refused, or could not be reached).
    public var allowsFailover: Bool {
        switch self {
        case .transient, .throttled, .auth: true
        case .unanswered, .permanent, .invalidAddress: false
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
    /// Many messages at once, results in the same order. The default sends
    /// them one by one concurrently; HTTP adapters hand the whole batch to the
    /// transport in one call, and providers with a batch API use it.
    func send(batch messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>]
}

extension Gateway {
    public func send(batch messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>] {
        await sendOneByOne(messages)
    }

    /// Each message through `send(_:)`, concurrently; results in order.
    public func sendOneByOne(_ messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>] {
        await withTaskGroup(of: (Int, Result<Submission, GatewayError>).self) { group in
            for (index, message) in messages.enumerated() {
                group.addTask {
                    do throws(GatewayError) { return (index, .success(try await send(message))) } catch { return (index, .failure(error)) }
                }
            }
            var results = [Result<Submission, GatewayError>](repeating: .failure(.transient(reason: "not sent", retryAfter: nil)), count: messages.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
    }
}

/// An adapter whose send is one HTTP request in, one answer out: a batch goes
/// to the transport in a single hand-off.
public protocol HTTPRequestGateway: Gateway {
    var transport: CurlTransport { get }
    func request(for message: OutboundMessage) throws(GatewayError) -> OutboundRequest
    func submission(for message: OutboundMessage, response: OutboundResponse) throws(GatewayError) -> Submission
}

extension HTTPRequestGateway {
    public func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        let request = try request(for: message)
        let response: OutboundResponse
        do { response = try await transport.send(request) } catch { throw GatewayError.from(error) }
        return try submission(for: message, response: response)
    }

    public func send(batch messages: [OutboundMessage]) async -> [Result<Submission, GatewayError>] {
        var results = [Result<Submission, GatewayError>?](repeating: nil, count: messages.count)
        var requests: [OutboundRequest] = []
        var sent: [Int] = []
        requests.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            do throws(GatewayError) {
                requests.append(try request(for: message))
                sent.append(index)
            } catch {
                results[index] = .failure(error)
            }
        }
        for (index, response) in zip(sent, await transport.send(batch: requests)) {
            switch response {
            case .success(let response):
                do throws(GatewayError) { results[index] = .success(try submission(for: messages[index], response: response)) } catch {
                    results[index] = .failure(error)
                }
            case .failure(let error):
                results[index] = .failure(GatewayError.from(error))
            }
        }
        return results.map { $0! }
    }
}
