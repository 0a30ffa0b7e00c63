import CoreModel
import Foundation
import Testing

/// Prospects as any store must keep them: the first order under a
/// prospect's number makes them a member and records the campaign whose
/// message last reached them; members' orders record nothing.
struct ProspectsContractTests {
    let now = Fixture.now
    static let hour: TimeInterval = 3600

    static func prospect(_ phone: String, source: ProspectSource = .banquetEnquiry) -> Prospect {
        Prospect(
            memberNo: ProspectNumber.for(phone: phone), name: "钱先生", phone: phone, source: source,
            enquiredAt: Fixture.now - 30 * 86_400, note: "年会")
    }

    /// Sends one campaign message to `member` and records what the gateway said, at `at`.
    func send(
        _ store: any Store, campaign: Int64, to member: String, key: String, variant: String = "A", at: Date,
        accepted: Bool = true
    ) async throws {
        // One never handed over is not due while the test runs, so no later lease takes it.
        var message = Fixture.message(
            key, purpose: .campaign, lane: .marketing, category: .marketing, member: member,
            notBefore: accepted ? nil : at + 30 * 86_400)
        message.campaignId = campaign
        message.variant = variant
        _ = try await store.enqueue([message], now: at)
        guard accepted else { return }
        let leased = try await store.leaseDue(lane: .marketing, limit: 10, owner: "w", leaseUntil: at + 30, now: at)
        let results = try await store.recordSendResults(
            leased.map { SendResult(messageId: $0.id, gateway: "sim", event: .accepted(providerMessageId: key)) }, owner: "w", now: at)
        #expect(results.count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func anOrderConvertsAProspectToTheCampaignThatLastReachedThem(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            let p = Self.prospect("+8613511110001")
            try await store.load(.prospects([p]))
            let older = try await harness.insertCampaign(name: "国庆宴席")
            let latest = try await harness.insertCampaign(name: "年会跟进")
            let queued = try await harness.insertCampaign(name: "还没发出")
            let later = try await harness.insertCampaign(name: "下单之后")
            try await send(store, campaign: older, to: p.memberNo, key: "c1", at: now - 10 * 86_400)
            try await send(store, campaign: latest, to: p.memberNo, key: "c2", variant: "B", at: now - 2 * 86_400)
            // Neither a message never handed over nor one sent after the order reached them before it.
            try await send(store, campaign: queued, to: p.memberNo, key: "c3", at: now - Self.hour, accepted: false)
            try await send(store, campaign: later, to: p.memberNo, key: "c4", at: now + Self.hour)
            try await store.load(.orders([Fixture.order("SO1", member: p.memberNo, kind: .banquet, orderedAt: now - 1)]))
            try await store.load(.orders([Fixture.order("SO1", member: p.memberNo, kind: .banquet, status: .completed, orderedAt: now - 1)]))

            let converted = try await store.conversions(campaignId: latest)
            #expect(converted.count == 1 && converted.byVariant == ["B": 1] && converted.amountFen == 36800)
            #expect(converted.first == now - 1 && converted.last == now - 1)
            for other in [older, queued, later] {
                #expect(try await store.conversions(campaignId: other).count == 0)
            }
            let profile = try #require(try await store.memberProfile(memberNo: p.memberNo, timelineLimit: 50))
            #expect(profile.conversion?.campaign == "年会跟进" && profile.conversion?.orderNo == "SO1")
            #expect(profile.enquiry?.open == false && profile.enquiry?.source == "banquet_enquiry")
            #expect(profile.timeline.contains { $0.kind == "converted" && $0.text == "converted by order SO1 (campaign 年会跟进)" })
            #expect(profile.timeline.contains { $0.kind == "enquiry" })
            #expect(try await store.statistics().tables["conversions"] == 1, "a second order converts nobody again")
            // A member now: plain segments reach them, `prospect` does not.
            #expect(try await store.countMembers(in: .all, now: now) == 1)
            #expect(try await store.countMembers(in: .isTrue(.prospect), now: now) == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aProspectNeverReachedConvertsWithoutACampaign(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            let p = Self.prospect("+8613511110002")
            try await store.load(.prospects([p]))
            let campaign = try await harness.insertCampaign(name: "别人的活动")
            try await store.load(.members([Fixture.member("M1")]))
            try await send(store, campaign: campaign, to: "M1", key: "m1", at: now - 86_400)
            try await store.load(.orders([Fixture.order("SO2", member: p.memberNo, orderedAt: now)]))
            let profile = try #require(try await store.memberProfile(memberNo: p.memberNo, timelineLimit: 50))
            #expect(profile.conversion != nil && profile.conversion?.campaign == nil)
            #expect(profile.timeline.contains { $0.text == "converted by order SO2 (no campaign had reached them)" })
            #expect(try await store.conversions(campaignId: campaign).count == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func membersOrdersAndCancelledBookingsConvertNobody(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            let p = Self.prospect("+8613511110003")
            try await store.load(.prospects([p]))
            try await store.load(.members([Fixture.member("M1")]))
            let campaign = try await harness.insertCampaign(name: "会员活动")
            try await send(store, campaign: campaign, to: "M1", key: "m1", at: now - 86_400)
            try await store.load(.orders([Fixture.order("SO1", member: "M1", orderedAt: now)]))
            try await store.load(.orders([Fixture.order("SO2", member: p.memberNo, kind: .banquet, status: .cancelled, orderedAt: now)]))
            #expect(try await store.statistics().tables["conversions"] == 0)
            #expect(try await store.conversions(campaignId: campaign).count == 0)
            #expect(try await store.memberProfile(memberNo: "M1", timelineLimit: 10)?.conversion == nil)
            #expect(try await store.memberProfile(memberNo: p.memberNo, timelineLimit: 10)?.enquiry?.open == true)
            #expect(try await store.countMembers(in: .isTrue(.prospect), now: now) == 1)
        }
    }

    /// `import members` with a prospect's number: they joined, without an order.
    @Test(arguments: StoreKind.allCases)
    func importingAProspectAsAMemberConvertsThem(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let p = Self.prospect("+8613511110004")
            try await store.load(.prospects([p]))
            try await store.load(.members([Fixture.member(p.memberNo, phone: p.phone)]))
            let profile = try #require(try await store.memberProfile(memberNo: p.memberNo, timelineLimit: 10))
            #expect(profile.conversion != nil && profile.conversion?.orderNo == nil)
            #expect(profile.timeline.contains { $0.text == "converted by member import (no campaign had reached them)" })
            // Their phone is a member's now: the enquiry again is skipped, not a second row.
            let again = try await store.apply(.prospects([p]), dryRun: false)
            #expect(again == [.skipped(reason: "already a member \(p.memberNo)")])
        }
    }
}
