import Foundation
import GRDB

extension SQLiteStore {
    public func applyReceipts(_ receipts: [ReceiptRecord]) async throws -> [MessageTransitionResult] {
        try await pool.write { db in
            try receipts.map { receipt in
                var id = receipt.messageId
                if id == nil, let providerId = receipt.providerMessageId {
                    id = try Int64.fetchOne(
                        db.cachedStatement(sql: "SELECT id FROM messages WHERE gateway = ? AND provider_message_id = ?"),
                        arguments: [receipt.gateway, providerId])
                }
                guard let id else { return .notFound }
                let result = try Self.apply(.receipt(receipt.outcome, detail: receipt.detail), to: id, leaseOwner: nil, at: receipt.receivedAt.unixMillis, db)
                if receipt.addressInvalid, case .applied = result {
                    try Self.flagAddress(messageId: id, reason: receipt.detail ?? "provider reports the address does not exist", at: receipt.receivedAt.unixMillis, db)
                }
                return result
            }
        }
    }

    /// Marks the contact a message went to as bounced, with the provider's words.
    static func flagAddress(messageId: Int64, reason: String, at: Int64, _ db: Database) throws {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT member_id, channel, address FROM messages WHERE id = ?"), arguments: [messageId]),
            let memberId = row["member_id"] as Int64?
        else { return }
        let column: String
        switch Channel(rawValue: row["channel"]) {
        case .sms, .voice: column = "phone"
        case .email: column = "email"
        case .fax: column = "fax"
        case nil: return
        }
        try db.cachedStatement(sql: "UPDATE members SET \(column)_status = 'bounced', \(column)_reason = ?, updated_at = ? WHERE id = ? AND \(column) = ?")
            .execute(arguments: [reason, at, memberId, row["address"] as String])
    }

    public func recordInbound(_ messages: [InboundRecord]) async throws -> [InboundResult] {
        try await pool.write { db in
            try messages.map { message in
                let at = message.receivedAt.unixMillis
                // The message answered tells us the member best; else the sender's address.
                var member: Row?
                if let replyTo = message.inReplyTo {
                    member = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT m.id, m.member_no FROM messages x JOIN members m ON m.id = x.member_id WHERE x.id = ?"),
                        arguments: [replyTo])
                }
                if member == nil {
                    member = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT id, member_no FROM members WHERE \(message.channel == .email ? "email" : "phone") = ? ORDER BY id LIMIT 1"),
                        arguments: [message.from])
                }
                let memberId = member?["id"] as Int64?
                try db.cachedStatement(sql: """
                    INSERT INTO inbound_messages (channel, kind, from_address, to_address, body, member_id, message_id, gateway, provider_message_id, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (gateway, provider_message_id) DO NOTHING
                    """).execute(arguments: [
                        message.channel.rawValue, message.kind.rawValue, message.from, message.to, message.body, memberId, message.inReplyTo,
                        message.gateway, message.providerMessageId, at,
                    ])
                guard db.changesCount > 0 else { return .duplicate }
                var revoked = false
                if let memberId, message.kind == .optout || message.kind == .unsubscribe {
                    // Opting out by SMS reply stops marketing by SMS (and voice
                    // on the same number); an email unsubscribe stops email.
                    let channels: [Channel] = message.channel == .email ? [.email] : [.sms, .voice]
                    for channel in channels {
                        try db.cachedStatement(sql: """
                            INSERT INTO consents (member_id, channel, category, granted, source, changed_at) VALUES (?, ?, 'marketing', 0, ?, ?)
                            ON CONFLICT (member_id, channel, category) DO UPDATE SET granted = 0, source = excluded.source, changed_at = excluded.changed_at
                            """).execute(arguments: [memberId, channel.rawValue, message.kind == .optout ? "sms_reply" : "unsubscribe_link", at])
                    }
                    revoked = true
                }
                return .stored(memberNo: member?["member_no"], consentRevoked: revoked)
            }
        }
    }

    public func recordSendResults(_ results: [SendResult], owner: String, now: Date) async throws -> [MessageTransitionResult] {
        try await pool.write { db in
            let at = now.unixMillis
            return try results.map { result in
                if let gateway = result.gateway {
                    try db.cachedStatement(sql: "UPDATE messages SET gateway = ?, segments = COALESCE(?, segments), cost_micros = COALESCE(?, cost_micros) WHERE id = ? AND lease_owner = ?")
                        .execute(arguments: [gateway, result.segments, result.costMicros, result.messageId, owner])
                }
                let applied = try Self.apply(result.event, to: result.messageId, leaseOwner: owner, at: at, db)
                if let reason = result.invalidAddressReason, case .applied = applied {
                    try Self.flagAddress(messageId: result.messageId, reason: reason, at: at, db)
                }
                return applied
            }
        }
    }

    public func messageState(id: Int64) async throws -> MessageState? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT id, status, status_reason, gateway, provider_message_id, attempts FROM messages WHERE id = ?", arguments: [id])
            else { return nil }
            return MessageState(
                id: row["id"], status: MessageStatus(rawValue: row["status"]) ?? .unknown, reason: row["status_reason"], gateway: row["gateway"],
                providerMessageId: row["provider_message_id"], attempts: row["attempts"])
        }
    }
}
