import Foundation
import GRDB

extension SQLiteStore {
    static let ordersCursor = "orders"

    /// New orders past their cursor, each attributed to every campaign that
    /// chose its member in the `CampaignOrders.maxDays` before it: as a
    /// recipient (the campaign's first message to them in that time, with its
    /// variant) or as control. The member's first order per campaign adds to
    /// `members` at its day; every order adds to `orders` and `spend_fen`.
    /// Orders already cancelled when folded do not count (a later
    /// cancellation is not taken back). Messages and control rows are made at
    /// fan-out, before any order that follows them, so an order always finds
    /// the campaigns that were there when it was placed.
    static func foldOrders(_ db: Database, limit: Int, more: inout Bool) throws -> Int {
        let after = try cursor(ordersCursor, db)
        guard let batch = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(id) AS last, COUNT(*) AS n FROM (SELECT id FROM orders WHERE id > ? ORDER BY id LIMIT ?)"),
            arguments: [after, limit]), let last = batch["last"] as Int64?
        else { return 0 }
        let window = Int64(CampaignOrders.maxDays) * 86_400_000
        let known = try db.cachedStatement(sql: "SELECT day, control, variant FROM campaign_buyers WHERE campaign_id = ? AND member_id = ?")
        let remember = try db.cachedStatement(
            sql: """
                INSERT INTO campaign_buyers (campaign_id, member_id, control, variant, day) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET control = excluded.control, variant = excluded.variant, day = excluded.day
                """)
        let count = try db.cachedStatement(
            sql: """
                INSERT INTO campaign_order_counts (campaign_id, control, variant, day, members, orders, spend_fen) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET members = members + excluded.members, orders = orders + excluded.orders,
                  spend_fen = spend_fen + excluded.spend_fen
                """)
        var attributed = 0
        for row in try Row.fetchAll(db.cachedStatement(sql: attributions), arguments: [after, last, window]) {
            let (campaign, member, control, variant) = (row["campaign_id"] as Int64, row["member_id"] as Int64, row["control"] as Int, row["variant"] as String)
            let day = Int((row["ordered_at"] as Int64 - row["chosen_at"] as Int64) / 86_400_000)
            try count.execute(arguments: [campaign, control, variant, day, 0, 1, max(0, row["amount_fen"] as Int)])
            // The member counts once, at the day of their earliest order (orders may come in out of time order).
            let earlier = try Row.fetchOne(known, arguments: [campaign, member])
            if earlier.map({ day < $0["day"] }) ?? true {
                try remember.execute(arguments: [campaign, member, control, variant, day])
                try count.execute(arguments: [campaign, control, variant, day, 1, 0, 0])
                if let earlier { try count.execute(arguments: [campaign, earlier["control"], earlier["variant"], earlier["day"], -1, 0, 0]) }
            }
            attributed += 1
        }
        try setCursor(ordersCursor, to: last, db)
        if batch["n"] as Int >= limit { more = true }
        return attributed
    }

    /// Each order in (`?1`, `?2`] with each campaign that chose its member
    /// within `?3` ms before it: messages through `messages_member`, control
    /// rows through `campaign_control_member`. In order of the orders, so a
    /// member's first order is remembered first.
    private static let attributions = """
        SELECT o.id AS order_id, o.member_id, o.ordered_at, o.amount_fen, m.campaign_id, 0 AS control,
          COALESCE(m.variant, '') AS variant, MIN(m.created_at) AS chosen_at
        FROM orders o JOIN messages m ON m.member_id = o.member_id AND m.created_at <= o.ordered_at AND m.created_at > o.ordered_at - ?3
        WHERE o.id > ?1 AND o.id <= ?2 AND o.status <> 'cancelled' AND m.campaign_id IS NOT NULL
        GROUP BY o.id, m.campaign_id
        UNION ALL
        SELECT o.id, o.member_id, o.ordered_at, o.amount_fen, c.campaign_id, 1, '', MIN(c.created_at)
        FROM orders o JOIN campaign_control c ON c.member_id = o.member_id AND c.created_at <= o.ordered_at
          AND c.created_at > o.ordered_at - ?3
        WHERE o.id > ?1 AND o.id <= ?2 AND o.status <> 'cancelled'
        GROUP BY o.id, c.campaign_id
        ORDER BY 1
        """

    public func campaignOrders(campaignId: Int64, days: Int) async throws -> CampaignOrders {
        try await pool.read { db in
            var result = CampaignOrders()
            func key(_ variant: String) -> String { variant.isEmpty ? "-" : variant }
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT variant, SUM(messages) AS n FROM message_counts WHERE campaign_id = ? GROUP BY variant"),
                arguments: [campaignId])
            {
                result.variants[key(row["variant"]), default: ArmOrders()].members += row["n"] as Int
            }
            result.control.members = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COALESCE(SUM(control), 0) FROM campaign_runs WHERE campaign_id = ?"), arguments: [campaignId]
            ) ?? 0
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT control, variant, SUM(members) AS members, SUM(orders) AS orders, SUM(spend_fen) AS spend
                        FROM campaign_order_counts WHERE campaign_id = ? AND day < ? GROUP BY control, variant
                        """), arguments: [campaignId, days])
            {
                let figures = ArmOrders(ordered: row["members"], orders: row["orders"], spendFen: row["spend"])
                if row["control"] as Int == 1 {
                    result.control.add(figures)
                } else {
                    result.variants[key(row["variant"]), default: ArmOrders()].add(figures)
                }
            }
            return result
        }
    }
}
