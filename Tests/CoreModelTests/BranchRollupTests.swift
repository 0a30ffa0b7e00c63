@testable import CoreModel
import Foundation
import GRDB
import Testing

/// The branch counts against the tables themselves: orders, delivery
/// feedback and complaints are imported, re-imported with changes (a moved
/// order, a changed outcome, a complaint resolved later) and deleted; survey
/// answers and apologies come in; the counts are folded a few rows at a time
/// while it happens, and every count equals a GROUP BY over the tables.
/// Counting afresh (what the migration does for an existing store) gives the same.
struct BranchRollupTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    struct Key: Hashable, CustomStringConvertible {
        var branch: String, hour: Int64, figure: String, label: String, bucket: Int
        var description: String { "\(branch) \(hour) \(figure) \(label) \(bucket)" }
    }

    /// The counts as one dictionary, zeros left out.
    func counts(_ store: SQLiteStore) async throws -> [Key: Int] {
        let all = try await store.branchCounts(from: now - 86_400 * 30, to: now + 86_400 * 30, branchCode: nil)
        return all.reduce(into: [:]) { counts, c in
            counts[
                Key(
                    branch: c.branch, hour: Int64(c.hour.timeIntervalSince1970) / 3600, figure: c.figure.rawValue,
                    label: c.label,
                    bucket: c.bucket), default: 0] += c.count
        }.filter { $0.value != 0 }
    }

    /// The same from the tables, written apart from the triggers and the fold.
    func independent(_ store: SQLiteStore) async throws -> [Key: Int] {
        try await store.pool.read { db in
            var counts: [Key: Int] = [:]
            let complaintBranch = "COALESCE(ob.code, mb.code, '-')"
            for (figure, sql) in [
                (
                    "order",
                    "SELECT b.code, o.ordered_at, o.source, NULL FROM orders o JOIN branches b ON b.id = o.branch_id"
                ),
                (
                    "delivery",
                    """
                    SELECT b.code, f.recorded_at, f.outcome, NULL FROM delivery_feedback f JOIN orders o ON o.id = f.order_id
                    JOIN branches b ON b.id = o.branch_id
                    """
                ),
                (
                    "complaint",
                    """
                    SELECT \(complaintBranch), c.opened_at, c.department, NULL FROM complaints c
                    LEFT JOIN orders o ON o.id = c.order_id LEFT JOIN branches ob ON ob.id = o.branch_id
                    JOIN members m ON m.id = c.member_id LEFT JOIN branches mb ON mb.id = m.branch_id
                    """
                ),
                (
                    "resolved",
                    """
                    SELECT \(complaintBranch), c.resolved_at, c.department, c.resolved_at - c.opened_at FROM complaints c
                    LEFT JOIN orders o ON o.id = c.order_id LEFT JOIN branches ob ON ob.id = o.branch_id
                    JOIN members m ON m.id = c.member_id LEFT JOIN branches mb ON mb.id = m.branch_id
                    WHERE c.status IN ('resolved', 'closed') AND c.resolved_at IS NOT NULL
                    """
                ),
                (
                    "survey",
                    """
                    SELECT b.code, s.received_at, COALESCE(CAST(s.score AS TEXT), ''), NULL FROM survey_responses s JOIN orders o ON o.id = s.order_id
                    JOIN branches b ON b.id = o.branch_id
                    """
                ),
                (
                    "apology",
                    """
                    SELECT COALESCE(b.code, '-'), x.submitted_at, x.channel, NULL FROM messages x JOIN members m ON m.id = x.member_id
                    LEFT JOIN branches b ON b.id = m.branch_id
                    WHERE x.purpose = 'automation:late_delivery_apology' AND x.submitted_at IS NOT NULL
                    """
                ),
            ] {
                for row in try Row.fetchAll(db, sql: sql) {
                    let took: Int64? = row[3]
                    let bucket = took.map { Int((Double($0) / 3_600_000).rounded(.up)) } ?? 0
                    counts[
                        Key(
                            branch: row[0], hour: (row[1] as Int64) / 3_600_000, figure: figure, label: row[2],
                            bucket: bucket), default: 0] += 1
                }
            }
            return counts
        }
    }

    func foldInSmallSteps(_ store: SQLiteStore) async throws {
        while try await store.foldRollups(limit: 7).more {}
    }

    func order(_ n: Int, branch: String, source: OrderSource, hour: Int, member: Int) -> Order {
        Order(
            orderNo: "SO\(n)", memberNo: "M\(member)", branchCode: branch, source: source, kind: .delivery,
            status: .delivered,
            orderedAt: now + TimeInterval(hour * 3600 + n), amountFen: 1000)
    }

    func complaint(_ n: Int, member: Int, order: Int?, department: String, resolvedAfter hours: Double?) -> Complaint {
        Complaint(
            complaintNo: "C\(n)", memberNo: "M\(member)", orderNo: order.map { "SO\($0)" }, channel: "phone",
            department: department,
            status: hours == nil ? .open : .resolved, description: "x", resolution: nil,
            openedAt: now + TimeInterval(n * 600),
            resolvedAt: hours.map { now + TimeInterval(n * 600) + $0 * 3600 }, satisfaction: nil)
    }

    @Test func everyCountEqualsTheTables() async throws {
        try await withStore { store, _ in
            let branches = ["B01", "B02"].map {
                Branch(code: $0, name: "店\($0)", district: "天河区", address: "天河路1号", phone: nil, fax: nil, seats: 80)
            }
            _ = try await store.apply(.branches(branches), dryRun: false)
            // M20 has no home branch.
            _ = try await store.apply(
                .members(
                    (1...20).map {
                        Member(
                            memberNo: "M\($0)", name: "会员\($0)", phone: .valid(String(format: "+86138%08d", $0)),
                            branchCode: $0 == 20 ? nil : ($0 % 2 == 0 ? "B02" : "B01"))
                    }), dryRun: false)
            let sources = OrderSource.allCases
            _ = try await store.apply(
                .orders(
                    (1...40).map {
                        order(
                            $0, branch: $0 % 3 == 0 ? "B02" : "B01", source: sources[$0 % sources.count], hour: $0 % 5,
                            member: $0 % 19 + 1)
                    }), dryRun: false)
            try await foldInSmallSteps(store)
            _ = try await store.apply(
                .feedback(
                    (1...12).map {
                        DeliveryFeedback(
                            orderNo: "SO\($0)", outcome: DeliveryOutcome.allCases[$0 % DeliveryOutcome.allCases.count],
                            note: nil,
                            recordedAt: now + 7200)
                    }), dryRun: false)
            _ = try await store.apply(
                .complaints([
                    complaint(1, member: 1, order: 3, department: "delivery", resolvedAfter: 2.5),
                    complaint(2, member: 2, order: 4, department: "kitchen", resolvedAfter: nil),
                    complaint(3, member: 4, order: nil, department: "kitchen", resolvedAfter: 30),
                    complaint(4, member: 20, order: nil, department: "service", resolvedAfter: 0.2),
                    complaint(5, member: 5, order: 7, department: "delivery", resolvedAfter: nil),
                ]), dryRun: false)
            try await foldInSmallSteps(store)
            // Changes after the fact: an order moved to another branch, source and hour; an outcome corrected;
            // a complaint resolved later; an order deleted.
            _ = try await store.apply(
                .orders([order(20, branch: "B02", source: .web, hour: 9, member: 2)]), dryRun: false)
            _ = try await store.apply(
                .feedback([DeliveryFeedback(orderNo: "SO2", outcome: .late1h, note: nil, recordedAt: now + 9000)]),
                dryRun: false)
            _ = try await store.apply(
                .complaints([complaint(2, member: 2, order: 4, department: "kitchen", resolvedAfter: 5)]), dryRun: false
            )
            try await store.pool.write { db in try db.execute(sql: "DELETE FROM orders WHERE order_no = 'SO40'") }
            // Survey answers: two scored, one without a score, one about no order.
            try await store.pool.write { db in
                let answers: [(order: String?, score: Int?)] = [("SO1", 5), ("SO3", 2), ("SO6", nil), (nil, 4)]
                for (index, (order, score)) in answers.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO survey_responses (member_id, order_id, score, answer, received_at)
                            VALUES ((SELECT id FROM members WHERE member_no = 'M1'), (SELECT id FROM orders WHERE order_no = ?), ?, 'x', ?)
                            """, arguments: [order, score, (now + TimeInterval(3600 * index)).unixMillis])
                }
            }
            // Apologies: three accepted, one refused; a confirmation accepted is not one.
            let apology = MessagePurpose.automation("late_delivery_apology")
            _ = try await store.enqueue(
                [(1, apology), (2, apology), (20, apology), (3, apology), (5, .automation("order_confirmation"))].map {
                    member, purpose in
                    NewMessage(
                        idempotencyKey: "k\(member)", purpose: purpose, channel: .sms, lane: .reminder,
                        category: .service,
                        memberNo: "M\(member)", address: String(format: "+86138%08d", member),
                        payload: MessageContent(text: "x").json())
                }, now: now)
            try await foldInSmallSteps(store)
            let leased = try await store.leaseDue(
                lane: .reminder, limit: 10, owner: "w", leaseUntil: now + 60, now: now + 1)
            #expect(leased.count == 5)
            _ = try await store.recordSendResults(
                leased.enumerated().map { index, message in
                    SendResult(
                        messageId: message.id, gateway: "sim", segments: 1, costMicros: nil,
                        event: index == 3
                            ? .permanentFailure(reason: "bad number") : .accepted(providerMessageId: "p\(index)"))
                }, owner: "w", now: now + 2)
            try await foldInSmallSteps(store)

            let folded = try await counts(store)
            let expected = try await independent(store)
            #expect(folded == expected)
            // Every figure is there, including the branchless complaint and apology.
            #expect(Set(expected.keys.map(\.figure)) == Set(BranchFigure.allCases.map(\.rawValue)))
            #expect(expected.keys.contains { $0.branch == "-" && $0.figure == "resolved" })
            #expect(expected.filter { $0.key.figure == "apology" }.values.reduce(0, +) == 3)
            #expect(
                try await store.branchCounts(from: now - 86_400, to: now + 86_400, branchCode: "B02").allSatisfy {
                    $0.branch == "B02"
                })

            // Counted afresh from the same tables, as the migration starts an existing store.
            try await store.pool.write { db in
                try db.execute(sql: "DELETE FROM branch_counts; DELETE FROM rollup_cursors WHERE name LIKE 'branch_%'")
                try db.execute(sql: BranchTally.recount)
            }
            try await foldInSmallSteps(store)
            #expect(try await counts(store) == expected)
            #expect(try await store.foldRollups(limit: 100) == RollupFold())
        }
    }
}
