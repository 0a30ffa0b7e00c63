import Channels
import CoreModel
import Foundation

/// The simplest sending loop: lease due messages of a lane, hand each to the
/// first gateway of its channel, record what happened. (The dispatcher with
/// lanes, rate limits, breakers and failover replaces it.)
public struct OutboxSender: Sendable {
    public let store: any Store
    public let registry: GatewayRegistry
    public let owner: String
    public let leaseSeconds: Double
    public let clock: any WallClock

    public init(store: any Store, registry: GatewayRegistry, owner: String, leaseSeconds: Double = 60, clock: any WallClock = SystemClock()) {
        self.store = store
        self.registry = registry
        self.owner = owner
        self.leaseSeconds = leaseSeconds
        self.clock = clock
    }

    /// Sends what is due in `lane` now — each gateway's share of the batch in
    /// one call to it — and records every outcome in one transaction; returns
    /// how many were leased.
    @discardableResult
    public func sendDue(lane: Lane, limit: Int = 100) async throws -> Int {
        let now = clock.now()
        let leased = try await store.leaseDue(lane: lane, limit: limit, owner: owner, leaseUntil: now.addingTimeInterval(leaseSeconds), now: now)
        guard !leased.isEmpty else { return 0 }
        var results: [SendResult] = []
        results.reserveCapacity(leased.count)
        var byGateway: [String: (gateway: any Gateway, messages: [(outbox: OutboxMessage, outbound: OutboundMessage)])] = [:]
        for message in leased {
            switch prepare(message, now: now) {
            case .settled(let result): results.append(result)
            case .send(let gateway, let outbound): byGateway[gateway.name, default: (gateway, [])].messages.append((message, outbound))
            }
        }
        let sent = await withTaskGroup(of: [SendResult].self) { group in
            for (gateway, messages) in byGateway.values {
                group.addTask {
                    let outcomes = await gateway.send(batch: messages.map(\.outbound))
                    return zip(messages, outcomes).map { message, outcome in
                        switch outcome {
                        case .success(let submission):
                            SendResult(
                                messageId: message.outbox.id, gateway: gateway.name, segments: submission.segments, costMicros: submission.costMicros,
                                event: .accepted(providerMessageId: submission.providerMessageId))
                        case .failure(let error):
                            failure(error, message: message.outbox, gateway: gateway.name)
                        }
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        results += sent
        _ = try await store.recordSendResults(results, owner: owner, now: clock.now())
        return leased.count
    }

    private enum Preparation {
        case settled(SendResult)
        case send(any Gateway, OutboundMessage)
    }

    /// Decides, without sending, whether and where a leased message goes.
    private func prepare(_ message: OutboxMessage, now: Date) -> Preparation {
        if let expires = message.expiresAt, expires <= now {
            return .settled(SendResult(messageId: message.id, gateway: nil, event: .expired(reason: "expired before sending")))
        }
        guard let content = MessageContent.decode(message.payload) else {
            return .settled(SendResult(messageId: message.id, gateway: nil, event: .permanentFailure(reason: "payload is not valid message content")))
        }
        let preferred = message.gateway.flatMap { registry.gateways[$0] }
        guard let gateway = preferred ?? registry.candidates(for: message.channel, messageId: message.id).first else {
            return .settled(SendResult(messageId: message.id, gateway: nil, event: .permanentFailure(reason: "no gateway configured for \(message.channel.rawValue)")))
        }
        return .send(gateway, OutboundMessage(
            id: message.id, idempotencyKey: message.idempotencyKey, channel: message.channel, to: message.address, content: content,
            category: message.category))
    }

    private func failure(_ error: GatewayError, message: OutboxMessage, gateway: String) -> SendResult {
        switch error {
        case .unanswered(let reason):
            return failure(.transient(reason: reason, retryAfter: nil), message: message, gateway: gateway)
        case .transient(let reason, let after), .throttled(let reason, let after):
            guard message.attempts < message.maxAttempts else {
                return SendResult(messageId: message.id, gateway: gateway, event: .permanentFailure(reason: "gave up after \(message.attempts) attempts: \(reason)"))
            }
            let backoff = after ?? min(pow(2, Double(message.attempts)), 300)
            return SendResult(
                messageId: message.id, gateway: gateway, event: .transientFailure(reason: error.description, retryAt: clock.now().addingTimeInterval(backoff)))
        case .invalidAddress(let reason):
            return SendResult(messageId: message.id, gateway: gateway, event: .permanentFailure(reason: error.description), invalidAddressReason: reason)
        case .permanent, .auth:
            return SendResult(messageId: message.id, gateway: gateway, event: .permanentFailure(reason: error.description))
        }
    }
}
