import CoreModel
import Foundation
import Testing

/// Every (status, event) pair: the expected outcome is written out here as a
/// table, independently of the implementation, and every pair not in the
/// table must be refused.
struct MessageStateMachineTests {
    static let at = Date(timeIntervalSince1970: 1_800_000_000)

    static let events: [String: MessageEvent] = [
        "leased": .leased(owner: "w1"),
        "released": .released,
        "accepted": .accepted(providerMessageId: "p1"),
        "transient": .transientFailure(reason: "503", retryAt: at),
        "permanent": .permanentFailure(reason: "rejected"),
        "delivered": .receipt(.delivered, detail: nil),
        "receipt-failed": .receipt(.failed, detail: "absent subscriber"),
        "receipt-expired": .receipt(.expired, detail: nil),
        "intermediate": .receipt(.intermediate, detail: "smsc ack"),
        "suppressed": .suppressed(reason: "opted out"),
        "deferred": .deferred(reason: "quiet hours", until: at),
        "expired": .expired(reason: "expires_at passed"),
        "cancelled": .cancelled(reason: "campaign cancelled"),
        "lease-expired": .leaseExpired,
        "unanswered": .unanswered(reason: "timed out", retryAt: at),
        "receipt-timeout": .receiptTimedOut(after: 72 * 3600),
    ]

    /// status → event → next status ("=" means recorded without a change).
    /// Receipts, wherever the provider may hold the message.
    static let receipts = [
        "delivered": "delivered", "receipt-failed": "failed", "receipt-expired": "expired", "intermediate": "=",
    ]

    /// status → event → next status ("=" means recorded without a change).
    static let allowed: [MessageStatus: [String: String]] = [
        .queued: receipts.merging([
            "leased": "sending", "suppressed": "suppressed", "deferred": "deferred", "expired": "expired", "cancelled": "cancelled",
        ]) { $1 },
        .retrying: receipts.merging([
            "leased": "sending", "permanent": "failed", "suppressed": "suppressed", "deferred": "deferred", "expired": "expired",
            "cancelled": "cancelled",
        ]) { $1 },
        .deferred: receipts.merging([
            "leased": "sending", "suppressed": "suppressed", "deferred": "deferred", "expired": "expired", "cancelled": "cancelled",
        ]) { $1 },
        .unknown: receipts.merging([
            "leased": "sending", "accepted": "submitted", "permanent": "failed", "expired": "expired", "cancelled": "cancelled",
        ]) { $1 },
        .sending: receipts.merging([
            "released": "queued", "accepted": "submitted", "transient": "retrying", "unanswered": "retrying", "permanent": "failed",
            "suppressed": "suppressed", "deferred": "deferred", "expired": "expired", "lease-expired": "unknown",
            "cancelled": "cancelled",
        ]) { $1 },
        .submitted: receipts.merging(["expired": "expired", "receipt-timeout": "expired"]) { $1 },
        .delivered: ["intermediate": "="],
        .failed: ["delivered": "delivered", "intermediate": "="],
        .expired: ["delivered": "delivered", "intermediate": "="],
        .suppressed: [:],
        .cancelled: [:],
    ]

    @Test(arguments: MessageStatus.allCases)
    func everyEventFromStatus(_ status: MessageStatus) throws {
        let table = Self.allowed[status]
        #expect(table != nil, "status \(status) missing from the expected table")
        for (name, event) in Self.events {
            let result = MessageStateMachine.apply(event, to: status)
            switch table?[name] {
            case nil:
                #expect(throws: MessageStateMachine.Refusal.self, "\(status) + \(name) must be refused") { try result.get() }
            case "=":
                #expect(try result.get() == .recordOnly, "\(status) + \(name)")
            case let target?:
                #expect(try result.get() == .transition(to: MessageStatus(rawValue: target)!), "\(status) + \(name)")
            }
        }
    }

    @Test func finalStatesAcceptNoStateChangeExceptLateDelivery() {
        for status in MessageStatus.allCases where status.isFinal {
            for (name, event) in Self.events {
                if case .success(.transition(let next)) = MessageStateMachine.apply(event, to: status) {
                    #expect(
                        (status == .expired || status == .failed) && next == .delivered, "\(status) + \(name) moved to \(next)")
                }
            }
        }
    }

    @Test func refusalNamesStatusAndEvent() {
        let result = MessageStateMachine.apply(.accepted(providerMessageId: nil), to: .delivered)
        #expect(throws: MessageStateMachine.Refusal(from: .delivered, event: "accepted")) { try result.get() }
    }
}
