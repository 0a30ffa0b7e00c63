import Foundation
import GRDB

extension SQLiteStore: Ownership {
    public func managers() async throws -> [ManagerSummary] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.staff_no, s.name, s.role, b.code AS branch,
                      (SELECT COUNT(*) FROM members m WHERE m.manager_id = s.id) AS members
                    FROM staff s LEFT JOIN branches b ON b.id = s.branch_id
                    WHERE \(Self.ownerRole("s"))
                    ORDER BY s.staff_no
                    """
            ).map {
                ManagerSummary(staffNo: $0["staff_no"], name: $0["name"], role: $0["role"], branchCode: $0["branch"], members: $0["members"])
            }
        }
    }

    public func handOver(
        from: String, to: String, actor: String, now: Date, notice: @Sendable (HandoverCounts) -> String
    ) async throws -> HandoverResult {
        guard from != to else { return .samePerson }
        return try await pool.write { db in
            guard let sourceId = try Self.staffMember(from, db)?.id else { return .unknownStaff(from) }
            guard let target = try Self.staffMember(to, db) else { return .unknownStaff(to) }
            guard target.ownsMembers else { return .notAManager(to) }
            let targetId = target.id
            let owned = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members WHERE manager_id = ?", arguments: [sourceId]) ?? 0
            let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tasks WHERE staff_id = ? AND status = 'open'", arguments: [sourceId]) ?? 0
            guard owned > 0 || open > 0 else { return .handedOver(batchId: nil, members: 0, tasks: 0) }
            try db.execute(
                sql: "INSERT INTO assignment_batches (kind, from_staff_id, source, actor, created_at) VALUES ('handover', ?, ?, ?, ?)",
                arguments: [sourceId, "hand-over from \(from)", actor, now.unixMillis])
            let batch = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT INTO member_assignments (batch_id, member_id, staff_id, previous_staff_id)
                    SELECT ?, id, ?, manager_id FROM members WHERE manager_id = ?
                    """,
                arguments: [batch, targetId, sourceId])
            try db.execute(
                sql: "UPDATE members SET manager_id = ?, updated_at = ? WHERE manager_id = ?",
                arguments: [targetId, now.unixMillis, sourceId])
            let members = db.changesCount
            // The departing manager's open follow-ups go with their members (and any left on others' members).
            try db.execute(sql: "UPDATE tasks SET staff_id = ? WHERE staff_id = ? AND status = 'open'", arguments: [targetId, sourceId])
            let tasks = db.changesCount
            if let contact = try Self.staff(sql: "SELECT id, phone, email FROM staff WHERE id = ?", targetId, db) {
                _ = try Self.notify(
                    contact, text: notice(HandoverCounts(batchId: batch, from: from, members: members, tasks: tasks)),
                    key: "handover:\(batch):notify", at: now.unixMillis, db)
            }
            return .handedOver(batchId: batch, members: members, tasks: tasks)
        }
    }

    public func allocationBatches(managerNo: String?, limit: Int) async throws -> [AllocationBatch] {
        try await pool.read { db in
            // Per batch and receiving manager: an order since the batch counts
            // whoever owns the member now; "untouched" is still theirs, no order.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT b.id, b.kind, s.staff_no, f.staff_no AS from_no, b.source, b.actor, b.created_at,
                      COUNT(*) AS members, SUM(t.ordered) AS ordered, SUM(t.moved) AS moved,
                      SUM(NOT t.moved AND NOT t.ordered) AS untouched
                    FROM (
                      SELECT a.batch_id, a.staff_id, m.manager_id IS NOT a.staff_id AS moved,
                        EXISTS (SELECT 1 FROM orders o WHERE o.member_id = a.member_id AND o.ordered_at >= bb.created_at) AS ordered
                      FROM member_assignments a
                      JOIN assignment_batches bb ON bb.id = a.batch_id
                      JOIN members m ON m.id = a.member_id
                    ) t
                    JOIN assignment_batches b ON b.id = t.batch_id
                    JOIN staff s ON s.id = t.staff_id
                    LEFT JOIN staff f ON f.id = b.from_staff_id
                    WHERE ?1 IS NULL OR s.staff_no = ?1
                    GROUP BY t.batch_id, t.staff_id
                    ORDER BY b.id DESC, s.staff_no
                    LIMIT ?2
                    """,
                arguments: [managerNo, limit]
            ).map {
                AllocationBatch(
                    id: $0["id"], kind: AllocationBatch.Kind(rawValue: $0["kind"]) ?? .allocation, staffNo: $0["staff_no"],
                    fromStaffNo: $0["from_no"], source: $0["source"], actor: $0["actor"], at: Date(unixMillis: $0["created_at"]),
                    members: $0["members"], ordered: $0["ordered"], movedOn: $0["moved"], untouched: $0["untouched"])
            }
        }
    }
}

extension SQLiteStore {
    /// One assignment row: the member's owner becomes the staff member, recorded in the import run's
    /// batch (created with its first change). Already theirs is unchanged; an unknown member or staff
    /// number, or an agent, is rejected.
    static func assign(_ assignment: Assignment, _ db: Database) throws -> RowOutcome {
        guard let member = try Row.fetchOne(db, sql: "SELECT id, manager_id FROM members WHERE member_no = ?", arguments: [assignment.memberNo])
        else { return .rejected(field: "member_no", reason: "unknown member '\(assignment.memberNo)'") }
        guard let staff = try staffMember(assignment.staffNo, db) else {
            return .rejected(field: "staff_no", reason: "unknown staff member '\(assignment.staffNo)'")
        }
        guard staff.ownsMembers else {
            return .rejected(field: "staff_no", reason: "'\(assignment.staffNo)' is not a manager or branch manager")
        }
        let (memberId, staffId, previous): (Int64, Int64, Int64?) = (member["id"], staff.id, member["manager_id"])
        guard previous != staffId else { return .unchanged }
        let at = assignment.importedAt.unixMillis
        let existing = try Int64.fetchOne(
            db, sql: "SELECT id FROM assignment_batches WHERE kind = 'import' AND source = ? AND created_at = ?",
            arguments: [assignment.file, at])
        let batch: Int64
        if let existing {
            batch = existing
        } else {
            try db.execute(
                sql: "INSERT INTO assignment_batches (kind, source, actor, created_at) VALUES ('import', ?, ?, ?)",
                arguments: [assignment.file, assignment.actor, at])
            batch = db.lastInsertedRowID
        }
        try db.execute(
            sql: "INSERT INTO member_assignments (batch_id, member_id, staff_id, previous_staff_id) VALUES (?, ?, ?, ?)",
            arguments: [batch, memberId, staffId, previous])
        try db.execute(sql: "UPDATE members SET manager_id = ?, updated_at = ? WHERE id = ?", arguments: [staffId, at, memberId])
        return previous == nil ? .inserted : .updated
    }
}

extension SQLiteStore {
    public func unownedMembers() async throws -> [UnownedMember] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.member_no, m.level, b.code FROM members m LEFT JOIN branches b ON b.id = m.branch_id
                    WHERE m.manager_id IS NULL AND m.prospect = 0 ORDER BY m.id
                    """
            ).map { UnownedMember(memberNo: $0[0], level: MemberLevel(rawValue: $0[1]) ?? .regular, branchCode: $0[2]) }
        }
    }

    public func allocate(_ assignments: [String: String], source: String, actor: String, now: Date) async throws -> AllocationOutcome {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO assignment_batches (kind, source, actor, created_at) VALUES ('allocation', ?, ?, ?)",
                arguments: [source, actor, now.unixMillis])
            let batch = db.lastInsertedRowID
            let record = try db.cachedStatement(
                sql: """
                    INSERT INTO member_assignments (batch_id, member_id, staff_id)
                    SELECT ?, m.id, s.id FROM members m, staff s
                    WHERE m.member_no = ? AND m.manager_id IS NULL AND s.staff_no = ? AND \(Self.ownerRole("s"))
                    """)
            let own = try db.cachedStatement(
                sql: "UPDATE members SET manager_id = (SELECT id FROM staff WHERE staff_no = ?), updated_at = ? WHERE member_no = ?")
            var members = 0
            for (member, staff) in assignments.sorted(by: { $0.key < $1.key }) {
                try record.execute(arguments: [batch, member, staff])
                guard db.changesCount == 1 else { continue }
                try own.execute(arguments: [staff, now.unixMillis, member])
                members += 1
            }
            guard members > 0 else {
                try db.execute(sql: "DELETE FROM assignment_batches WHERE id = ?", arguments: [batch])
                return AllocationOutcome(batchId: nil, members: 0)
            }
            return AllocationOutcome(batchId: batch, members: members)
        }
    }
}

extension SQLiteStore {
    public func ownershipConflicts(limit: Int) async throws -> [OwnershipConflict] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.order_no, m.member_no, w.staff_no AS owner, t.staff_no AS taker, o.ordered_at, c.recorded_at
                    FROM ownership_conflicts c JOIN orders o ON o.id = c.order_id JOIN members m ON m.id = c.member_id
                    JOIN staff w ON w.id = c.owner_staff_id JOIN staff t ON t.id = c.taker_staff_id
                    ORDER BY c.id DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map {
                OwnershipConflict(
                    orderNo: $0["order_no"], memberNo: $0["member_no"], ownerStaffNo: $0["owner"], takerStaffNo: $0["taker"],
                    orderedAt: Date(unixMillis: $0["ordered_at"]), recordedAt: Date(unixMillis: $0["recorded_at"]))
            }
        }
    }

    /// An order taken by someone other than the member's manager (a member with no manager has no conflict):
    /// recorded once per order, the owner unchanged.
    static func recordOwnershipConflict(orderId: Int64, memberId: Int64, taker: Int64, now: Int64, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO ownership_conflicts (order_id, member_id, owner_staff_id, taker_staff_id, recorded_at)
                SELECT ?, m.id, m.manager_id, ?, ? FROM members m WHERE m.id = ? AND m.manager_id IS NOT NULL AND m.manager_id <> ?
                ON CONFLICT (order_id) DO NOTHING
                """
        ).execute(arguments: [orderId, taker, now, memberId, taker])
    }
}

extension SQLiteStore {
    /// The roles that may own members, as a condition on the staff table aliased `alias`.
    static func ownerRole(_ alias: String) -> String {
        "(\(alias).role = 'manager' OR \(alias).role = 'branch_manager')"
    }

    /// A member of staff by number, and whether their role may own members.
    static func staffMember(_ staffNo: String, _ db: Database) throws -> (id: Int64, ownsMembers: Bool)? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, \(ownerRole("staff")) AS owns FROM staff WHERE staff_no = ?"), arguments: [staffNo]
        ).map { ($0["id"], $0["owns"]) }
    }
}
