@testable import CoreModel
import Foundation
import GRDB
import Testing

/// Churn against the RFM table itself: segments are recomputed, other members
/// order a lot, recomputed again; the members the second run moved into
/// at_risk or lost (read from `member_rfm` before and after) are the churn,
/// by owning manager, and the first run (first scores) is none.
struct ChurnTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func segments(_ store: SQLiteStore) async throws -> [Int64: (segment: String, staff: String?)] {
        try await store.pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT r.member_id, r.segment, s.staff_no FROM member_rfm r JOIN members m ON m.id = r.member_id LEFT JOIN staff s ON s.id = m.manager_id"
            ).reduce(into: [:]) { $0[$1["member_id"]] = ($1["segment"], $1["staff_no"]) }
        }
    }

    @Test func churnIsTheMembersARecomputationMovedIntoAtRiskOrLost() async throws {
        try await withStore { store, _ in
            _ = try await store.apply(
                .branches([
                    Branch(code: "B01", name: "店", district: "区", address: "路1号", phone: nil, fax: nil, seats: 10)
                ]), dryRun: false)
            _ = try await store.apply(
                .members((1...10).map { Member(memberNo: "M\($0)", name: "会员\($0)", branchCode: "B01") }), dryRun: false
            )
            try await store.pool.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO staff (staff_no, name, role) VALUES ('S1', '王经理', 'manager'), ('S2', '李经理', 'manager')"
                )
                try db.execute(
                    sql: """
                        UPDATE members SET manager_id = CASE WHEN id <= 5 THEN (SELECT id FROM staff WHERE staff_no = 'S1')
                          WHEN id <= 8 THEN (SELECT id FROM staff WHERE staff_no = 'S2') END
                        """)
            }
            var orders: [Order] = []
            for member in 1...10 {
                for n in 0...(member % 5) {
                    orders.append(
                        Order(
                            orderNo: "A\(member)-\(n)", memberNo: "M\(member)", branchCode: "B01", source: .web,
                            kind: .delivery,
                            status: .delivered, orderedAt: start - TimeInterval(member * 86_400 + n * 3600),
                            amountFen: 1000))
                }
            }
            _ = try await store.apply(.orders(orders), dryRun: false)
            _ = try await store.recomputeRFM(windowDays: 365, now: start)
            #expect(try await store.churn(from: start - 86_400, to: start + 86_400).isEmpty)

            // M6–M10 order often; the others slip down the ranks.
            let later = start + 30 * 86_400
            _ = try await store.apply(
                .orders(
                    (6...10).flatMap { member in
                        (0..<6).map { n in
                            Order(
                                orderNo: "B\(member)-\(n)", memberNo: "M\(member)", branchCode: "B01", source: .web,
                                kind: .delivery,
                                status: .delivered, orderedAt: later - TimeInterval(86_400 + n * 3600), amountFen: 5000)
                        }
                    }), dryRun: false)
            let before = try await segments(store)
            _ = try await store.recomputeRFM(windowDays: 365, now: later)
            let after = try await segments(store)
            var expected: [String: Int] = [:]
            for (member, now) in after
            where ["at_risk", "lost"].contains(now.segment) && before[member]?.segment != now.segment {
                expected["\(now.staff ?? "-") \(now.segment)", default: 0] += 1
            }
            #expect(!expected.isEmpty)
            let churn = try await store.churn(from: later - 86_400, to: later + 86_400)
            #expect(
                churn.reduce(into: [String: Int]()) {
                    $0["\($1.staffNo ?? "-") \($1.segment.rawValue)", default: 0] += $1.members
                } == expected)
            #expect(churn.allSatisfy { $0.staffNo == nil || $0.staffName != nil })
            // Outside the month of the move: nothing.
            #expect(try await store.churn(from: later + 86_400, to: later + 40 * 86_400).isEmpty)

            let plan = try await store.pool.read { db in
                try Row.fetchAll(
                    db, sql: "EXPLAIN QUERY PLAN \(SQLiteStore.churnSQL)", arguments: [0, 1, "at_risk", "lost"]
                )
                .map { $0["detail"] as String }.joined(separator: "\n")
            }
            #expect(plan.contains("USING INDEX rfm_transitions_at"), "\(plan)")
        }
    }
}
