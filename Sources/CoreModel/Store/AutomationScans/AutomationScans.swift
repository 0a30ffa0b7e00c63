import Foundation

/// What the automations ask of the store. They read rows from a durable
/// cursor, so orders, feedback and complaints written by an import or any
/// other writer trigger them, and write what they found together with the
/// cursor in one transaction.
///
/// Only facts are filtered here (status, time, contact data is returned as
/// is): consent, blacklist, quiet hours and frequency caps are checked at send
/// time.
public protocol AutomationScans: Sendable {
    /// The cursor an automation last committed, nil before its first.
    func automationCursor(named name: String) async throws -> AutomationCursor?

    /// Orders written past the cursor or in its gaps, by id, at most `limit`.
    func ordersCreated(after cursor: RowCursor, limit: Int) async throws -> [AutomationOrder]

    /// Reservations and banquets still booked whose scheduled time is in the window.
    func reservationsDue(in window: ScanWindow) async throws -> [AutomationOrder]

    /// Reservations still booked and to come whose SMS reminder (a message of
    /// `purpose`), queued in (`from`, `through`], was neither delivered nor answered.
    func remindersUnanswered(
        purpose: MessagePurpose, queuedAfter from: Date, through: Date, now: Date
    ) async throws -> [AutomationOrder]

    /// Delivered and completed orders whose visit time is in the window.
    func visitsCompleted(in window: ScanWindow) async throws -> [AutomationOrder]

    /// Delivery feedback written past the cursor or in its gaps, by id, at most `limit`.
    func feedbackRecorded(after cursor: RowCursor, limit: Int) async throws -> [AutomationFeedback]

    /// Complaints written past the cursor or in its gaps, by id, at most `limit`.
    func complaintsOpened(after cursor: RowCursor, limit: Int) async throws -> [ComplaintSheet]

    /// Resolved and closed complaints whose resolution time is in the window.
    func complaintsResolved(in window: ScanWindow) async throws -> [AutomationComplaint]

    /// Members with points (and a positive balance) whose credits expire in
    /// (`after`, `through`], by member, from member row `afterMemberId`.
    func pointsExpiring(after: Date, through: Date, afterMemberId: Int64, limit: Int) async throws -> [ExpiringPoints]

    /// Dormant members due for a win-back, by member, from member row `afterMemberId`.
    func dormantMembers(_ query: DormancyQuery, afterMemberId: Int64, limit: Int) async throws -> [DormantMember]

    /// Orders of `kinds` still to be prepared, scheduled in (`after`, `before`),
    /// on no branch ticket yet, by branch, scheduled time and id, with their
    /// dishes and their branch's contacts.
    func ordersToTicket(kinds: [OrderKind], scheduledAfter after: Date, before: Date) async throws -> [TicketOrder]

    /// Branch tickets neither acknowledged nor escalated, queued at or before
    /// `queuedThrough`, whose slot starts after `slotAfter`, oldest first.
    func ticketsUnacknowledged(queuedThrough: Date, slotAfter: Date) async throws -> [BranchTicket]

    /// Enqueues the messages (a known idempotency key is a duplicate), writes
    /// the points credits (a known key is skipped; the member's balance moves
    /// only for a new credit), stamps the complaints notified (only the first
    /// time), writes each branch ticket with its message and orders (none
    /// when one of its orders is on a ticket already), escalates each ticket
    /// still unacknowledged with its call, and moves the cursor, in one transaction.
    func commit(_ batch: AutomationBatch, now: Date) async throws -> AutomationBatchResult
}
