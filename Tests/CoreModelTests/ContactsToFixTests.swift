@testable import CoreModel
import Foundation
import GRDB
import Testing

/// The contacts report against the members table: numbers invalid at import
/// and contacts bounced by a gateway's refusal are counted by reason and
/// listed changed-last first, through the partial index only.
struct ContactsToFixTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func contactsToFixAreCountedAndListedLikeTheMembersTable() async throws {
        try await withStore { store, _ in
            _ = try await store.apply(
                .members(
                    (1...12).map { n in
                        Member(
                            memberNo: "M\(n)", name: "会员\(n)",
                            phone: n <= 3
                                ? ContactField(value: "12\(n)", status: .invalid, reason: "not a number")
                                : .valid(String(format: "+86138%08d", n)),
                            email: n == 4 ? ContactField(value: "x@", status: .invalid, reason: "no domain") : .missing)
                    }), dryRun: false)
            // Two numbers refused by the gateway as not existing: bounced, with the provider's words.
            _ = try await store.enqueue(
                [5, 6, 7].map { n in
                    NewMessage(
                        idempotencyKey: "k\(n)", purpose: .single, channel: .sms, lane: .transactional,
                        category: .service,
                        memberNo: "M\(n)", address: String(format: "+86138%08d", n),
                        payload: MessageContent(text: "x").json())
                }, now: now)
            let leased = try await store.leaseDue(
                lane: .transactional, limit: 10, owner: "w", leaseUntil: now + 60, now: now + 1)
            _ = try await store.recordSendResults(
                leased.enumerated().map { index, message in
                    index < 2
                        ? SendResult(
                            messageId: message.id, gateway: "sim",
                            event: .permanentFailure(reason: "unknown subscriber"),
                            invalidAddressReason: "号码不存在（错误码 12）")
                        : SendResult(messageId: message.id, gateway: "sim", event: .accepted(providerMessageId: "p"))
                }, owner: "w", now: now + 3600)

            let found = try await store.contactsToFix(since: .distantPast, limit: 4)
            let expected = try await store.pool.read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT SUM(phone_status IN ('invalid', 'bounced')) + SUM(email_status IN ('invalid', 'bounced'))
                          + SUM(fax_status IN ('invalid', 'bounced')) FROM members
                        """)
            }
            #expect(found.total == expected && found.total == 6)
            #expect(found.listed.count == 4)
            // The bounced ones changed last, so they come first.
            #expect(found.listed.prefix(2).allSatisfy { $0.status == .bounced && $0.reason == "号码不存在（错误码 12）" })
            #expect(
                Set(found.reasons.map { "\($0.kind.rawValue) \($0.status.rawValue) \($0.reason) \($0.contacts)" }) == [
                    "phone invalid not a number 3", "email invalid no domain 1", "phone bounced 号码不存在 2",
                ])
            // Only members flagged or changed since: the bounces.
            #expect(try await store.contactsToFix(since: now + 1800, limit: 10).total == 2)

            let plan = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(SQLiteStore.contactsToFixSQL)", arguments: [0])
                    .map { $0["detail"] as String }.joined(separator: "\n")
            }
            #expect(plan.contains("USING INDEX members_contacts_to_fix"), "\(plan)")
            #expect(!plan.contains("SCAN members"), "\(plan)")
        }
    }
}
