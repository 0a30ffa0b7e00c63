import Foundation
import GRDB

extension SQLiteStore {
    public func messages(_ query: MessageQuery) async throws -> [MessageSummary] {
        try await pool.read { db in
            let sql: String
            var arguments: StatementArguments
            switch query.subject {
            case .member(let memberNo):
                guard
                    let id = try Int64.fetchOne(
                        db, sql: "SELECT id FROM members WHERE member_no = ?", arguments: [memberNo])
                else { return [] }
                (sql, arguments) = (Self.memberMessagesSQL, [id])
            case .campaign(let name):
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM campaigns WHERE name = ?", arguments: [name])
                else { return [] }
                (sql, arguments) = (Self.campaignMessagesSQL, [id])
            case .phone(let number):
                (sql, arguments) = (Self.phoneMessagesSQL, [number, query.beforeId, query.beforeId, number])
            }
            arguments += [query.beforeId, query.beforeId, query.limit]
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(Self.messageSummary)
        }
    }

    /// Only messages below the previous page's last id (none given: from the newest).
    private static let page = "(? IS NULL OR m.id < ?)"

    /// A member's messages, through `messages_member`. Arguments: member id, before id (twice), limit.
    static let memberMessagesSQL =
        "\(messageSummarySelect) WHERE m.member_id = ? AND \(page) ORDER BY m.id DESC LIMIT ?"

    /// A campaign's messages, through `messages_campaign`. Arguments: campaign id, before id (twice), limit.
    static let campaignMessagesSQL =
        "\(messageSummarySelect) WHERE m.campaign_id = ? AND \(page) ORDER BY m.id DESC LIMIT ?"

    /// Messages to a number that belong to no member (`messages_unlinked_address`), and every message of the
    /// members whose phone it is (`members_phone`, `messages_member`). Arguments: number, before id (twice),
    /// number, before id (twice), limit.
    static let phoneMessagesSQL = """
        \(messageSummarySelect) WHERE m.member_id IS NULL AND m.address = ? AND \(page)
        UNION ALL
        \(messageSummarySelect) WHERE m.member_id IN (SELECT id FROM members WHERE phone = ?) AND \(page)
        ORDER BY 1 DESC LIMIT ?
        """

    static let messageSummarySelect = """
        SELECT m.id, mb.member_no, c.name AS campaign_name, m.variant, m.purpose, m.channel, m.lane, m.category,
          m.address, m.template, m.status, m.status_reason, m.gateway, m.attempts, m.created_at, m.submitted_at,
          m.final_at
        FROM messages m LEFT JOIN members mb ON mb.id = m.member_id LEFT JOIN campaigns c ON c.id = m.campaign_id
        """

    static func messageSummary(_ row: Row) throws -> MessageSummary {
        MessageSummary(
            id: row["id"], memberNo: row["member_no"], campaign: row["campaign_name"], variant: row["variant"],
            purpose: row["purpose"], channel: try decoded(row["channel"], column: "messages.channel"),
            lane: try decoded(row["lane"], column: "messages.lane"),
            category: try decoded(row["category"], column: "messages.category"), address: row["address"],
            template: row["template"], status: try decoded(row["status"], column: "messages.status"),
            reason: row["status_reason"], gateway: row["gateway"], attempts: row["attempts"],
            createdAt: Date(unixMillis: row["created_at"]), submittedAt: date(row["submitted_at"]),
            finalAt: date(row["final_at"]))
    }
}
