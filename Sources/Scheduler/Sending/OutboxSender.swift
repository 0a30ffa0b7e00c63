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

    /// Sends what is due in `lane` now; returns how many messages were leased.
    @discardableResult
    public func sendDue(lane: Lane, limit: Int = 100) async throws -> Int {
        let now = clock.now()
        let leased = try await store.leaseDue(lane: lane, limit: limit, owner: owner, leaseUntil: now.addingTimeInterval(leaseSeconds), now: now)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in leased { group.addTask { try await send(message) } }
            try await group.waitForAll()
        }
        return leased.count
    }

    private func send(_ message: OutboxMessage) async throws {
        if let expires = message.expiresAt, expires <= clock.now() {
            _ = try await store.record([.init(messageId: message.id, event: .expired(reason: "expired before sending"), leaseOwner: owner)], now: clock.now())
            return
        }
        guard let content = MessageContent.decode(message.payload) else {
            _ = try await store.record([.init(messageId: message.id, event: .permanentFailure(reason: "payload is not valid message content"), leaseOwner: owner)], now: clock.now())
            return
        }
        let preferred = message.gateway.flatMap { registry.gateways[$0] }
        guard let gateway = preferred ?? registry.candidates(for: message.channel).first else {
            _ = try await store.record(
                [.init(messageId: message.id, event: .permanentFailure(reason: "no gateway configured for \(message.channel.rawValue)"), leaseOwner: owner)],
                now: clock.now())
            return
        }
        let outbound = OutboundMessage(
            id: message.id, idempotencyKey: message.idempotencyKey, channel: message.channel, to: message.address, content: content,
            category: message.category)
        let result: Result<Submission, GatewayError>
        do throws(GatewayError) { result = .success(try await gateway.send(outbound)) } catch { result = .failure(error) }
        let event: MessageEvent
        switch result {
        case .success(let submission):
            try await store.noteSubmission(messageId: message.id, gateway: gateway.name, segments: submission.segments, costMicros: submission.costMicros)
            event = .accepted(providerMessageId: submission.providerMessageId)
        case .failure(let error):
            try await store.noteSubmission(messageId: message.id, gateway: gateway.name, segments: nil, costMicros: nil)
            event = try await failureEvent(error, message: message)
        }
        _ = try await store.record([.init(messageId: message.id, event: event, leaseOwner: owner)], now: clock.now())
    }

    private func failureEvent(_ error: GatewayError, message: OutboxMessage) async throws -> MessageEvent {
        switch error {
        case .transient(let reason, let after), .throttled(let reason, let after):
            guard message.attempts < message.maxAttempts else {
                return .permanentFailure(reason: "gave up after \(message.attempts) attempts: \(reason)")
            }
            let backoff = after ?? min(pow(2, Double(message.attempts)), 300)
            return .transientFailure(reason: error.description, retryAt: clock.now().addingTimeInterval(backoff))
        case .invalidAddress(let reason):
            try await store.flagAddress(messageId: message.id, reason: reason, at: clock.now())
            return .permanentFailure(reason: error.description)
        case .permanent, .auth:
            return .permanentFailure(reason: error.description)
        }
    }
}
