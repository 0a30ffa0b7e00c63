import Foundation
import GRDB

extension SQLiteStore: Receipts {
    public func applyReceipts(
        _ receipts: [ReceiptRecord], rules: any FeedbackRules
    ) async throws -> [MessageTransitionResult] {
        try await pool.write { db in try receipts.map { try Self.applyReceipt($0, rules: rules, db) } }
    }

    public func appendReceipts(_ receipts: [ReceiptRecord]) async throws {
        guard !receipts.isEmpty else { return }
        try await pool.write { db in
            // One prepared row statement run per receipt: a multi-row VALUES list is parsed anew for every
            // append, which took twice as long for the 10-60 receipts an append usually carries.
            let insert = try db.cachedStatement(sql: """
                INSERT INTO receipt_inbox
                  (message_id, gateway, provider_message_id, outcome, detail, address_invalid, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for receipt in receipts {
                try insert.execute(arguments: [
                    receipt.messageId, receipt.gateway, receipt.providerMessageId, receipt.outcome.rawValue,
                    receipt.detail, receipt.addressInvalid, receipt.receivedAt.unixMillis,
                ])
            }
        }
    }

    public func applyReceiptInbox(limit: Int, rules: any FeedbackRules) async throws -> ReceiptInboxPass {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT id, message_id, gateway, provider_message_id, outcome, detail, address_invalid, received_at
                    FROM receipt_inbox ORDER BY id LIMIT ?
                    """),
                arguments: [limit])
            guard let last = rows.last?["id"] as Int64? else { return ReceiptInboxPass(results: []) }
            let results = try rows.map { row in
                let receipt = ReceiptRecord(
                    messageId: row["message_id"], gateway: row["gateway"],
                    providerMessageId: row["provider_message_id"],
                    outcome: try Self.decoded(row["outcome"], column: "receipt_inbox.outcome"), detail: row["detail"],
                    addressInvalid: row["address_invalid"], receivedAt: Date(unixMillis: row["received_at"]))
                return try Self.applyReceipt(receipt, rules: rules, db)
            }
            // The pass took the oldest rows, so these are exactly the ones applied.
            try db.cachedStatement(sql: "DELETE FROM receipt_inbox WHERE id <= ?").execute(arguments: [last])
            return ReceiptInboxPass(results: results)
        }
    }

    public func receiptInboxDepth() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM receipt_inbox") ?? 0 }
    }

    /// Matches one receipt (our id, else gateway and provider id) and applies it
    /// through the state machine and the rules, inside the caller's transaction.
    private static func applyReceipt(_ receipt: ReceiptRecord, rules: any FeedbackRules, _ db: Database) throws
        -> MessageTransitionResult
    {
        var id = receipt.messageId
        if id == nil, let providerId = receipt.providerMessageId {
            id = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM messages WHERE gateway = ? AND provider_message_id = ?"),
                arguments: [receipt.gateway, providerId])
        }
        guard let id else { return .notFound }
        // Only the gateway that carried a message reports on it: a receipt naming a message that went (or is
        // pinned) elsewhere matches nothing, whatever its token allowed. One the row has no gateway for yet
        // (the worker died before recording the acceptance) is taken.
        let carrier = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT gateway, pinned_gateway, channel, purpose FROM messages WHERE id = ?"),
            arguments: [id])
        guard let carrier else { return .notFound }
        if let known = (carrier["gateway"] as String?) ?? carrier["pinned_gateway"], known != receipt.gateway {
            return .notFound
        }
        let at = receipt.receivedAt.unixMillis
        // A receipt can be the first we hear of an acceptance (the worker died before recording it).
        try db.cachedStatement(sql: """
            UPDATE messages SET gateway = COALESCE(gateway, ?), provider_message_id = COALESCE(provider_message_id, ?)
            WHERE id = ? AND (gateway IS NULL OR provider_message_id IS NULL)
            """).execute(arguments: [receipt.gateway, receipt.providerMessageId, id])
        let result = try apply(.receipt(receipt.outcome, detail: receipt.detail), to: id, leaseOwner: nil, at: at, db)
        let facts = ReceiptFacts(
            messageId: id, transition: result, channel: try decoded(carrier["channel"], column: "messages.channel"),
            purpose: (carrier["purpose"] as String?).flatMap(MessagePurpose.init(rawValue:)))
        let actions = rules.decide(receipt, facts: facts)
        try execute(actions, at: at, db)
        return result
    }

    public func recordInbound(_ messages: [InboundRecord], rules: any FeedbackRules) async throws -> [InboundResult] {
        try await pool.write { db in
            try messages.map { message in
                var message = message
                // A link to a message only holds when that message went through the same gateway.
                let answered = try message.inReplyTo.flatMap { try Self.answered($0, gateway: message.gateway, db) }
                if answered == nil { message.inReplyTo = nil }
                // A provider that links the answer to our message need not repeat who answered.
                if message.from.isEmpty, let address = answered?.address { message.from = address }
                // The message answered tells us the member best; else the sender's address.
                var sender = answered?.sender
                if sender == nil {
                    let column = message.channel == .email ? "email" : "phone"
                    sender = try Row.fetchOne(
                        db.cachedStatement(
                            sql: "SELECT id, member_no FROM members WHERE \(column) = ? ORDER BY id LIMIT 1"),
                        arguments: [message.from]
                    ).map { InboundFacts.Sender(memberId: $0["id"], memberNo: $0["member_no"]) }
                }
                let asked = try rules.complaintAsked(in: message).flatMap { try Self.askedComplaint($0, db) }
                // A reply the provider links to nothing may still answer the survey the number got last.
                var latestSurvey: InboundFacts.Answered?
                if answered == nil, message.channel == .sms, message.kind == .reply {
                    latestSurvey = try Self.latestSurvey(
                        to: message.from, within: rules.surveyWindow, before: message.receivedAt, db)
                }
                let facts = InboundFacts(sender: sender, answered: answered?.facts, complaint: asked, latestSurvey: latestSurvey)
                let decision = rules.decide(message, facts: facts)
                try db.cachedStatement(
                    sql: """
                        INSERT INTO inbound_messages (channel, kind, from_address, to_address, body, member_id, message_id, gateway,
                          provider_message_id, received_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (gateway, provider_message_id) DO NOTHING
                        """
                ).execute(arguments: [
                    message.channel.rawValue, decision.kind.rawValue, message.from, message.to, message.body,
                    sender?.memberId, message.inReplyTo, message.gateway, message.providerMessageId,
                    message.receivedAt.unixMillis,
                ])
                guard db.changesCount > 0 else { return .duplicate }
                let inboundId = db.lastInsertedRowID
                let evidence = "inbound #\(inboundId) via \(message.gateway): \(String(message.body.prefix(40)))"
                try Self.execute(
                    decision.actions, at: message.receivedAt.unixMillis, evidence: evidence, inboundId: inboundId, db)
                return .stored(memberNo: sender?.memberNo, decision: decision)
            }
        }
    }

    /// The complaint with number `complaintNo` and its member's phone; nil if there is none.
    private static func askedComplaint(_ complaintNo: String, _ db: Database) throws -> AskedComplaint? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT c.complaint_no, c.status, c.department, c.department_notified_at, m.phone
                        FROM complaints c JOIN members m ON m.id = c.member_id WHERE c.complaint_no = ?
                        """),
                arguments: [complaintNo])
        else { return nil }
        let status: ComplaintStatus = try decoded(row["status"], column: "complaints.status")
        return AskedComplaint(
            complaintNo: row["complaint_no"], status: status, department: row["department"], memberPhone: row["phone"],
            departmentNotifiedAt: date(row["department_notified_at"]))
    }

    /// The latest survey SMS a member with this number was sent within
    /// `window` before `at`: what a bare "4" most likely answers.
    private static func latestSurvey(
        to address: String, within window: TimeInterval, before at: Date, _ db: Database
    ) throws -> InboundFacts.Answered? {
        let id = try Int64.fetchOne(
            db.cachedStatement(sql: """
                SELECT x.id FROM members m JOIN messages x ON x.member_id = m.id
                WHERE m.phone = ? AND x.address = ? AND x.channel = 'sms' AND x.category = 'survey'
                  AND x.submitted_at >= ? AND x.submitted_at <= ?
                ORDER BY x.submitted_at DESC, x.id DESC LIMIT 1
                """),
            arguments: [address, address, at.addingTimeInterval(-window).unixMillis, at.unixMillis])
        return try id.flatMap { try answered($0, gateway: nil, db)?.facts }
    }

    /// Our message an inbound answers: its address, its member, and the facts
    /// the rules read. With a gateway, only a message that went through it.
    private static func answered(
        _ id: Int64, gateway: String?, _ db: Database
    ) throws -> (address: String, sender: InboundFacts.Sender?, facts: InboundFacts.Answered)? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT x.address, x.channel, x.purpose, x.category, m.id AS member_id, m.member_no,
                          o.id AS order_id, o.status AS order_status,
                          EXISTS (SELECT 1 FROM orders WHERE id = x.order_id AND \(Schema.booked)) AS still_booked,
                          CASE WHEN x.category = 'survey' THEN COALESCE(
                            (SELECT json_extract(c.definition, '$.survey.answers') FROM campaigns c
                             WHERE c.id = x.campaign_id),
                            '{}') END AS survey_answers
                        FROM messages x LEFT JOIN members m ON m.id = x.member_id LEFT JOIN orders o ON o.id = x.order_id
                        WHERE x.id = ? AND (? IS NULL OR COALESCE(x.gateway, x.pinned_gateway, ?) = ?)
                        """),
                arguments: [id, gateway, gateway, gateway])
        else { return nil }
        let channel: Channel = try decoded(row["channel"], column: "channel")
        let category: ConsentCategory = try decoded(row["category"], column: "category")
        var booking: InboundFacts.Booking?
        if let orderId = row["order_id"] as Int64? {
            let status: OrderStatus = try decoded(row["order_status"], column: "orders.status")
            booking = InboundFacts.Booking(orderId: orderId, status: status, stillBooked: row["still_booked"])
        }
        let sender = (row["member_id"] as Int64?).map { InboundFacts.Sender(memberId: $0, memberNo: row["member_no"]) }
        let purpose = (row["purpose"] as String?).flatMap(MessagePurpose.init(rawValue:))
        var surveyAnswers: [String: String]?
        if let json = row["survey_answers"] as String? {
            guard let answers = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)) else {
                throw StoreError(
                    .inconsistent, place: "campaigns.definition",
                    message: "survey answers of message \(id) are not a map of text")
            }
            surveyAnswers = answers
        }
        return (
            row["address"], sender,
            InboundFacts.Answered(
                messageId: id, channel: channel, purpose: purpose, category: category, order: booking,
                memberId: sender?.memberId, surveyAnswers: surveyAnswers)
        )
    }

    /// Carries out what the feedback rules decided, inside the caller's
    /// transaction; `evidence` names what caused it in the consent ledger.
    static func execute(
        _ actions: [FeedbackAction], at: Int64, evidence: String? = nil, inboundId: Int64? = nil, _ db: Database
    ) throws {
        for action in actions {
            switch action {
            case .optOut(let optOut):
                try execute(optOut, at: at, evidence: evidence, db)
            case .answerBooking(let orderId, let status):
                // Only a booking still open: a guest cannot un-cancel or re-seat by pressing a key late.
                try db.cachedStatement(
                    sql: "UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND \(Schema.booked)"
                )
                .execute(arguments: [status.rawValue, at, orderId])
            case .flagContact(let messageId, let reason):
                try flagAddress(messageId: messageId, reason: reason, at: at, db)
            case .reply(let message):
                _ = try insert([message], at: at, db)
            case .answerSurvey(let answer):
                try record(answer, inboundId: inboundId, at: at, db)
            case .acknowledgeTicket(let messageId, let by):
                try acknowledgeTicket(messageId: messageId, by: by, at: at, db)
            }
        }
    }

    /// Revokes for every member with the address (and the member the answered
    /// message went to), or for the address when no member has it; confirms
    /// once, and only if something was revoked.
    private static func execute(_ optOut: OptOut, at: Int64, evidence: String?, _ db: Database) throws {
        let column = optOut.channels.contains(.email) ? "email" : "phone"
        var members = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM members WHERE \(column) = ? ORDER BY id"), arguments: [optOut.address])
        if let id = optOut.memberId, !members.contains(id) { members.append(id) }
        let subjects: [(memberId: Int64?, address: String?)] =
            members.isEmpty ? (optOut.address.isEmpty ? [] : [(nil, optOut.address)]) : members.map { ($0, nil) }
        var revoked = false
        for subject in subjects {
            for channel in optOut.channels {
                for category in optOut.categories {
                    let change = ConsentChange(
                        subject: .address(optOut.address), channel: channel, category: category, granted: false,
                        source: optOut.source, evidence: evidence, at: Date(unixMillis: at))
                    let result = try append(change, memberId: subject.memberId, address: subject.address, now: at, db)
                    revoked = revoked || result == .changed
                }
            }
        }
        if revoked, let confirmation = optOut.confirmation { _ = try insert([confirmation], at: at, db) }
    }

    /// Marks the contact a message went to as bounced, with the provider's words.
    static func flagAddress(messageId: Int64, reason: String, at: Int64, _ db: Database) throws {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT member_id, channel, address FROM messages WHERE id = ?"),
                arguments: [messageId]),
            let memberId = row["member_id"] as Int64?
        else { return }
        let column: String
        switch Channel(rawValue: row["channel"]) {
        case .sms, .voice: column = "phone"
        case .email: column = "email"
        case .fax: column = "fax"
        case nil: return
        }
        try db.cachedStatement(
            sql: """
                UPDATE members SET \(column)_status = 'bounced', \(column)_reason = ?, updated_at = ? WHERE id = ? AND \(column) = ?
                """
        ).execute(arguments: [reason, at, memberId, row["address"] as String])
    }
}
