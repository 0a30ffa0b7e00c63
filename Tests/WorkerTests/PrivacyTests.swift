import CoreModel
import Foundation
import Testing

@testable import worker

/// A provider's words about a message often hold the number or the mailbox:
/// kept in the database as said, masked wherever they are shown unless --reveal.
struct PrivacyTests {
    @Test(arguments: [
        ("invalid destination +8613812345678", "invalid destination +86138****5678"),
        ("number 8613812345678 does not exist", "number 861381***5678 does not exist"),
        ("550 5.1.1 <zhang.wei@qq.com>: mailbox unavailable", "550 5.1.1 <z***@qq.com>: mailbox unavailable"),
        ("SMTP 451 4.3.0 at 2026-11-26 19:05, retry in 300 s", "SMTP 451 4.3.0 at 2026-11-26 19:05, retry in 300 s"),
        ("空号", "空号"),
        ("enqueued (reservation:SO1:remind:1790000004043:sms)", "enqueued (reservation:SO1:remind:1790000004043:sms)"),
        ("key reservation:R1:remind:1796004043:sms", "key reservation:R1:remind:1796004043:sms"),
    ])
    func providerTextIsMasked(_ text: String, _ masked: String) {
        #expect(Redaction.text(text) == masked)
    }

    @Test func memberShowMasksWhatTheProviderSaidUnlessRevealed() async throws {
        try await withMemberStore("member_no,name,phone\nA1,王伟,13812345678\n") { store in
            let now = Date()
            _ = try await store.enqueue(
                [NewMessage(
                    idempotencyKey: "k1", purpose: .single, channel: .sms, lane: .transactional, category: .service,
                    memberNo: "A1", address: "+8613812345678", payload: MessageContent(text: "您好").json())], now: now)
            let leased = try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now + 60, now: now)
            _ = try await store.record(
                [MessageEventRequest(
                    messageId: leased[0].id, event: .permanentFailure(reason: "REJECTD: destination +8613812345678 is barred"),
                    leaseOwner: "w")], now: now)
            let profile = try #require(try await store.memberProfile(memberNo: "A1", timelineLimit: 10))
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            let shown = MemberReport(profile: profile.masked(), timeZone: zone).render()
            #expect(shown.contains("destination +86138****5678 is barred"), "\(shown)")
            #expect(!shown.contains("13812345678"))
            let revealed = MemberReport(profile: profile, timeZone: zone).render()
            #expect(revealed.contains("destination +8613812345678 is barred"))
        }
    }
}
