import Foundation
import GRDB

extension SQLiteStore {
    public func conversions(campaignId: Int64) async throws -> CampaignConversions {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT COALESCE(m.variant, '') AS variant, COUNT(*) AS n,
                          COALESCE(SUM(o.amount_fen), 0) AS amount,
                          MIN(c.converted_at) AS first, MAX(c.converted_at) AS last
                        FROM conversions c LEFT JOIN messages m ON m.id = c.message_id
                          LEFT JOIN orders o ON o.id = c.order_id
                        WHERE c.campaign_id = ? GROUP BY 1
                        """),
                arguments: [campaignId])
            var byVariant: [String: Int] = [:]
            var amount = 0
            var first: Int64?
            var last: Int64?
            for row in rows {
                byVariant[row["variant"]] = row["n"]
                amount += row["amount"] as Int
                let (earliest, latest): (Int64, Int64) = (row["first"], row["last"])
                first = min(first ?? earliest, earliest)
                last = max(last ?? latest, latest)
            }
            return CampaignConversions(
                campaignId: campaignId, count: byVariant.values.reduce(0, +), byVariant: byVariant, amountFen: amount,
                first: Self.date(first), last: Self.date(last))
        }
    }

    // MARK: - Inside an import's transaction

    /// A prospect goes in as a member row marked `prospect = 1` under its
    /// derived number, with the consents given on the enquiry; a phone that
    /// already belongs to a member (a converted prospect included) is skipped.
    static func upsert(
        _ prospect: Prospect, _ db: Database, _ now: Int64, _ lookups: inout ReferenceLookups
    ) throws -> RowOutcome {
        if let memberNo = try String.fetchOne(
            db.cachedStatement(
                sql: "SELECT member_no FROM members WHERE phone = ? AND prospect = 0 ORDER BY id LIMIT 1"),
            arguments: [prospect.phone])
        {
            return .skipped(reason: "already a member \(memberNo)")
        }
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT prospect, enquired_at FROM members WHERE member_no = ?"),
            arguments: [prospect.memberNo])
        let isProspect: Bool? = existing?["prospect"]
        if isProspect == false {
            // Two phones hashing to one number, or a member whose phone changed since.
            let reason = "its prospect number \(prospect.memberNo) belongs to a member with another phone"
            return .rejected(field: "phone", reason: reason)
        }
        var branchId: Int64?
        if let code = prospect.branchCode {
            guard let id = try lookups.branch(code, db) else {
                return .rejected(field: "branch", reason: "unknown branch '\(code)'")
            }
            branchId = id
        }
        let storedEnquiry: Int64? = existing?["enquired_at"]
        let enquiredAt = prospect.enquiredAt?.unixMillis ?? storedEnquiry ?? now
        let (upserted, memberId) = try upsertRow(
            db, table: "members", keyColumn: "member_no", key: prospect.memberNo,
            columns: [
                "name", "phone", "phone_status", "email", "email_status", "email_reason", "branch_id",
                "prospect", "prospect_source", "enquired_at", "enquiry_note",
            ],
            values: [
                prospect.name, prospect.phone, ContactStatus.valid.rawValue,
                prospect.email.value, prospect.email.status.rawValue, prospect.email.reason, branchId,
                true, prospect.source.rawValue, enquiredAt, prospect.note,
            ],
            insertExtras: [
                "fax_status": ContactStatus.missing.rawValue, "level": MemberLevel.regular.rawValue,
                "timezone": prospect.timezone, "locale": prospect.locale, "created_at": now, "updated_at": now,
            ],
            updateExtras: ["updated_at": now])
        var outcome = upserted
        for change in prospect.consents {
            let result = try append(change, memberId: memberId, address: nil, now: now, db)
            if result != .duplicate, outcome == .unchanged { outcome = .updated }
        }
        return outcome
    }

    /// Makes a prospect a member, once: clears the mark and records the
    /// conversion against the campaign message that last reached them before
    /// `at` (submitted or delivered). Does nothing for anyone else.
    static func convertProspect(memberId: Int64, orderId: Int64?, at: Int64, now: Int64, _ db: Database) throws {
        try db.cachedStatement(
            sql: "UPDATE members SET prospect = 0, converted_at = ?, updated_at = ? WHERE id = ? AND prospect = 1"
        ).execute(arguments: [at, now, memberId])
        guard db.changesCount > 0 else { return }
        let reached = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT id, campaign_id FROM messages
                    WHERE member_id = ? AND campaign_id IS NOT NULL AND (status = 'submitted' OR status = 'delivered')
                      AND COALESCE(submitted_at, updated_at) <= ?
                    ORDER BY COALESCE(submitted_at, updated_at) DESC, id DESC LIMIT 1
                    """),
            arguments: [memberId, at])
        try db.cachedStatement(
            sql: """
                INSERT INTO conversions (member_id, order_id, campaign_id, message_id, converted_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id) DO NOTHING
                """
        ).execute(arguments: [memberId, orderId, reached?["campaign_id"] as Int64?, reached?["id"] as Int64?, at])
    }
}
