import CoreModel
import Foundation

/// One automation message before it has a channel, an address and a body:
/// the composer makes a `NewMessage` of it for each channel of the rule.
struct MessageDraft: Sendable {
    /// The idempotency key without the channel (`order:SO1:confirm`).
    var keyPrefix: String
    var lane: Lane
    var category: ConsentCategory
    var priority: Int
    var values: [String: String]
    /// What the message is about, kept in its own columns.
    var orderNo: String?
    var complaintNo: String?
    var boundAt: Date?
    var notBefore: Date?
    var expiresAt: Date?
    /// False for a message that goes on one channel only (a work order, a
    /// complaint's result): its key leaves the channel out, so a changed
    /// contact or preference never sends it a second time on another.
    var keyedByChannel = true
}
