import Foundation

/// The outbox: every message is a row here before any gateway sees it, and
/// its row is the one truth of what was asked and what happened. Leasing is
/// select-then-claim, so it maps onto `FOR UPDATE SKIP LOCKED` in PostgreSQL.
public protocol Outbox: Sendable {
    /// Inserts messages; a known idempotency key returns the existing message instead of a second one.
    func enqueue(_ messages: [NewMessage], now: Date) async throws -> [EnqueueResult]

    /// Leases up to `limit` due messages of a lane (status becomes `sending`).
    func leaseDue(lane: Lane, limit: Int, owner: String, leaseUntil: Date, now: Date) async throws -> [OutboxMessage]

    /// Leases by lane shares in one transaction: each lane up to its quota,
    /// then what lanes left unused (up to `capacity` in all) goes to the
    /// lanes that filled theirs, in the order given. A lane that returns
    /// fewer than asked has nothing more due, so no count is needed first.
    func leaseDue(
        shares: [(lane: Lane, quota: Int)], capacity: Int, owner: String, leaseUntil: Date, now: Date
    ) async throws -> [OutboxMessage]

    /// Facts for send-time policy, per leased message; `recentSince` names the
    /// capped categories and how far back their sends count.
    func sendContexts(
        for messages: [OutboxMessage], recentSince: [ConsentCategory: Date]
    ) async throws -> [Int64: SendContext]

    /// Due messages per lane, each counted up to `limit` (cheap on a huge backlog).
    func dueCounts(upTo limit: Int, now: Date) async throws -> [Lane: Int]

    /// Applies events to messages in one transaction, each through the state
    /// machine; refused events are reported, not applied.
    func record(_ events: [MessageEventRequest], now: Date) async throws -> [MessageTransitionResult]

    /// Records the outcome of a batch of gateway calls in one transaction:
    /// gateway, segments and cost, the event, and any address to flag.
    func recordSendResults(_ results: [SendResult], owner: String, now: Date) async throws -> [MessageTransitionResult]

    /// Moves `sending` messages whose lease ran out to `unknown`. Returns how many.
    func reconcileExpiredLeases(now: Date) async throws -> Int

    /// Moves `sending` messages leased by these owners (known to be dead) to `unknown`.
    func reconcileLeases(ownedBy owners: [String], now: Date) async throws -> Int

    /// Extends the leases of messages still being sent by `owner` (a long
    /// send); rows no longer leased by it are left alone. Returns how many.
    func renewLeases(_ ids: [Int64], owner: String, until: Date) async throws -> Int

    /// Up to `limit` messages of `channel` accepted before `submittedBefore`
    /// without a receipt become `expired` as unconfirmed (`waited` is the
    /// timeout, for the reason). Returns how many.
    func expireUnconfirmed(
        channel: Channel, submittedBefore: Date, waited: TimeInterval, limit: Int, now: Date
    ) async throws -> Int

    /// Who holds leases now.
    func leaseOwners() async throws -> [String]

    func messageState(id: Int64) async throws -> MessageState?
    func messageStates(idempotencyKeys: [String]) async throws -> [String: MessageState]

    /// Appends breaker openings (see `BreakerOpening`).
    func recordBreakerOpenings(_ openings: [BreakerOpening]) async throws
}
