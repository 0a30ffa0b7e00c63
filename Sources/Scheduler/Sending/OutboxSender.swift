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

    /// Sends what is due in `lane` now, all leased messages concurrently, and
    /// records every outcome in one transaction; returns how many were leased.
    @discardableResult
    public func sendDue(lane: Lane, limit: Int = 100) async throws -> Int {
        let now = clock.now()
        let leased = try await store.leaseDue(lane: lane, limit: limit, owner: owner, leaseUntil: now.addingTimeInterval(leaseSeconds), now: now)
        guard !leased.isEmpty else { return 0 }
        let results = await withTaskGroup(of: SendResult.self) { group in
            for message in leased { group.addTask { await send(message) } }
            var results: [SendResult] = []
            results.reserveCapacity(leased.count)
            for await result in group { results.append(result) }
            return results
        }
        _ = try await store.recordSendResults(results, owner: owner, now: clock.now())
        return leased.count
    }

    private func send(_ message: OutboxMessage) async -> SendResult {
        if let expires = message.expiresAt, expires <= clock.now() {
            return SendResult(messageId: message.id, gateway: nil, event: .expired(reason: "expired before sending"))
        }
        guard let content = MessageContent.decode(message.payload) else {
            return SendResult(messageId: message.id, gateway: nil, event: .permanentFailure(reason: "payload is not valid message content"))
        }
        let preferred = message.gateway.flatMap { registry.gateways[$0] }
        guard let gateway = preferred ?? registry.candidates(for: message.channel).first else {
            return SendResult(messageId: message.id, gateway: nil, event: .permanentFailure(reason: "no gateway configured for \(message.channel.rawValue)"))
        }
        let outbound = OutboundMessage(
            id: message.id, idempotencyKey: message.idempotencyKey, channel: message.channel, to: message.address, content: content,
            category: message.category)
        do throws(GatewayError) {
            let submission = try await gateway.send(outbound)
            return SendResult(
                messageId: message.id, gateway: gateway.name, segments: submission.segments, costMicros: submission.costMicros,
                event: .accepted(providerMessageId: submission.providerMessageId))
        } catch {
            return failure(error, message: message, gateway: gateway.name)
        }
    }

    private func failure(_ error: GatewayError, message: OutboxMessage, gateway: String) -> SendResult {
        switch error {
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
