import Foundation
import GRDB

extension SQLiteStore {
    public func sendContexts(for messages: [OutboxMessage], recentSince: [ConsentCategory: Date]) async throws -> [Int64: SendContext] {
        try await pool.read { db in
            // One statement for the batch: the ids go in as a JSON array.
            let facts = try db.cachedStatement(sql: """
                SELECT x.id, m.member_no, m.timezone,
                  CASE x.channel WHEN 'email' THEN m.email_status WHEN 'fax' THEN m.fax_status ELSE m.phone_status END,
                  (SELECT granted FROM (
                    SELECT granted, changed_at FROM consents c
                    WHERE c.member_id = x.member_id AND c.channel = x.channel AND c.category = x.category
                    UNION ALL
                    SELECT granted, changed_at FROM address_consents a
                    WHERE a.address = x.address AND a.channel = x.channel AND a.category = x.category
                  ) ORDER BY changed_at DESC LIMIT 1),
                  EXISTS (SELECT 1 FROM blacklist b WHERE b.address = x.address),
                  x.member_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM complaints k WHERE k.member_id = x.member_id AND (k.status = 'open' OR k.status = 'in_progress')),
                  o.order_no, o.status, o.scheduled_at, x.bound_at,
                  x.member_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM tasks t WHERE t.member_id = x.member_id AND t.status = 'open'),
                  (SELECT p.hold_until FROM personal_calls p WHERE p.member_id = x.member_id)
                FROM json_each(?) j JOIN messages x ON x.id = j.value
                LEFT JOIN members m ON m.id = x.member_id LEFT JOIN orders o ON o.id = x.order_id
                """)
            let recent = try db.cachedStatement(sql: """
                SELECT submitted_at FROM messages
                WHERE member_id = ? AND category = ? AND submitted_at >= ? AND id != ?
                """)
            let byId = Dictionary(messages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var contexts: [Int64: SendContext] = [:]
            contexts.reserveCapacity(messages.count)
            let rows = try Row.fetchCursor(facts, arguments: [Self.jsonArray(messages.map(\.id))])
            while let row = try rows.next() {
                let id: Int64 = row[0]
                guard let message = byId[id] else { continue }
                var context = SendContext(
                    messageId: id, memberNo: row[1], blacklisted: row[5], hasOpenComplaint: row[6],
                    hasOpenFollowUp: row[11], personalCallUntil: (row[12] as Int64?).map(Date.init(unixMillis:)))
                // The member's consent or the address's, whichever changed last.
                context.consentGranted = row[4]
                if context.memberNo != nil {
                    context.timeZone = row[2]
                    context.contactStatus = (row[3] as String?).flatMap(ContactStatus.init(rawValue:)) ?? .missing
                }
                if let orderNo = row[7] as String?, let status = (row[8] as String?).flatMap(OrderStatus.init(rawValue:)) {
                    context.order = OrderBinding(
                        orderNo: orderNo, status: status, scheduledAt: (row[9] as Int64?).map(Date.init(unixMillis:)),
                        boundAt: (row[10] as Int64?).map(Date.init(unixMillis:)))
                }
                if let memberId = message.memberId, let since = recentSince[message.category] {
                    context.recentSendTimes = try Int64.fetchAll(recent, arguments: [memberId, message.category.rawValue, since.unixMillis, message.id])
                        .map(Date.init(unixMillis:))
                }
                contexts[id] = context
            }
            return contexts
        }
    }

    public func dueCounts(upTo limit: Int, now: Date) async throws -> [Lane: Int] {
        try await pool.read { db in
            let count = try db.cachedStatement(sql: "SELECT COUNT(*) FROM (\(Self.dueSQL))")
            var counts: [Lane: Int] = [:]
            for lane in Lane.allCases {
                counts[lane] = try Int.fetchOne(count, arguments: [lane.rawValue, now.unixMillis, limit]) ?? 0
            }
            return counts
        }
    }
}
