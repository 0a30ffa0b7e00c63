import Foundation

/// Everything Tidings asks of its database, in domain terms. All SQL lives
/// behind it. `SQLiteStore` is the embedded default; a PostgreSQL store will
/// implement the same contract (leasing maps onto `FOR UPDATE SKIP LOCKED`).
public protocol Store: Sendable {
    /// Validates and writes one batch of imported records in one transaction.
    /// With `dryRun` the transaction is rolled back: the outcomes say what
    /// would have happened.
    func apply(_ batch: ImportBatch, dryRun: Bool) async throws -> [RowOutcome]

    /// Inserts messages into the outbox; a known idempotency key returns the
    /// existing message instead of a second one.
    func enqueue(_ messages: [NewMessage], now: Date) async throws -> [EnqueueResult]

    /// Leases up to `limit` due messages of a lane (status becomes `sending`).
    func leaseDue(lane: Lane, limit: Int, owner: String, leaseUntil: Date, now: Date) async throws -> [OutboxMessage]

    /// Facts for send-time policy, per leased message; `recentSince` names the
    /// capped categories and how far back their sends count.
    func sendContexts(for messages: [OutboxMessage], recentSince: [ConsentCategory: Date]) async throws -> [Int64: SendContext]

    /// Due messages per lane, each counted up to `limit` (cheap on a huge backlog).
    func dueCounts(upTo limit: Int, now: Date) async throws -> [Lane: Int]

    /// Applies events to messages in one transaction, each through the state
    /// machine; refused events are reported, not applied.
    func record(_ events: [MessageEventRequest], now: Date) async throws -> [MessageTransitionResult]

    /// Moves `sending` messages whose lease ran out to `unknown`. Returns how many.
    func reconcileExpiredLeases(now: Date) async throws -> Int

    /// Moves `sending` messages leased by these owners (known to be dead) to `unknown`.
    func reconcileLeases(ownedBy owners: [String], now: Date) async throws -> Int

    /// Who holds leases now.
    func leaseOwners() async throws -> [String]

    /// Applies delivery receipts in one transaction (matched by our id, else by
    /// gateway and provider id); flags contacts the provider says are invalid.
    func applyReceipts(_ receipts: [ReceiptRecord]) async throws -> [MessageTransitionResult]

    /// Stores replies and opt-outs; an opt-out revokes marketing consent on that channel.
    func recordInbound(_ messages: [InboundRecord]) async throws -> [InboundResult]

    /// Records the outcome of a batch of gateway calls in one transaction:
    /// gateway, segments and cost, the event, and any address to flag.
    func recordSendResults(_ results: [SendResult], owner: String, now: Date) async throws -> [MessageTransitionResult]

    /// Grants or revokes one consent; false if the member is unknown.
    @discardableResult
    func recordConsent(memberNo: String, channel: Channel, category: ConsentCategory, granted: Bool, source: String, at: Date) async throws -> Bool

    func messageState(id: Int64) async throws -> MessageState?
    func messageStates(idempotencyKeys: [String]) async throws -> [String: MessageState]

    func memberProfile(memberNo: String, timelineLimit: Int) async throws -> MemberProfile?
    func statistics() async throws -> StoreStatistics
}

/// Imported records of one kind, in file order.
public enum ImportBatch: Sendable {
    case branches([Branch])
    case menuItems([MenuItem])
    case members([Member])
    case orders([Order])
    case complaints([Complaint])
    case feedback([DeliveryFeedback])

    public var count: Int {
        switch self {
        case .branches(let rows): rows.count
        case .menuItems(let rows): rows.count
        case .members(let rows): rows.count
        case .orders(let rows): rows.count
        case .complaints(let rows): rows.count
        case .feedback(let rows): rows.count
        }
    }
}

/// What happened to one imported row.
public enum RowOutcome: Sendable, Hashable {
    case inserted
    case updated
    case unchanged
    /// A reference or constraint the row breaks, found against the database.
    case rejected(field: String, reason: String)
}

public struct NewMessage: Sendable, Hashable {
    public var idempotencyKey: String
    public var channel: Channel
    public var lane: Lane
    public var category: ConsentCategory
    public var priority: Int
    public var memberNo: String?
    public var address: String
    public var template: String?
    public var locale: String?
    /// The rendered content (JSON text: body, subject, html…).
    public var payload: String
    public var notBefore: Date?
    public var expiresAt: Date?
    public var maxAttempts: Int
    /// Send through this gateway rather than the channel's first.
    public var gateway: String?
    /// The order (reservation, delivery) the message is about: re-checked at send time.
    public var orderNo: String?
    /// The order's scheduled time the message was written for; if the order
    /// moves, the message is dropped at send time.
    public var boundAt: Date?

    public init(
        idempotencyKey: String, channel: Channel, lane: Lane, category: ConsentCategory, priority: Int = 0,
        memberNo: String? = nil, address: String, template: String? = nil, locale: String? = nil,
        payload: String, notBefore: Date? = nil, expiresAt: Date? = nil, maxAttempts: Int = 5, gateway: String? = nil,
        orderNo: String? = nil, boundAt: Date? = nil
    ) {
        self.gateway = gateway
        self.orderNo = orderNo
        self.boundAt = boundAt
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.lane = lane
        self.category = category
        self.priority = priority
        self.memberNo = memberNo
        self.address = address
        self.template = template
        self.locale = locale
        self.payload = payload
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.maxAttempts = maxAttempts
    }
}

/// What one gateway call did to one leased message.
public struct SendResult: Sendable, Hashable {
    public var messageId: Int64
    public var gateway: String?
    public var segments: Int?
    public var costMicros: Int?
    public var event: MessageEvent
    /// The provider says the address does not exist: flag the member's contact.
    public var invalidAddressReason: String?

    public init(messageId: Int64, gateway: String?, segments: Int? = nil, costMicros: Int? = nil, event: MessageEvent, invalidAddressReason: String? = nil) {
        self.messageId = messageId
        self.gateway = gateway
        self.segments = segments
        self.costMicros = costMicros
        self.event = event
        self.invalidAddressReason = invalidAddressReason
    }
}

public enum EnqueueResult: Sendable, Hashable {
    case enqueued(messageId: Int64)
    case duplicate(messageId: Int64)
}

/// A row of the outbox as the dispatcher sees it.
public struct OutboxMessage: Sendable, Hashable {
    public var id: Int64
    public var idempotencyKey: String
    public var channel: Channel
    public var lane: Lane
    public var category: ConsentCategory
    public var memberId: Int64?
    public var address: String
    public var payload: String
    public var attempts: Int
    public var maxAttempts: Int
    public var expiresAt: Date?
    public var status: MessageStatus
    public var leaseOwner: String?
    public var leaseUntil: Date?
    /// The gateway asked for at enqueue, or used by the last attempt.
    public var gateway: String?
}

public struct MessageEventRequest: Sendable, Hashable {
    public var messageId: Int64
    public var event: MessageEvent
    /// Only apply if the message is still leased by this owner (nil: any).
    public var leaseOwner: String?

    public init(messageId: Int64, event: MessageEvent, leaseOwner: String? = nil) {
        self.messageId = messageId
        self.event = event
        self.leaseOwner = leaseOwner
    }
}

public enum MessageTransitionResult: Sendable, Hashable {
    case applied(from: MessageStatus, to: MessageStatus)
    case refused(MessageStateMachine.Refusal)
    case notFound
    /// The lease moved to another owner (or expired and was reconciled).
    case leaseLost
}

/// A member with everything a manager reads about them.
public struct MemberProfile: Sendable, Codable {
    public struct ConsentLine: Sendable, Codable {
        public var channel: String
        public var category: String
        public var granted: Bool
        public var source: String
        public var changedAt: Date
    }

    public struct OrderLineSummary: Sendable, Codable {
        public var orderNo: String
        public var kind: String
        public var source: String
        public var status: String
        public var branch: String
        public var orderedAt: Date
        public var scheduledAt: Date?
        public var amountFen: Int
        public var feedback: String?
    }

    public struct ComplaintSummary: Sendable, Codable {
        public var complaintNo: String
        public var department: String
        public var status: String
        public var description: String
        public var resolution: String?
        public var openedAt: Date
        public var resolvedAt: Date?
    }

    public struct TimelineEntry: Sendable, Codable {
        public var at: Date
        public var kind: String
        public var text: String
    }

    public var member: Member
    public var branchName: String?
    public var consents: [ConsentLine]
    public var orderCount: Int
    public var recentOrders: [OrderLineSummary]
    public var complaints: [ComplaintSummary]
    public var messageCount: Int
    public var timeline: [TimelineEntry]
}

public struct StoreStatistics: Sendable, Codable {
    public var path: String
    public var fileBytes: Int64
    public var tables: [String: Int]
    public var messagesByStatus: [String: Int]
    public var invalidContacts: [String: Int]
}
