import Channels
import CoreModel
import Foundation

/// The send-time decisions for one leased batch, message by message: expiry,
/// the payload, the order it is bound to, policy, and where it may go. Sends
/// decided earlier in the batch count towards the frequency caps of later ones.
struct SendDecisions {
    enum Preparation {
        case settled(SendResult)
        case send(Attempt)
    }

    let policy: SendPolicy
    /// For members without one of their own.
    let defaultTimeZone: TimeZone
    /// Per channel, after how long a pinned message may fail over (none: never).
    let failoverAfterUnanswered: [Channel: TimeInterval]
    private var decidedSends: [String: [Date]] = [:]
    /// A batch's members share a few zones: each is looked up once, not per message.
    private var zones: [String: TimeZone] = [:]

    init(policy: SendPolicy, defaultTimeZone: TimeZone, failoverAfterUnanswered: [Channel: TimeInterval]) {
        self.policy = policy
        self.defaultTimeZone = defaultTimeZone
        self.failoverAfterUnanswered = failoverAfterUnanswered
    }

    private mutating func timeZone(_ identifier: String?) -> TimeZone {
        guard let identifier else { return defaultTimeZone }
        if let zone = zones[identifier] { return zone }
        let zone = TimeZone(identifier: identifier) ?? defaultTimeZone
        zones[identifier] = zone
        return zone
    }

    mutating func prepare(
        _ message: OutboxMessage, context: SendContext?, campaign: CampaignVerdict? = nil, registry: GatewayRegistry, now: Date,
        started: ContinuousClock.Instant
    ) -> Preparation {
        func settled(_ event: MessageEvent) -> Preparation {
            .settled(SendResult(messageId: message.id, gateway: nil, event: event))
        }
        if let expires = message.expiresAt, expires <= now { return settled(.expired(reason: "expired before sending")) }
        let content: MessageContent
        switch campaign {
        case .settle(let event): return settled(event)
        case .send(let rendered): content = rendered
        case nil:
            guard message.campaignId == nil || !message.payload.isEmpty else {
                return settled(.deferred(reason: "campaign messages are rendered by the worker's campaign gate", until: now.addingTimeInterval(60)))
            }
            guard let decoded = MessageContent.decode(message.payload) else {
                return settled(.permanentFailure(reason: "payload is not valid message content"))
            }
            content = decoded
        }
        if let stale = context?.order?.staleness { return settled(.cancelled(reason: stale)) }
        if let context {
            let capKey = context.memberNo.map { "\($0)|\(message.category.rawValue)" }
            let facts = RecipientFacts(
                channel: message.channel, lane: message.lane, category: message.category,
                consentGranted: context.consentGranted, blacklisted: context.blacklisted,
                contactStatus: context.contactStatus, hasOpenComplaint: context.hasOpenComplaint,
                hasOpenFollowUp: context.hasOpenFollowUp, personalCallUntil: context.personalCallUntil,
                timeZone: timeZone(context.timeZone),
                recentSendTimes: context.recentSendTimes + (capKey.flatMap { decidedSends[$0] } ?? []))
            switch policy.decide(facts, now: now) {
            case .suppress(let reason): return settled(.suppressed(reason: reason))
            case .deferUntil(let until, let reason): return settled(.deferred(reason: reason, until: until))
            case .send: if let capKey { decidedSends[capKey, default: []].append(now) }
            }
        }
        let outbound = OutboundMessage(
            id: message.id, idempotencyKey: message.idempotencyKey, channel: message.channel, to: message.address,
            content: content, category: message.category, uid: message.uid)
        var candidates = registry.candidates(for: message.channel, messageId: message.id)
        // The gateway asked for at enqueue, or the one the last attempt used, goes first.
        let first = message.pinnedGateway ?? message.gateway
        if let asked = first.flatMap({ registry.gateways[$0] }) {
            candidates.removeAll { $0.name == asked.name }
            candidates.insert(asked, at: 0)
        }
        if let pinned = message.pinnedGateway {
            let window = failoverAfterUnanswered[message.channel]
            let mayLeave = window.map { (message.pinnedAt ?? now).addingTimeInterval($0) <= now } ?? false
            if !mayLeave {
                guard let gateway = registry.gateways[pinned] else {
                    return settled(.permanentFailure(
                        reason: "pinned to gateway \(pinned), which is no longer configured; an unanswered attempt may have reached it"))
                }
                return .send(Attempt(message: message, outbound: outbound, candidates: [gateway], pinned: pinned, since: started))
            }
            // Allowed to leave: the others first (the pinned one kept failing to answer), it last.
            let others = candidates.filter { $0.name != pinned } + candidates.filter { $0.name == pinned }
            return .send(Attempt(
                message: message, outbound: outbound, candidates: others, mayDuplicateFrom: pinned, since: started))
        }
        guard !candidates.isEmpty else {
            return settled(.permanentFailure(reason: "no gateway configured for \(message.channel.rawValue)"))
        }
        return .send(Attempt(message: message, outbound: outbound, candidates: candidates, since: started))
    }
}

/// One leased message on its way: where it may go, and which candidate is next.
struct Attempt: Sendable {
    var message: OutboxMessage
    var outbound: OutboundMessage
    var candidates: [any Gateway]
    var next = 0
    var lastError: (gateway: String, error: GatewayError)?
    /// The gateway an unanswered attempt went to: the only one this message may
    /// use now, and it waits while that gateway's breaker is open.
    var pinned: String?
    /// Pinned to this gateway once, but the config lets it fail over now: an
    /// acceptance elsewhere is recorded as a possible duplicate.
    var mayDuplicateFrom: String?
    /// When it began waiting for a gateway (real time, for `maxWaitForCapacity`).
    var since: ContinuousClock.Instant
    /// When it was handed to its current gateway (for the call-time metric).
    var handedOff: ContinuousClock.Instant?

    init(
        message: OutboxMessage, outbound: OutboundMessage, candidates: [any Gateway], pinned: String? = nil,
        mayDuplicateFrom: String? = nil, since: ContinuousClock.Instant
    ) {
        self.message = message
        self.outbound = outbound
        self.candidates = candidates
        self.pinned = pinned
        self.mayDuplicateFrom = mayDuplicateFrom
        self.since = since
    }
}
