import CoreModel
import Foundation

/// The idempotency keys of the automations' messages and credits: the same
/// trigger always gives the same key, so a re-scan or a restart finds the
/// message already in the outbox. A message key is `<prefix>:<channel>`, or
/// the prefix alone for a message sent on one channel of several (`MessageDraft.keyedByChannel`).
enum AutomationKeys {
    static func orderConfirmation(_ orderNo: String) -> String { "order:\(orderNo):confirm" }

    /// The scheduled time is part of the key: a moved reservation gets a new reminder.
    static func reservationReminder(_ orderNo: String, scheduledAt: Date) -> String {
        "reservation:\(orderNo):remind:\(Int64(scheduledAt.timeIntervalSince1970.rounded(.down)))"
    }

    /// The call that follows an unanswered reminder (a keypad answer to it
    /// updates the reservation: the rules know the call by its purpose, not this key).
    static func reservationCall(_ orderNo: String, scheduledAt: Date) -> String {
        reservationReminder(orderNo, scheduledAt: scheduledAt) + ":call"
    }

    static func lateDeliveryApology(_ orderNo: String) -> String { "order:\(orderNo):apology" }
    static func apologyPoints(_ orderNo: String) -> String { "order:\(orderNo):apology-points" }
    static func orderSurvey(_ orderNo: String) -> String { "order:\(orderNo):survey" }
    static func complaintSurvey(_ complaintNo: String) -> String { "complaint:\(complaintNo):survey" }
    /// One work order per complaint, and one result to the customer, on whichever channel each went.
    static func complaintDepartment(_ complaintNo: String) -> String { "complaint:\(complaintNo):department" }
    static func complaintResolution(_ complaintNo: String) -> String { "complaint:\(complaintNo):resolution" }

    /// One ticket per branch and slot, and one more per supplement: the first
    /// order on a ticket is on no other, so it tells the tickets of a slot apart.
    static func branchTicket(branchCode: String, slotStart: Date, firstOrderNo: String) -> String {
        "branch-ticket:\(branchCode):\(Int64(slotStart.timeIntervalSince1970.rounded(.down))):\(firstOrderNo)"
    }

    /// One escalation call per ticket (a key pressed on it acknowledges the
    /// ticket: the rules know the call by its purpose and channel, not this key).
    static func branchTicketCall(ticketId: Int64) -> String { "branch-ticket:\(ticketId):call" }

    /// `month` as `2026-06`: one notice per member per month.
    static func pointsExpiry(_ memberNo: String, month: String) -> String { "member:\(memberNo):points-expiry:\(month)" }

    /// `periodStart` as `2026-06-01`: one win-back per member per dormancy period.
    static func winBack(_ memberNo: String, periodStart: String) -> String { "member:\(memberNo):win-back:\(periodStart)" }

    /// `day` as `2026-11-27`: one brief per member of staff per day (`SQLiteStore.briefRecipients` asks for these keys).
    static func managerBrief(_ staffNo: String, day: String) -> String { "brief:\(staffNo):\(day)" }

    static func message(_ draft: MessageDraft, _ channel: Channel) -> String {
        draft.keyedByChannel ? "\(draft.keyPrefix):\(channel.rawValue)" : draft.keyPrefix
    }
}
