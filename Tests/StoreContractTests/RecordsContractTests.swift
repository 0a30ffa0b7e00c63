import CoreModel
import Foundation
import Testing

/// Consents and the member timeline as any store must keep them.
struct RecordsContractTests {
    let now = Fixture.now

    /// Branches are listed by code with what was imported (the console's branch page).
    @Test(arguments: StoreKind.allCases)
    func branchesAreListedByCode(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let second = Branch(
                code: "A2", name: "越秀店", district: "越秀区", address: "北京路2号", phone: "+862088880000", fax: nil,
                email: "a2@example.com", seats: 80)
            try await store.load(.branches([second]))
            #expect(try await store.branches() == [second, Fixture.branch])
        }
    }

    /// Send time reads consent as granted, revoked or never asked; an opt-out
    /// the rules decide revokes it on every channel they name, and only for marketing.
    @Test(arguments: StoreKind.allCases)
    func consentIsGrantedRevokedAndReadAtSendTime(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1"), Fixture.member("M2", phone: "+8613900000002")]))
            #expect(
                try await store.recordConsent(
                    memberNo: "M1", channel: .sms, category: .marketing, granted: true, source: "signup", at: now))
            #expect(
                !(try await store.recordConsent(
                    memberNo: "NOPE", channel: .sms, category: .marketing, granted: true, source: "x", at: now)))
            _ = try await store.recordConsent(
                memberNo: "M1", channel: .sms, category: .survey, granted: true, source: "signup", at: now)
            func consent(_ category: ConsentCategory, _ member: String = "M1") async throws -> Bool? {
                let key = "\(member)-\(category.rawValue)-\(UUID().uuidString)"
                _ = try await store.enqueue(
                    [Fixture.message(key, lane: .marketing, category: category, member: member)], now: now)
                let leased = try await store.leaseDue(
                    lane: .marketing, limit: 100, owner: "w", leaseUntil: now + 30, now: now)
                let id = try #require(leased.first { $0.idempotencyKey == key }?.id)
                let granted = try await store.sendContexts(for: leased, recentSince: [:])[id]?.consentGranted
                _ = try await store.record(
                    leased.map { MessageEventRequest(messageId: $0.id, event: .released) }, now: now)
                return granted
            }
            #expect(try await consent(.marketing) == true)
            #expect(try await consent(.marketing, "M2") == nil, "never asked")
            let rules = ScriptedRules(inbound: { inbound, facts in
                InboundDecision(
                    kind: .optout,
                    actions: [
                        .optOut(
                            OptOut(
                                address: inbound.from, memberId: facts.sender?.memberId, channels: [.sms, .voice],
                                categories: [.marketing], source: "sms_reply"))
                    ])
            })
            _ = try await store.recordInbound(
                [
                    InboundRecord(
                        channel: .sms, kind: .reply, from: "+8613812345678", to: nil, body: "退订", gateway: "k",
                        providerMessageId: "mo-1", receivedAt: now)
                ], rules: rules)
            #expect(try await consent(.marketing) == false)
            #expect(try await consent(.survey) == true, "only the category the rules named")
            let lines = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 10)?.consents)
            #expect(
                lines.contains {
                    $0.channel == "voice" && $0.category == "marketing" && !$0.granted && $0.source == "sms_reply"
                })
            #expect(lines.contains { $0.channel == "sms" && $0.category == "marketing" && !$0.granted })
        }
    }

    /// Orders, complaints, messages and replies, newest first, up to the limit.
    @Test(arguments: StoreKind.allCases)
    func theTimelineTellsAMembersStoryNewestFirst(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(.orders([Fixture.order("SO1", orderedAt: now - 3600)]))
            try await store.load(
                .complaints([
                    Complaint(
                        complaintNo: "C1", memberNo: "M1", orderNo: "SO1", channel: "phone", department: "外卖部",
                        status: .open,
                        description: "送餐晚了", resolution: nil, openedAt: now - 1800, resolvedAt: nil, satisfaction: nil)
                ]))
            let id = try await store.enqueue(
                [Fixture.message("confirm", member: "M1", orderNo: "SO1")], now: now - 600)[0].id
            _ = try await store.recordInbound(
                [
                    InboundRecord(
                        channel: .sms, kind: .reply, from: "+8613812345678", to: nil, body: "谢谢", gateway: "k",
                        providerMessageId: "mo-1", inReplyTo: id, receivedAt: now)
                ], rules: ScriptedRules())
            let profile = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 10))
            #expect(profile.timeline.map(\.kind) == ["inbound", "message", "complaint", "order"])
            #expect(profile.orderCount == 1 && profile.messageCount == 1 && profile.complaints.count == 1)
            let short = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 2))
            #expect(short.timeline.map(\.kind) == ["inbound", "message"])
            #expect(try await store.memberProfile(memberNo: "NOPE", timelineLimit: 5) == nil)
        }
    }
}
