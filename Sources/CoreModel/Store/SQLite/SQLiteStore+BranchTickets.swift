import Foundation
import GRDB

extension SQLiteStore: BranchTickets {
    public func branchTickets(_ filter: BranchTicketFilter) async throws -> [BranchTicket] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        \(Self.ticketSelect)
                        WHERE (?1 IS NULL OR b.code = ?1) AND (?2 = 0 OR t.acknowledged_at IS NULL)
                        ORDER BY t.slot_start DESC, t.id DESC LIMIT ?3
                        """),
                arguments: [filter.branchCode, filter.unacknowledged, filter.limit])
            return try Self.branchTickets(rows, db)
        }
    }

    public func ordersToTicket(
        kinds: [OrderKind], scheduledAfter after: Date, before: Date
    ) async throws -> [TicketOrder] {
        let kindList = String(decoding: try JSONEncoder().encode(kinds.map(\.rawValue)), as: UTF8.self)
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: Self.ordersToTicketSQL),
                arguments: [after.unixMillis, before.unixMillis, kindList])
            let items = try Self.items(ofOrders: rows.map { $0["id"] as Int64 }, db)
            return try rows.map { row in
                let id: Int64 = row["id"]
                let branch = TicketOrder.Branch(
                    id: row["branch_id"], code: row["branch_code"], name: row["branch_name"],
                    phone: row["branch_phone"], fax: row["branch_fax"], email: row["branch_email"])
                return TicketOrder(
                    id: id, orderNo: row["order_no"], kind: try Self.decoded(row["kind"], column: "orders.kind"),
                    scheduledAt: Date(unixMillis: row["scheduled_at"]), partySize: row["party_size"],
                    amountFen: row["amount_fen"], address: row["address"], memberName: row["member_name"],
                    memberPhone: row["member_phone"],
                    items: items[id] ?? [], branch: branch)
            }
        }
    }

    public func ticketsUnacknowledged(queuedThrough: Date, slotAfter: Date) async throws -> [BranchTicket] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: Self.ticketsUnacknowledgedSQL),
                arguments: [queuedThrough.unixMillis, slotAfter.unixMillis])
            return try Self.branchTickets(rows, db)
        }
    }

    /// ?1, ?2: the scheduled times (exclusive); ?3: the kinds as a JSON array. The
    /// times are read through `orders_schedule` (status, scheduled_at), one range per status.
    static let ordersToTicketSQL = """
        SELECT o.id, o.order_no, o.kind, o.scheduled_at, o.party_size, o.amount_fen, o.address,
          m.name AS member_name, m.phone AS member_phone, b.id AS branch_id, b.code AS branch_code,
          b.name AS branch_name, b.phone AS branch_phone, b.fax AS branch_fax, b.email AS branch_email
        FROM orders o JOIN members m ON m.id = o.member_id JOIN branches b ON b.id = o.branch_id
        WHERE o.id IN (SELECT id FROM orders WHERE \(Schema.ticketable) AND scheduled_at > ?1 AND scheduled_at < ?2)
          AND o.kind IN (SELECT value FROM json_each(?3))
          AND NOT EXISTS (SELECT 1 FROM branch_ticket_orders k WHERE k.order_id = o.id)
        ORDER BY b.code, o.scheduled_at, o.id
        """

    /// ?1: queued at or before; ?2: the slot starts after. Only tickets still open are in the index.
    static let ticketsUnacknowledgedSQL = """
        \(ticketSelect)
        WHERE t.id IN (
          SELECT id FROM branch_tickets INDEXED BY branch_tickets_open
          WHERE \(Schema.ticketOpen) AND slot_start > ?2 AND created_at <= ?1
        ) ORDER BY t.created_at, t.id
        """

    /// Writes a ticket, its message and its orders inside the caller's
    /// transaction. When any of its orders is on a ticket already (a second
    /// scan read them before the first committed), nothing is written and the
    /// result is that ticket's message; the orders left over are found by the next scan.
    static func write(_ ticket: NewBranchTicket, at: Int64, _ db: Database) throws -> EnqueueResult? {
        let orders = String(decoding: try JSONEncoder().encode(ticket.orderIds), as: UTF8.self)
        let taken = try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT t.message_id FROM branch_ticket_orders k JOIN branch_tickets t ON t.id = k.ticket_id
                    WHERE k.order_id IN (SELECT value FROM json_each(?)) LIMIT 1
                    """),
            arguments: [orders])
        if let taken { return .duplicate(messageId: taken) }
        guard let result = try insert([ticket.message], at: at, db).first else { return nil }
        let messageId: Int64
        switch result {
        case .enqueued(let id), .duplicate(let id): messageId = id
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO branch_tickets (branch_id, slot_start, channel, message_id, created_at)
                VALUES (?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            ticket.branchId, ticket.slotStart.unixMillis, ticket.message.channel.rawValue, messageId, at,
        ])
        try db.cachedStatement(
            sql: "INSERT INTO branch_ticket_orders (order_id, ticket_id) SELECT value, ? FROM json_each(?)"
        )
        .execute(arguments: [db.lastInsertedRowID, orders])
        return result
    }

    /// Escalates a ticket once, and only while nobody has acknowledged it: a
    /// key press or receipt that committed after the scan read it wins, and no call goes.
    static func escalate(_ call: TicketCall, at: Int64, _ db: Database) throws -> EnqueueResult? {
        try db.cachedStatement(
            sql: """
                UPDATE branch_tickets SET escalated_at = ?
                WHERE id = ? AND acknowledged_at IS NULL AND escalated_at IS NULL
                """
        ).execute(arguments: [at, call.ticketId])
        guard db.changesCount > 0, let message = call.message, let result = try insert([message], at: at, db).first
        else {
            return nil
        }
        switch result {
        case .enqueued(let id), .duplicate(let id):
            try db.cachedStatement(sql: "UPDATE branch_tickets SET call_message_id = ? WHERE id = ?")
                .execute(arguments: [id, call.ticketId])
        }
        return result
    }

    /// Marks the ticket whose message (a fax receipt) or call (a key press) this is acknowledged, the first time only.
    static func acknowledgeTicket(messageId: Int64, by: TicketAcknowledgement, at: Int64, _ db: Database) throws {
        let column = by == .faxReceipt ? "message_id" : "call_message_id"
        try db.cachedStatement(
            sql: """
                UPDATE branch_tickets SET acknowledged_at = ?, acknowledged_by = ?
                WHERE \(column) = ? AND acknowledged_at IS NULL
                """
        ).execute(arguments: [at, by.rawValue, messageId])
    }

    private static let ticketSelect = """
        SELECT t.id, b.code AS branch_code, b.name AS branch_name, b.phone AS branch_phone, t.slot_start, t.channel,
          t.created_at, t.acknowledged_at, t.acknowledged_by, t.escalated_at, x.status AS message_status,
          c.status AS call_status
        FROM branch_tickets t JOIN branches b ON b.id = t.branch_id JOIN messages x ON x.id = t.message_id
        LEFT JOIN messages c ON c.id = t.call_message_id
        """

    /// The tickets of `rows` (from `ticketSelect`) with their order numbers, by scheduled time.
    private static func branchTickets(_ rows: [Row], _ db: Database) throws -> [BranchTicket] {
        let ids = String(decoding: try JSONEncoder().encode(rows.map { $0["id"] as Int64 }), as: UTF8.self)
        var orderNos: [Int64: [String]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT k.ticket_id, o.order_no FROM branch_ticket_orders k JOIN orders o ON o.id = k.order_id
                    WHERE k.ticket_id IN (SELECT value FROM json_each(?)) ORDER BY k.ticket_id, o.scheduled_at, o.id
                    """),
            arguments: [ids])
        {
            orderNos[row["ticket_id"], default: []].append(row["order_no"])
        }
        return try rows.map { row in
            let id: Int64 = row["id"]
            let acknowledgedBy = try (row["acknowledged_by"] as String?).map {
                try decoded($0, column: "branch_tickets.acknowledged_by") as TicketAcknowledgement
            }
            let callStatus = try (row["call_status"] as String?).map {
                try decoded($0, column: "messages.status") as MessageStatus
            }
            return BranchTicket(
                id: id, branchCode: row["branch_code"], branchName: row["branch_name"],
                branchPhone: row["branch_phone"],
                slotStart: Date(unixMillis: row["slot_start"]),
                channel: try decoded(row["channel"], column: "branch_tickets.channel"),
                orderNos: orderNos[id] ?? [], createdAt: Date(unixMillis: row["created_at"]),
                messageStatus: try decoded(row["message_status"], column: "messages.status"),
                acknowledgedAt: date(row["acknowledged_at"]), acknowledgedBy: acknowledgedBy,
                escalatedAt: date(row["escalated_at"]),
                callStatus: callStatus)
        }
    }

    /// The dishes of each order, in line order.
    private static func items(ofOrders ids: [Int64], _ db: Database) throws -> [Int64: [TicketOrder.Item]] {
        guard !ids.isEmpty else { return [:] }
        let list = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
        var items: [Int64: [TicketOrder.Item]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT i.order_id, m.name, i.quantity FROM order_items i JOIN menu_items m ON m.id = i.menu_item_id
                    WHERE i.order_id IN (SELECT value FROM json_each(?)) ORDER BY i.order_id, i.line
                    """),
            arguments: [list])
        {
            items[row["order_id"], default: []].append(TicketOrder.Item(name: row["name"], quantity: row["quantity"]))
        }
        return items
    }
}
