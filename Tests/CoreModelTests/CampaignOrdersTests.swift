@testable import CoreModel
import Foundation
import GRDB
import Testing

/// Orders within N days of a campaign choosing its members, from the
/// rolled-up counts, against the orders table itself: two variants and a
/// control group, orders before the campaign, within the days, past the
/// window, cancelled, several per member and imported out of time order,
/// folded a few at a time while they come in.
struct CampaignOrdersTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let day: TimeInterval = 86_400

    /// Each arm's figures for `days`, from `orders`, `messages` and `campaign_control`.
    func independent(_ store: SQLiteStore, campaignId: Int64, days: Int) async throws -> CampaignOrders {
        try await store.pool.read { db in
            var result = CampaignOrders()
            let within = "o.status <> 'cancelled' AND o.ordered_at >= c.chosen_at AND o.ordered_at < c.chosen_at + ? * 86400000"
            let arms = """
                SELECT member_id, variant, MIN(created_at) AS chosen_at, 0 AS control FROM messages WHERE campaign_id = ?1 GROUP BY member_id
                UNION ALL SELECT member_id, '', MIN(created_at), 1 FROM campaign_control WHERE campaign_id = ?1 GROUP BY member_id
                """
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT c.control, c.variant, COUNT(DISTINCT c.member_id) AS members, COUNT(DISTINCT o.member_id) AS ordered,
                      COUNT(o.id) AS orders, COALESCE(SUM(o.amount_fen), 0) AS spend
                    FROM (\(arms)) c LEFT JOIN orders o ON o.member_id = c.member_id AND \(within)
                    GROUP BY 1, 2
                    """, arguments: [campaignId, days])
            {
                let arm = ArmOrders(members: row["members"], ordered: row["ordered"], orders: row["orders"], spendFen: row["spend"])
                if row["control"] as Int == 1 { result.control = arm } else { result.variants[row["variant"]] = arm }
            }
            return result
        }
    }

    @Test func ordersWithinDaysEqualTheOrdersTableForEveryArm() async throws {
        try await withStore { store, _ in
            var number = 0
            func orders(_ members: some Sequence<Int>, after days: Double, amount: Int = 8_800, status: OrderStatus = .delivered) -> [Order] {
                members.map { member in
                    number += 1
                    return Order(
                        orderNo: "O\(number)", memberNo: "M\(member)", branchCode: "B01", source: .web, kind: .delivery, status: status,
                        orderedAt: now + days * day, amountFen: amount + member)
                }
            }
            let id = try await seedCampaign(store, name: "lift", members: 300, controlBelow: 2_000, salt: 11, now: now)
            // Orders from before the campaign count for nothing.
            _ = try await store.apply(.orders(orders(1...300, after: -3)), dryRun: false)
            try await foldInSmallSteps(store)
            // Within a day, within a week, past 7 days, past the window, cancelled, a second order, one out of time order.
            _ = try await store.apply(.orders(orders(stride(from: 1, through: 300, by: 3), after: 0.5)), dryRun: false)
            try await foldInSmallSteps(store)
            _ = try await store.apply(.orders(orders(stride(from: 2, through: 300, by: 5), after: 4)), dryRun: false)
            _ = try await store.apply(.orders(orders(stride(from: 4, through: 300, by: 7), after: 12)), dryRun: false)
            _ = try await store.apply(.orders(orders(stride(from: 5, through: 300, by: 11), after: 45)), dryRun: false)
            _ = try await store.apply(.orders(orders(stride(from: 6, through: 300, by: 13), after: 1, status: .cancelled)), dryRun: false)
            _ = try await store.apply(.orders(orders(stride(from: 1, through: 300, by: 6), after: 2)), dryRun: false)
            try await foldInSmallSteps(store)
            _ = try await store.apply(.orders(orders(stride(from: 4, through: 300, by: 14), after: 0.1)), dryRun: false)
            try await foldInSmallSteps(store)

            for days in [1, 7, 30] {
                let got = try await store.campaignOrders(campaignId: id, days: days)
                let want = try await independent(store, campaignId: id, days: days)
                #expect(got == want, "within \(days) day(s)")
            }
            let week = try await store.campaignOrders(campaignId: id, days: 7)
            #expect(week.control.members > 30 && week.control.members < 90, "about 20% held out: \(week.control.members)")
            #expect(week.variants.values.map(\.members).reduce(0, +) + week.control.members == 300)
            #expect(week.variants.values.map(\.ordered).reduce(0, +) > 0 && week.control.ordered > 0)
            // Orders past the window (45 days) are nobody's.
            let month = try await store.campaignOrders(campaignId: id, days: 30)
            let ordersWithin30 = try await store.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE status <> 'cancelled' AND ordered_at >= ? AND ordered_at < ?",
                    arguments: [now.unixMillis, (now + 30 * day).unixMillis])
            }
            #expect(month.variants.values.map(\.orders).reduce(0, +) + month.control.orders == ordersWithin30)
            #expect(try await store.foldRollups(limit: 100) == RollupFold())
        }
    }

    /// The interval is the unpooled normal one for a difference of proportions.
    @Test func liftAndItsIntervalFollowTheTextbook() throws {
        let variant = ArmOrders(members: 1_000, ordered: 200)
        let control = ArmOrders(members: 1_000, ordered: 150)
        let lift = try #require(variant.lift(over: control))
        #expect(abs(lift.lift - 0.05) < 1e-12)
        // se = sqrt(.2·.8/1000 + .15·.85/1000) = 0.0169558; ± 1.96 se = 0.0332330.
        #expect(abs(lift.low - 0.016767) < 1e-5 && abs(lift.high - 0.083233) < 1e-5)
        #expect(ArmOrders(members: 0).lift(over: control) == nil)
    }

    func foldInSmallSteps(_ store: SQLiteStore) async throws {
        while try await store.foldRollups(limit: 7).more {}
    }
}
