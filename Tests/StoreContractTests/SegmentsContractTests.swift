import CoreModel
import Foundation
import Testing

/// Segments as any store must compile them: counts equal to what the
/// fixture says by hand, values bound (a quote in a value is a value).
struct SegmentsContractTests {
    let now = Fixture.now
    static let day: TimeInterval = 86_400

    /// M1 gold, tags 爱辣 and 商务宴请, two orders in the last 30 days, SMS marketing granted;
    /// M2 regular, no phone, never ordered; M3 diamond, tag 已流失, one order 200 days ago, an
    /// open complaint; M4 silver at 外滩店 (黄浦区), one order 70 days ago, SMS marketing revoked.
    func withFixture(_ body: (any Store) async throws -> Void) async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            try await store.load(
                .branches([
                    Branch(code: "B2", name: "外滩店", district: "黄浦区", address: "中山东一路1号", phone: nil, fax: nil, seats: 80)
                ]))
            var m1 = Fixture.member("M1", phone: "+8613800000001")
            m1.level = .gold
            m1.points = 500
            m1.tags = ["爱辣", "商务宴请"]
            var m2 = Fixture.member("M2")
            m2.phone = .missing
            var m3 = Fixture.member("M3", phone: "+8613800000003")
            m3.level = .diamond
            m3.points = 2000
            m3.tags = ["已流失"]
            var m4 = Fixture.member("M4", phone: "+8613800000004")
            m4.level = .silver
            m4.branchCode = "B2"
            try await store.load(.members([m1, m2, m3, m4]))
            try await store.load(
                .orders([
                    Fixture.order("SO1", member: "M1", orderedAt: now - 2 * Self.day),
                    Fixture.order("SO2", member: "M1", orderedAt: now - 20 * Self.day),
                    Fixture.order("SO3", member: "M3", orderedAt: now - 200 * Self.day),
                    Fixture.order("SO4", member: "M4", orderedAt: now - 70 * Self.day - 3600),
                ]))
            try await store.load(
                .complaints([
                    Complaint(
                        complaintNo: "C1", memberNo: "M3", orderNo: "SO3", channel: "phone", department: "外卖部", status: .open,
                        description: "送餐晚了", resolution: nil, openedAt: now - 190 * Self.day, resolvedAt: nil, satisfaction: nil)
                ]))
            for (member, granted) in [("M1", true), ("M4", false)] {
                _ = try await store.recordConsent(
                    ConsentChange(subject: .member(member), channel: .sms, category: .marketing, granted: granted, source: "signup", at: now),
                    now: now)
            }
            try await body(store)
        }
    }

    @Test(arguments: [
        ("", ["M1", "M2", "M3", "M4"]),
        ("level IN ('gold', 'diamond')", ["M1", "M3"]),
        ("level NOT IN (gold, diamond)", ["M2", "M4"]),
        ("points >= 500 AND points < 2000", ["M1"]),
        ("orders(90d) >= 1", ["M1", "M4"]),
        ("orders >= 2", ["M1"]),
        ("spend(90d) BETWEEN 300 AND 400", ["M4"]),
        ("spend > 500", ["M1"]),
        ("days_since_last_order BETWEEN 60 AND 180", ["M4"]),
        ("NOT days_since_last_order < 100", ["M2", "M3"]),
        ("last_order IS NULL", ["M2"]),
        ("last_order >= today - 30d", ["M1"]),
        ("tags CONTAINS '爱辣'", ["M1"]),
        ("tags CONTAINS '爱'", []),
        ("NOT tags CONTAINS '已流失'", ["M1", "M2", "M4"]),
        ("consent(sms, marketing)", ["M1"]),
        ("consent(sms, marketing) = false", ["M2", "M3", "M4"]),
        ("has_phone AND open_complaints = 0", ["M1", "M4"]),
        ("complaints(180d) > 0 OR open_complaints > 0", ["M3"]),
        ("district = '黄浦区' OR branch = 'B1' AND level = gold", ["M1", "M4"]),
        // Complaints, branches and RFM scores compile to sets of members; where zero passes, to the complement.
        ("complaints(180d) = 0", ["M1", "M2", "M3", "M4"]),
        ("complaints >= 1", ["M3"]),
        ("complaints(365d) BETWEEN 0 AND 1 AND open_complaints IN (1, 2)", ["M3"]),
        ("open_complaints != 1", ["M1", "M2", "M4"]),
        ("branch != 'B2'", ["M1", "M2", "M3"]),
        ("NOT district IN ('黄浦区')", ["M1", "M2", "M3"]),
        ("NOT rfm_r BETWEEN 1 AND 5 AND rfm_segment IS NULL", ["M1", "M2", "M3", "M4"]),
        // Orders and spend are bounded by each member's totals ever (every order is ¥368): tests
        // the total settles alone, and those the window decides.
        ("orders(30d) = 0", ["M2", "M3", "M4"]),
        ("orders(30d) != 2", ["M2", "M3", "M4"]),
        ("orders(250d) = 1", ["M3", "M4"]),
        ("orders(90d) <= 1", ["M2", "M3", "M4"]),
        ("spend(30d) < 1", ["M2", "M3", "M4"]),
        ("spend(365d) >= 368", ["M1", "M3", "M4"]),
        ("spend > 368", ["M1"]),
        ("NOT orders(30d) >= 1", ["M2", "M3", "M4"]),
        ("spend(250d) BETWEEN 368 AND 700", ["M3", "M4"]),
        ("orders(30d) IN (2, 3)", ["M1"]),
        // Values are bound: quotes and SQL inside a value match nothing and change nothing.
        ("branch = 'x'' OR 1=1 --'", []),
        ("tags CONTAINS '%'", []),
        ("district = '黄浦区''); DROP TABLE members; --'", []),
    ])
    func countsMatchTheFixture(_ expression: String, _ expected: [String]) async throws {
        try await withFixture { store in
            let segment = try SegmentParser(now: now, timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse(expression)
            #expect(try await store.countMembers(in: segment, now: now) == expected.count, "\(expression)")
            let sample = try await store.sampleMembers(in: segment, limit: 10, now: now)
            #expect(sample.map(\.memberNo) == expected, "\(expression)")
            #expect(try await store.countMembers(in: .all, now: now) == 4, "the members are all still there")
        }
    }

    /// An order imported again for another member and at another price counts
    /// where it now is: the members' totals (the bound segments test first)
    /// follow every write to `orders`.
    @Test func anOrderMovedOrRepricedCountsWhereItNowIs() async throws {
        try await withFixture { store in
            var moved = Fixture.order("SO2", member: "M2", orderedAt: now - 20 * Self.day)
            moved.amountFen = 100_000
            try await store.load(.orders([moved]))
            let parser = SegmentParser(now: now, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            for (expression, expected) in [
                ("orders(30d) >= 1", ["M1", "M2"]), ("spend > 900", ["M2"]), ("orders >= 2", []),
                ("spend(30d) BETWEEN 1 AND 400", ["M1"]), ("last_order >= today - 30d", ["M1", "M2"]),
            ] {
                let members = try await store.sampleMembers(in: try parser.parse(expression), limit: 10, now: now).map(\.memberNo)
                #expect(members == expected, "\(expression)")
            }
        }
    }

    /// Five members who ordered in the year, each first or last on some measure, scored by hand:
    ///
    /// | member | last order | orders | R | F (= M: every order is ¥368) | segment |
    /// | --- | --- | --- | --- | --- | --- |
    /// | A | 1 day ago | 5 | 5 | 5 | champions |
    /// | B | 10 days | 1 | 4 | 1 | new |
    /// | C | 40 days | 4 | 3 | 4 | loyal |
    /// | D | 100 days | 3 | 2 | 3 | at_risk |
    /// | E | 300 days | 2 | 1 | 2 | lost |
    ///
    /// F ordered 400 days ago only: outside the window, no score.
    @Test(arguments: StoreKind.allCases)
    func rfmScoresMatchAFixtureScoredByHand(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let plan: [(String, Double, Int)] = [("A", 1, 5), ("B", 10, 1), ("C", 40, 4), ("D", 100, 3), ("E", 300, 2), ("F", 400, 1)]
            try await store.load(.members(plan.map { Fixture.member($0.0) }))
            var orders: [Order] = []
            for (member, daysAgo, count) in plan {
                for index in 0..<count {
                    // The latest order is `daysAgo` back; earlier ones a day apart before it.
                    orders.append(Fixture.order("\(member)\(index)", member: member, orderedAt: now - (daysAgo + Double(index)) * Self.day))
                }
            }
            try await store.load(.orders(orders))
            let summary = try await store.recomputeRFM(windowDays: 365, now: now)
            #expect(summary.members == 5)
            #expect(summary.bySegment == ["champions": 1, "new": 1, "loyal": 1, "at_risk": 1, "lost": 1])
            let parser = SegmentParser(now: now, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            func members(_ expression: String) async throws -> [String] {
                try await store.sampleMembers(in: try parser.parse(expression), limit: 10, now: now).map(\.memberNo)
            }
            #expect(try await members("rfm_segment = champions") == ["A"])
            #expect(try await members("rfm_segment = new") == ["B"])
            #expect(try await members("rfm_segment IN (loyal, at_risk)") == ["C", "D"])
            #expect(try await members("rfm_segment = lost") == ["E"])
            #expect(try await members("rfm_segment IS NULL") == ["F"])
            #expect(try await members("rfm_r >= 4 AND rfm_m = 1") == ["B"])
            #expect(try await members("rfm_f = 3") == ["D"])
            // A recomputation replaces the last one: a shorter window leaves A and B only, both scored again.
            let recent = try await store.recomputeRFM(windowDays: 30, now: now)
            #expect(recent.members == 2)
            #expect(try await members("rfm_segment IS NOT NULL") == ["A", "B"])
        }
    }
}
