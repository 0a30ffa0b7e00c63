import Foundation
import GRDB

extension SQLiteStore {
    public func apply(_ batch: ImportBatch, dryRun: Bool) async throws -> [RowOutcome] {
        try await pool.writeWithoutTransaction { db in
            var outcomes: [RowOutcome] = []
            try db.inTransaction(.immediate) {
                let now = Date().unixMillis
                var lookups = ReferenceLookups()
                switch batch {
                case .branches(let rows): outcomes = try rows.map { try Self.upsert($0, db, now) }
                case .menuItems(let rows): outcomes = try rows.map { try Self.upsert($0, db) }
                case .members(let rows): outcomes = try rows.map { try Self.upsert($0, db, now, &lookups) }
                case .orders(let rows): outcomes = try rows.map { try Self.upsert($0, db, now, &lookups) }
                case .complaints(let rows): outcomes = try rows.map { try Self.upsert($0, db, now, &lookups) }
                case .feedback(let rows): outcomes = try rows.map { try Self.upsert($0, db, &lookups) }
                case .consents(let rows): outcomes = try rows.map { try Self.importConsent($0, db, now) }
                case .blacklist(let rows):
                    outcomes = try rows.map { try Self.addToBlacklist($0, db) ? .inserted : .unchanged }
                case .prospects(let rows): outcomes = try rows.map { try Self.upsert($0, db, now, &lookups) }
                case .assignments(let rows): outcomes = try rows.map { try Self.assign($0, db) }
                }
                return dryRun ? .rollback : .commit
            }
            return outcomes
        }
    }

    /// Appended (whatever it does to the state) is inserted; seen before is unchanged.
    private static func importConsent(_ change: ConsentChange, _ db: Database, _ now: Int64) throws -> RowOutcome {
        switch try append(change, now: now, db) {
        case .changed, .unchanged: return .inserted
        case .duplicate: return .unchanged
        case .unknownMember:
            guard case .member(let number) = change.subject else { return .unchanged }
            return .rejected(field: "member_no", reason: "unknown member '\(number)'")
        }
    }

    /// Natural key → row id, cached for one transaction.
    struct ReferenceLookups {
        var branches: [String: Int64?] = [:]
        var members: [String: Int64?] = [:]
        var orders: [String: Int64?] = [:]
        var menu: [Int: (id: Int64, price: Int)?] = [:]

        mutating func branch(_ code: String, _ db: Database) throws -> Int64? {
            if let cached = branches[code] { return cached }
            let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM branches WHERE code = ?"), arguments: [code])
            branches[code] = id
            return id
        }

        mutating func member(_ no: String, _ db: Database) throws -> Int64? {
            if let cached = members[no] { return cached }
            let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM members WHERE member_no = ?"), arguments: [no])
            members[no] = id
            return id
        }

        mutating func order(_ no: String, _ db: Database) throws -> Int64? {
            if let cached = orders[no] { return cached }
            let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM orders WHERE order_no = ?"), arguments: [no])
            orders[no] = id
            return id
        }

        mutating func menuItem(_ code: Int, _ db: Database) throws -> (id: Int64, price: Int)? {
            if let cached = menu[code] { return cached }
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, price_fen FROM menu_items WHERE code = ?"), arguments: [code])
            let item = row.map { (id: $0["id"] as Int64, price: $0["price_fen"] as Int) }
            menu[code] = item
            return item
        }
    }

    /// Inserts when the key is new, updates only when a value differs.
    static func upsertRow(
        _ db: Database, table: String, keyColumn: String, key: DatabaseValueConvertible,
        columns: [String], values: [DatabaseValueConvertible?], insertExtras: [String: DatabaseValueConvertible?] = [:],
        updateExtras: [String: DatabaseValueConvertible?] = [:]
    ) throws -> (RowOutcome, Int64) {
        // Statements are cached per connection: the SQL text is the same for every row of a table.
        let find = try db.cachedStatement(sql: "SELECT id FROM \(table) WHERE \(keyColumn) = ?")
        if let id = try Int64.fetchOne(find, arguments: [key]) {
            let extraColumns = updateExtras.keys.sorted()
            let assignments = (columns + extraColumns).map { "\($0) = ?" }.joined(separator: ", ")
            let tuple = columns.joined(separator: ", ")
            let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            let update = try db.cachedStatement(sql: "UPDATE \(table) SET \(assignments) WHERE id = ? AND (\(tuple)) IS NOT (\(marks))")
            try update.execute(arguments: StatementArguments(values + extraColumns.map { updateExtras[$0]! } + [id] + values))
            return (db.changesCount > 0 ? .updated : .unchanged, id)
        }
        let extraColumns = insertExtras.keys.sorted()
        let allColumns = [keyColumn] + columns + extraColumns
        let insert = try db.cachedStatement(
            sql: "INSERT INTO \(table) (\(allColumns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: allColumns.count).joined(separator: ", ")))")
        try insert.execute(arguments: StatementArguments([key] + values + extraColumns.map { insertExtras[$0]! }))
        return (.inserted, db.lastInsertedRowID)
    }

    private static func upsert(_ branch: Branch, _ db: Database, _ now: Int64) throws -> RowOutcome {
        try upsertRow(
            db, table: "branches", keyColumn: "code", key: branch.code,
            columns: ["name", "district", "address", "phone", "fax", "email", "seats"],
            values: [
                branch.name, branch.district, branch.address, branch.phone, branch.fax, branch.email, branch.seats,
            ],
            insertExtras: ["created_at": now, "updated_at": now], updateExtras: ["updated_at": now]
        ).0
    }

    private static func upsert(_ item: MenuItem, _ db: Database) throws -> RowOutcome {
        try upsertRow(
            db, table: "menu_items", keyColumn: "code", key: item.code,
            columns: ["name", "price_fen", "category"], values: [item.name, item.priceFen, item.category]
        ).0
    }

    private static func upsert(_ member: Member, _ db: Database, _ now: Int64, _ lookups: inout ReferenceLookups) throws -> RowOutcome {
        var branchId: Int64?
        if let code = member.branchCode {
            guard let id = try lookups.branch(code, db) else { return .rejected(field: "branch_code", reason: "unknown branch '\(code)'") }
            branchId = id
        }
        let (outcome, memberId) = try upsertRow(
            db, table: "members", keyColumn: "member_no", key: member.memberNo,
            columns: [
                "name", "phone", "phone_status", "phone_reason", "email", "email_status", "email_reason",
                "fax", "fax_status", "fax_reason", "level", "points", "tags", "timezone", "locale", "branch_id", "joined_at",
                "birthday",
            ],
            values: [
                member.name, member.phone.value, member.phone.status.rawValue, member.phone.reason,
                member.email.value, member.email.status.rawValue, member.email.reason,
                member.fax.value, member.fax.status.rawValue, member.fax.reason,
                member.level.rawValue, member.points, member.tags.joined(separator: ","), member.timezone, member.locale,
                branchId, member.joinedAt?.unixMillis, member.birthday,
            ],
            insertExtras: ["created_at": now, "updated_at": now], updateExtras: ["updated_at": now])
        // A prospect imported as a member (under its P number) has joined: a conversion without an order.
        try convertProspect(memberId: memberId, orderId: nil, at: now, now: now, db)
        return outcome
    }

    private static func upsert(_ order: Order, _ db: Database, _ now: Int64, _ lookups: inout ReferenceLookups) throws -> RowOutcome {
        guard let memberId = try lookups.member(order.memberNo, db) else {
            return .rejected(field: "member_no", reason: "unknown member '\(order.memberNo)'")
        }
        guard let branchId = try lookups.branch(order.branchCode, db) else {
            return .rejected(field: "branch_code", reason: "unknown branch '\(order.branchCode)'")
        }
        var lines: [(menuId: Int64, quantity: Int, price: Int)] = []
        for line in order.items {
            guard let item = try lookups.menuItem(line.menuCode, db) else {
                return .rejected(field: "items", reason: "unknown menu code \(line.menuCode)")
            }
            lines.append((item.id, line.quantity, item.price))
        }
        let amount = order.amountFen >= 0 ? order.amountFen : lines.reduce(0) { $0 + $1.quantity * $1.price }
        var taker: Int64?
        if let staffNo = order.takenBy {
            taker = try staffMember(staffNo, db)?.id
            guard taker != nil else { return .rejected(field: "taken_by", reason: "unknown staff member '\(staffNo)'") }
        }
        let (outcome, orderId) = try upsertRow(
            db, table: "orders", keyColumn: "order_no", key: order.orderNo,
            columns: [
                "member_id", "branch_id", "source", "kind", "status", "ordered_at", "scheduled_at", "party_size", "amount_fen", "address",
                "taken_by",
            ],
            values: [
                memberId, branchId, order.source.rawValue, order.kind.rawValue, order.status.rawValue,
                order.orderedAt.unixMillis, order.scheduledAt?.unixMillis, order.partySize, amount, order.address, taker,
            ],
            insertExtras: ["created_at": now, "updated_at": now], updateExtras: ["updated_at": now])
        let existing = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT menu_item_id, quantity FROM order_items WHERE order_id = ? ORDER BY line"), arguments: [orderId])
            .map { (menuId: $0["menu_item_id"] as Int64, quantity: $0["quantity"] as Int) }
        let itemsChanged = existing.count != lines.count || zip(existing, lines).contains { $0.menuId != $1.menuId || $0.quantity != $1.quantity }
        if itemsChanged {
            try db.cachedStatement(sql: "DELETE FROM order_items WHERE order_id = ?").execute(arguments: [orderId])
            let insertLine = try db.cachedStatement(sql: "INSERT INTO order_items (order_id, line, menu_item_id, quantity, price_fen) VALUES (?, ?, ?, ?, ?)")
            for (index, line) in lines.enumerated() {
                try insertLine.execute(arguments: [orderId, index + 1, line.menuId, line.quantity, line.price])
            }
        }
        try db.cachedStatement(sql: "UPDATE members SET last_order_at = ? WHERE id = ? AND (last_order_at IS NULL OR last_order_at < ?)")
            .execute(arguments: [order.orderedAt.unixMillis, memberId, order.orderedAt.unixMillis])
        if let taker { try recordOwnershipConflict(orderId: orderId, memberId: memberId, taker: taker, now: now, db) }
        // A cancelled booking is not a customer yet; the order re-imported as placed or completed converts.
        if order.status != .cancelled {
            try convertProspect(memberId: memberId, orderId: orderId, at: order.orderedAt.unixMillis, now: now, db)
        }
        return outcome == .unchanged && itemsChanged ? .updated : outcome
    }

    private static func upsert(_ complaint: Complaint, _ db: Database, _ now: Int64, _ lookups: inout ReferenceLookups) throws -> RowOutcome {
        guard let memberId = try lookups.member(complaint.memberNo, db) else {
            return .rejected(field: "member_no", reason: "unknown member '\(complaint.memberNo)'")
        }
        var orderId: Int64?
        if let orderNo = complaint.orderNo {
            guard let id = try lookups.order(orderNo, db) else { return .rejected(field: "order_no", reason: "unknown order '\(orderNo)'") }
            orderId = id
        }
        return try upsertRow(
            db, table: "complaints", keyColumn: "complaint_no", key: complaint.complaintNo,
            columns: [
                "member_id", "order_id", "channel", "department", "status", "description", "resolution", "opened_at", "resolved_at",
                "satisfaction", "resolution_kind",
            ],
            values: [
                memberId, orderId, complaint.channel, complaint.department, complaint.status.rawValue, complaint.description,
                complaint.resolution, complaint.openedAt.unixMillis, complaint.resolvedAt?.unixMillis, complaint.satisfaction,
                complaint.resolutionKind,
            ],
            insertExtras: ["updated_at": now], updateExtras: ["updated_at": now]
        ).0
    }

    private static func upsert(_ feedback: DeliveryFeedback, _ db: Database, _ lookups: inout ReferenceLookups) throws -> RowOutcome {
        guard let orderId = try lookups.order(feedback.orderNo, db) else {
            return .rejected(field: "order_no", reason: "unknown order '\(feedback.orderNo)'")
        }
        return try upsertRow(
            db, table: "delivery_feedback", keyColumn: "order_id", key: orderId,
            columns: ["outcome", "note", "recorded_at"],
            values: [feedback.outcome.rawValue, feedback.note, feedback.recordedAt.unixMillis]
        ).0
    }
}
