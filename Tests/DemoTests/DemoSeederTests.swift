import CoreModel
import Demo
import Foundation
import Testing

struct DemoSeederTests {
    let anchor = DateText.parseDay("2026-11-20")!

    @Test func sameSeedGivesTheSameData() async throws {
        let first = try await seededDigest(seed: 7)
        let second = try await seededDigest(seed: 7)
        let other = try await seededDigest(seed: 8)
        #expect(first == second)
        #expect(first != other)
    }

    private func seededDigest(seed: UInt64) async throws -> String {
        try await withStore { store, _ in
            _ = try DemoSeeder(options: .init(members: 300, seed: seed, anchor: anchor, branches: 5)).run(into: store)
            let a = try await store.memberProfile(memberNo: "M00000123", timelineLimit: 50)
            let stats = try await store.statistics()
            let orders = a?.recentOrders.map(\.orderNo) ?? []
            return "\(stats.tables.sorted { $0.key < $1.key })|\(String(describing: a?.member))|\(orders)"
        }
    }

    @Test func dataLooksLikeARestaurantGroup() async throws {
        try await withStore { store, _ in
            let report = try DemoSeeder(options: .init(members: 3000, seed: 1, anchor: anchor)).run(into: store)
            let rows = report.rows
            #expect(rows["branches"] == 24)
            #expect(rows["members"] == 3000)
            let orders = try #require(rows["orders"])
            #expect((7500...11_000).contains(orders), "about 3 orders per member, got \(orders)")
            #expect(rows["complaints", default: 0] > 0)
            #expect(rows["delivery_feedback", default: 0] > 0)
            let stats = try await store.statistics()
            #expect(stats.invalidContacts["phone", default: 0] > 0, "a few invalid phones")
            #expect(stats.invalidContacts["email", default: 0] > 0, "a few invalid emails")
            #expect(stats.invalidContacts["phone", default: 0] < 60)
            #expect(try store.foreignKeyViolations() == 0, "seeding with checks off still keeps every reference")
            // The members' order totals are recounted after the load, and the triggers are back for the next order.
            #expect(try store.orderTotalsMismatches() == 0)
            let member = try #require(try await store.memberProfile(memberNo: "M00000123", timelineLimit: 1)?.member)
            _ = try await store.apply(
                .orders([
                    Order(
                        orderNo: "LATE-1", memberNo: member.memberNo, branchCode: "B001", source: .agent, kind: .delivery, status: .placed,
                        orderedAt: anchor + 86_400, scheduledAt: nil, partySize: nil, amountFen: 12_345)
                ]), dryRun: false)
            #expect(try store.orderTotalsMismatches() == 0)
        }
    }

    @Test func refusesToSeedOverExistingMembers() async throws {
        try await withStore { store, _ in
            _ = try DemoSeeder(options: .init(members: 5, anchor: anchor)).run(into: store)
            #expect(throws: DemoSeeder.AlreadySeeded.self) {
                try DemoSeeder(options: .init(members: 5, anchor: anchor)).run(into: store)
            }
        }
    }
}
