import Foundation

// What the automations read from the store and write back, in domain terms.

/// A member as an automation needs them: who to address, how, in what language.
public struct AutomationMember: Sendable, Hashable {
    public var id: Int64
    public var memberNo: String
    public var name: String
    public var locale: String
    /// IANA name, as stored.
    public var timezone: String
    public var phone: ContactField
    public var email: ContactField
    public var fax: ContactField
    /// The member's home branch, if they have one.
    public var branchName: String?

    public init(
        id: Int64, memberNo: String, name: String, locale: String, timezone: String, phone: ContactField, email: ContactField,
        fax: ContactField, branchName: String?
    ) {
        self.id = id
        self.memberNo = memberNo
        self.name = name
        self.locale = locale
        self.timezone = timezone
        self.phone = phone
        self.email = email
        self.fax = fax
        self.branchName = branchName
    }
}

/// An order, reservation or banquet with its branch and member.
public struct AutomationOrder: Sendable, Hashable {
    public var id: Int64
    public var orderNo: String
    public var kind: OrderKind
    public var status: OrderStatus
    public var orderedAt: Date
    public var scheduledAt: Date?
    public var partySize: Int?
    public var amountFen: Int
    public var branchName: String
    public var member: AutomationMember

    public init(
        id: Int64, orderNo: String, kind: OrderKind, status: OrderStatus, orderedAt: Date, scheduledAt: Date?, partySize: Int?,
        amountFen: Int, branchName: String, member: AutomationMember
    ) {
        self.id = id
        self.orderNo = orderNo
        self.kind = kind
        self.status = status
        self.orderedAt = orderedAt
        self.scheduledAt = scheduledAt
        self.partySize = partySize
        self.amountFen = amountFen
        self.branchName = branchName
        self.member = member
    }

    /// When the meal was delivered or eaten, as well as the store knows.
    public var visitedAt: Date { scheduledAt ?? orderedAt }
}

/// Delivery feedback as recorded, with its order.
public struct AutomationFeedback: Sendable, Hashable {
    public var id: Int64
    public var outcome: DeliveryOutcome
    public var recordedAt: Date
    public var order: AutomationOrder

    public init(id: Int64, outcome: DeliveryOutcome, recordedAt: Date, order: AutomationOrder) {
        self.id = id
        self.outcome = outcome
        self.recordedAt = recordedAt
        self.order = order
    }
}

/// A resolved complaint: the branch is its order's, else the member's home branch.
public struct AutomationComplaint: Sendable, Hashable {
    public var id: Int64
    public var complaintNo: String
    public var resolvedAt: Date
    public var branchName: String?
    public var member: AutomationMember

    public init(id: Int64, complaintNo: String, resolvedAt: Date, branchName: String?, member: AutomationMember) {
        self.id = id
        self.complaintNo = complaintNo
        self.resolvedAt = resolvedAt
        self.branchName = branchName
        self.member = member
    }
}

/// A member's points that expire within a window: the credits expiring then,
/// no more than the balance.
public struct ExpiringPoints: Sendable, Hashable {
    public var points: Int
    public var firstExpiry: Date
    public var member: AutomationMember

    public init(points: Int, firstExpiry: Date, member: AutomationMember) {
        self.points = points
        self.firstExpiry = firstExpiry
        self.member = member
    }
}

/// A member without an order for a while.
public struct DormantMember: Sendable, Hashable {
    /// The last order, else joining, else when the row was created.
    public var lastActiveAt: Date
    public var member: AutomationMember

    public init(lastActiveAt: Date, member: AutomationMember) {
        self.lastActiveAt = lastActiveAt
        self.member = member
    }
}

/// Rows whose time (a reservation's, a visit's, a resolution's) falls in
/// (`from`, `through`], plus rows written since `changedSince` whose time falls
/// in (`earliest`, `through`]: a scan reads what became due since the last one
/// and what an import or another writer added or moved in the meantime.
public struct ScanWindow: Sendable, Hashable {
    public var from: Date
    public var through: Date
    public var earliest: Date
    public var changedSince: Date

    public init(from: Date, through: Date, earliest: Date, changedSince: Date) {
        self.from = from
        self.through = through
        self.earliest = earliest
        self.changedSince = changedSince
    }
}

/// Members dormant at `now` whose dormancy entered a new period after
/// `horizon` (the last scan), or whose row was written since `changedSince`.
/// Period k starts `dormantFor + k × period` after the last activity.
public struct DormancyQuery: Sendable, Hashable {
    public var now: Date
    public var horizon: Date
    public var changedSince: Date
    public var dormantFor: TimeInterval
    public var period: TimeInterval

    public init(now: Date, horizon: Date, changedSince: Date, dormantFor: TimeInterval, period: TimeInterval) {
        self.now = now
        self.horizon = horizon
        self.changedSince = changedSince
        self.dormantFor = dormantFor
        self.period = period
    }
}

/// Points given to a member once: a second credit with the same key is ignored.
public struct PointsCredit: Sendable, Hashable {
    public var idempotencyKey: String
    public var memberNo: String
    public var orderNo: String?
    public var points: Int
    public var reason: String
    public var expiresAt: Date?

    public init(idempotencyKey: String, memberNo: String, orderNo: String?, points: Int, reason: String, expiresAt: Date?) {
        self.idempotencyKey = idempotencyKey
        self.memberNo = memberNo
        self.orderNo = orderNo
        self.points = points
        self.reason = reason
        self.expiresAt = expiresAt
    }
}

/// Where an automation has read up to. Positions only move forward.
public struct AutomationCursor: Sendable, Hashable {
    public var name: String
    public var position: Int64

    public init(name: String, position: Int64) {
        self.name = name
        self.position = position
    }
}

/// What one step of an automation writes, in one transaction: the messages,
/// the points credits and the cursor past the rows that produced them.
public struct AutomationBatch: Sendable, Hashable {
    public var messages: [NewMessage]
    public var credits: [PointsCredit]
    public var cursor: AutomationCursor?

    public init(messages: [NewMessage] = [], credits: [PointsCredit] = [], cursor: AutomationCursor? = nil) {
        self.messages = messages
        self.credits = credits
        self.cursor = cursor
    }
}

public struct AutomationBatchResult: Sendable, Hashable {
    /// One per message, in order.
    public var messages: [EnqueueResult]
    /// Credits written now (a known key writes nothing).
    public var creditsApplied: Int

    public init(messages: [EnqueueResult], creditsApplied: Int) {
        self.messages = messages
        self.creditsApplied = creditsApplied
    }
}
