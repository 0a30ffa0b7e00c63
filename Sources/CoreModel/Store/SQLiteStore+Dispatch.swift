import Foundation
import GRDB

extension SQLiteStore {
    public func sendContexts(for messages: [OutboxMessage], recentSince: [ConsentCategory: Date]) async throws -> [Int64: SendContext] {
        try await pool.read { db in
            let facts = try db.cachedStatement(sql: """
                SELECT m.member_no, m.timezone,
                  CASE x.channel WHEN 'email' THEN m.email_status WHEN 'fax' THEN m.fax_status ELSE m.phone_status END,
                  (SELECT granted FROM consents c WHERE c.member_id = x.member_id AND c.channel = x.channel AND c.category = x.category),
                  EXISTS (SELECT 1 FROM blacklist b WHERE b.address = x.address),
                  EXISTS (SELECT 1 FROM complaints k WHERE k.member_id = x.member_id AND (k.status = 'open' OR k.status = 'in_progress')),
                  o.order_no, o.status, o.scheduled_at, x.bound_at
                FROM messages x LEFT JOIN members m ON m.id = x.member_id LEFT JOIN orders o ON o.id = x.order_id
                WHERE x.id = ?
                """)
            let recent = try db.cachedStatement(sql: """
                SELECT submitted_at FROM messages
                WHERE member_id = ? AND category = ? AND submitted_at >= ? AND id != ?
                """)
            var contexts: [Int64: SendContext] = [:]
            contexts.reserveCapacity(messages.count)
            for message in messages {
                guard let row = try Row.fetchOne(facts, arguments: [message.id]) else { continue }
                var context = SendContext(messageId: message.id, memberNo: row[0], blacklisted: row[4], hasOpenComplaint: row[5])
                if context.memberNo != nil {
                    context.timeZone = row[1]
                    context.contactStatus = (row[2] as String?).flatMap(ContactStatus.init(rawValue:)) ?? .missing
                    context.consentGranted = row[3]
                }
                if let orderNo = row[6] as String?, let status = (row[7] as String?).flatMap(OrderStatus.init(rawValue:)) {
                    context.order = OrderBinding(
                        orderNo: orderNo, status: status, scheduledAt: (row[8] as Int64?).map(Date.init(unixMillis:)),
                        boundAt: (row[9] as Int64?).map(Date.init(unixMillis:)))
                }
                if let memberId = message.memberId, let since = recentSince[message.category] {
                    context.recentSendTimes = try Int64.fetchAll(recent, arguments: [memberId, message.category.rawValue, since.unixMillis, message.id])
                        .map(Date.init(unixMillis:))
                }
                contexts[message.id] = context
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

    @discardableResult
    public func recordConsent(memberNo: String, channel: Channel, category: ConsentCategory, granted: Bool, source: String, at: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO consents (member_id, channel, category, granted, source, changed_at)
                    SELECT id, ?, ?, ?, ?, ? FROM members WHERE member_no = ?
                    ON CONFLICT (member_id, channel, category) DO UPDATE SET granted = excluded.granted, source = excluded.source, changed_at = excluded.changed_at
                    """,
                arguments: [channel.rawValue, category.rawValue, granted, source, at.unixMillis, memberNo])
            return db.changesCount > 0
        }
    }
}
