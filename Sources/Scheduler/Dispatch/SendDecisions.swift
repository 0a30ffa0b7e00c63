import Channels
import CoreModel
import Foundation

/// The send-time decisions for one batch, message by message: expiry, the
/// payload, the order it is bound to, policy, and where it may go. Sends
/// decided earlier in the batch count towards the frequency caps of later ones.
struct SendDecisions {
    enum Preparation {
        case settled(SendResult)
        case send(OutboundMessage, candidates: [any Gateway])
    }

    let policy: SendPolicy
    /// For members without one of their own.
    let defaultTimeZone: TimeZone
    private var decidedSends: [String: [Date]] = [:]
    /// A batch's members share a few zones: each is looked up once, not per message.
    private var zones: [String: TimeZone] = [:]

    init(policy: SendPolicy, defaultTimeZone: TimeZone) {
        self.policy = policy
        self.defaultTimeZone = defaultTimeZone
    }

    private mutating func timeZone(_ identifier: String?) -> TimeZone {
        guard let identifier else { return defaultTimeZone }
        if let zone = zones[identifier] { return zone }
        let zone = TimeZone(identifier: identifier) ?? defaultTimeZone
        zones[identifier] = zone
        return zone
    }

    mutating func prepare(_ message: OutboxMessage, context: SendContext?, registry: GatewayRegistry, now: Date) -> Preparation {
        func settled(_ event: MessageEvent) -> Preparation { .settled(SendResult(messageId: message.id, gateway: nil, event: event)) }
        if let expires = message.expiresAt, expires <= now { return settled(.expired(reason: "expired before sending")) }
        guard let content = MessageContent.decode(message.payload) else { return settled(.permanentFailure(reason: "payload is not valid message content")) }
        if let stale = context?.order?.staleness { return settled(.cancelled(reason: stale)) }
        if let context {
            let capKey = context.memberNo.map { "\($0)|\(message.category.rawValue)" }
            let facts = RecipientFacts(
                channel: message.channel, lane: message.lane, category: message.category, consentGranted: context.consentGranted,
                blacklisted: context.blacklisted, contactStatus: context.contactStatus, hasOpenComplaint: context.hasOpenComplaint,
                timeZone: timeZone(context.timeZone),
                recentSendTimes: context.recentSendTimes + (capKey.flatMap { decidedSends[$0] } ?? []))
            switch policy.decide(facts, now: now) {
            case .suppress(let reason): return settled(.suppressed(reason: reason))
            case .deferUntil(let until, let reason): return settled(.deferred(reason: reason, until: until))
            case .send: if let capKey { decidedSends[capKey, default: []].append(now) }
            }
        }
        var candidates = registry.candidates(for: message.channel, messageId: message.id)
        if let asked = message.gateway.flatMap({ registry.gateways[$0] }) {
            // The gateway asked for at enqueue, or the one an unanswered attempt went to, goes first.
            candidates.removeAll { $0.name == asked.name }
            candidates.insert(asked, at: 0)
        }
        guard !candidates.isEmpty else { return settled(.permanentFailure(reason: "no gateway configured for \(message.channel.rawValue)")) }
        return .send(
            OutboundMessage(id: message.id, idempotencyKey: message.idempotencyKey, channel: message.channel, to: message.address, content: content, category: message.category),
            candidates: candidates)
    }
}
