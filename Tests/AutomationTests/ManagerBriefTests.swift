@testable import CoreModel
import Foundation
import GRDB
import Scheduler
import Testing

/// Issue 14.6: the managers' morning brief for a fixture day, Tuesday
/// 2026-06-02 in Shanghai, from a real store: who gets which lists, what
/// they say, once a day, and the dormant members named held for a call.
struct ManagerBriefTests {
    static let day = shanghaiTime("2026-06-02 08:00")

    static func person(
        _ no: String, _ name: String, level: MemberLevel = .regular, phone: String? = nil, birthday: String? = nil
    ) -> Member {
        Member(
            memberNo: no, name: name, phone: phone.map(ContactField.valid) ?? .missing, level: level, branchCode: "B1",
            birthday: birthday)
    }

    static func booking(_ no: String, _ member: String, kind: OrderKind = .reservation, status: OrderStatus = .booked, at: String, party: Int) -> Order {
        order(no, member: member, kind: kind, status: status, orderedAt: shanghaiTime("2026-05-20 12:00"), scheduledAt: shanghaiTime(at), partySize: party)
    }

    /// S1 (phone and email) and S2 (phone) manage members at B1, S3 is B1's
    /// branch manager with no members, S4 has no contact at all.
    func withFixtureDay(_ body: (SQLiteStore) async throws -> Void) async throws {
        try await withAutomationStore { store in
            try await store.load(
                .members([
                    Self.person("M1", "李女士", level: .gold, phone: "+8613800000001"),
                    Self.person("M2", "周先生", phone: "+8613800000002", birthday: "06-08"),
                    Self.person("M3", "孙女士", phone: "+8613800000003", birthday: "06-02"),
                    Self.person("M4", "钱先生", level: .diamond, phone: "+8613800000004"),
                    Self.person("M5", "吴女士", phone: "+8613800000005"),
                    Self.person("M6", "郑先生", phone: "+8613800000006", birthday: "06-09"),
                    Self.person("M7", "陈先生", level: .gold, phone: "+8613800000007"),
                    Self.person("M8", "冯女士", phone: "+8613800000008"),
                    Self.person("M9", "褚先生", phone: "+8613800000009"),
                    Self.person("M10", "卫女士"),
                    Self.person("M11", "蒋先生", phone: "+8613800000011"),
                ]))
            try await store.load(
                .orders([
                    Self.booking("SO1", "M1", at: "2026-06-02 18:30", party: 6),
                    Self.booking("SO2", "M2", at: "2026-06-03 19:00", party: 2),
                    Self.booking("SO3", "M3", status: .cancelled, at: "2026-06-02 19:00", party: 4),
                    Self.booking("SO4", "M4", kind: .banquet, status: .confirmed, at: "2026-06-02 12:00", party: 20),
                    Self.booking("SO5", "M5", at: "2026-06-02 20:00", party: 3),
                ]))
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO staff (staff_no, name, role, branch_id, phone, email) VALUES
                          ('S1', '王经理', 'manager', 1, '+8613900000001', 'wang@example.com'),
                          ('S2', '李经理', 'manager', 1, '+8613900000002', NULL),
                          ('S3', '张店长', 'branch_manager', 1, '+8613900000003', NULL),
                          ('S4', '赵经理', 'manager', 1, NULL, NULL);
                        UPDATE members SET manager_id = (SELECT id FROM staff WHERE staff_no = 'S1')
                          WHERE member_no IN ('M1', 'M2', 'M3', 'M6', 'M7', 'M8', 'M9', 'M10', 'M11');
                        UPDATE members SET manager_id = (SELECT id FROM staff WHERE staff_no = 'S2') WHERE member_no IN ('M4', 'M5');
                        INSERT INTO member_rfm (member_id, recency_days, frequency, monetary_fen, r, f, m, segment, computed_at)
                          SELECT id, 200, 3, CASE member_no WHEN 'M7' THEN 900000 WHEN 'M8' THEN 500000 WHEN 'M9' THEN 100000
                            WHEN 'M10' THEN 990000 ELSE 980000 END, 2, 3, 3,
                            CASE member_no WHEN 'M8' THEN 'hibernating' WHEN 'M11' THEN 'lost' ELSE 'at_risk' END, 0
                          FROM members WHERE member_no IN ('M7', 'M8', 'M9', 'M10', 'M11');
                        INSERT INTO tasks (member_id, staff_id, reason, due_at, status, created_at)
                          SELECT m.id, s.id, 'low_survey_score', ?, 'open', ? FROM members m, staff s WHERE m.member_no = 'M1' AND s.staff_no = 'S1';
                        """,
                    arguments: [shanghaiTime("2026-06-02 10:00").unixMillis, shanghaiTime("2026-06-01 10:00").unixMillis])
            }
            try await body(store)
        }
    }

    func runner(_ store: SQLiteStore) -> AutomationRunner {
        automationRunner(store, automationConfig(enabled: [.managerBrief]) { $0.managerBrief.dormantLimit = 2 })
    }

    func email(_ store: SQLiteStore, _ key: String) throws -> MessageContent? {
        try DatabaseQueue(path: store.path).read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM messages WHERE idempotency_key = ?", arguments: [key])
        }.flatMap(MessageContent.decode)
    }

    @Test func eachManagerGetsTheirListsOnceInTheMorning() async throws {
        try await withFixtureDay { store in
            #expect(try await runner(store).runOnce(now: shanghaiTime("2026-06-02 07:59"))[.managerBrief]?.enqueued == 0)
            let report = try await runner(store).runOnce(now: Self.day)
            #expect(report[.managerBrief]?.enqueued == 4, "\(report)")
            let rows = try store.outbox()
            #expect(
                rows.map(\.key) == [
                    "brief:S1:2026-06-02:sms", "brief:S1:2026-06-02:email", "brief:S2:2026-06-02:sms", "brief:S3:2026-06-02:sms",
                ])
            // The transactional lane, like the task notices: quiet hours (to 09:00 on the reminder lane) would hold an 08:00 brief.
            #expect(rows.allSatisfy { $0.lane == "transactional" && $0.category == "service" && $0.template == "manager-brief" })
            #expect(rows.map(\.address) == ["+8613900000001", "wang@example.com", "+8613900000002", "+8613900000003"])
            #expect(
                rows.map(\.text) == [
                    "【鸿福楼】王经理早安：今日会员预订1，VIP到店1，7天内生日2，待致电沉睡会员2，待办1项，详单见邮件。",
                    try email(store, "brief:S1:2026-06-02:email")?.text,
                    // S2's own diamond member's banquet is a booking of theirs, not a VIP arrival.
                    "【鸿福楼】李经理早安：今日会员预订2，VIP到店0，7天内生日0，待致电沉睡会员0，待办0项。",
                    "【鸿福楼】张店长早安：今日会员预订0，VIP到店1，7天内生日0，待致电沉睡会员0，待办0项。",
                ])

            let mail = try #require(try email(store, "brief:S1:2026-06-02:email"))
            #expect(mail.subject == "6月2日晨报：预订1 · VIP到店1 · 生日2 · 待致电2 · 待办1")
            let text = try #require(mail.text)
            let taskId = try await store.tasks(TaskFilter(staffNo: "S1"), now: Self.day).first?.id ?? -1
            let expected = [
                "一、今日您的会员预订（1）\n18:30 预订 6位 天河店 · 李女士（M1，金卡会员） +8613800000001 · SO1\n",
                // Someone else's member: no phone.
                "二、今日VIP到店（天河店）（1）\n12:00 宴会 20位 天河店 · 钱先生（M4，钻石会员） · SO4\n",
                "三、7天内生日（2）\n6月2日 · 孙女士（M3，普通会员） +8613800000003\n6月8日 · 周先生（M2，普通会员） +8613800000002\n",
                // Most valuable first, two at most; no phone (M10) or not dormant (M11, lost): not named.
                "四、请亲自致电的沉睡会员（2）\n陈先生（M7，金卡会员） +8613800000007 · 流失预警 · 从未消费 · 累计 9000.00元\n"
                    + "冯女士（M8，普通会员） +8613800000008 · 沉睡 · 从未消费 · 累计 5000.00元\n\n以上会员7天内不会收到群发营销短信，请先电话问候。",
                "五、您的待办任务（1）\n#\(taskId) 低分回访 · 会员M1 李女士 · 到期 6月2日 10:00\n",
            ]
            for part in expected { #expect(text.contains(part), "missing:\n\(part)\nin:\n\(text)") }
            for absent in ["SO2", "SO3", "SO5", "M6", "M9", "M10", "M11"] { #expect(!text.contains(absent), "\(absent) in:\n\(text)") }

            // Named dormant members are the manager's to call for hold_days.
            let calls = try await store.pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT m.member_no, s.staff_no, p.hold_until FROM personal_calls p JOIN members m ON m.id = p.member_id
                        JOIN staff s ON s.id = p.staff_id ORDER BY m.member_no
                        """
                ).map { "\($0["member_no"] as String)/\($0["staff_no"] as String)/\(Date(unixMillis: $0["hold_until"]))" }
            }
            let until = Self.day.adding(days: 7)
            #expect(calls == ["M7/S1/\(until)", "M8/S1/\(until)"])

            // Later the same morning, or with the cursor lost (a restart): nobody is briefed twice.
            #expect(try await runner(store).runOnce(now: Self.day.adding(minutes: 30))[.managerBrief]?.enqueued == 0)
            try await store.pool.write { try $0.execute(sql: "DELETE FROM automation_cursors") }
            let again = try await runner(store).runOnce(now: Self.day.adding(minutes: 40))
            #expect(again[.managerBrief]?.enqueued == 0 && again[.managerBrief]?.duplicates == 0, "\(again)")
            #expect(try store.outbox().count == 4)

            // The next morning: M9's turn (M7 and M8 were named yesterday), tomorrow's booking is today's.
            let next = try await runner(store).runOnce(now: Self.day.adding(days: 1))
            // S2 and S3 have nothing on the 3rd: no brief rather than an empty one.
            #expect(next[.managerBrief]?.enqueued == 2 && next[.managerBrief]?.skipped == [.nothingToBrief: 2], "\(next)")
            let second = try #require(try email(store, "brief:S1:2026-06-03:email")?.text)
            #expect(second.contains("四、请亲自致电的沉睡会员（1）\n褚先生（M9，普通会员） +8613800000009 · 流失预警"), "\(second)")
            #expect(second.contains("周先生（M2，普通会员） +8613800000002 · SO2"), "\(second)")
            #expect(second.contains("6月9日 · 郑先生（M6，普通会员）"), "\(second)")
            #expect(!second.contains("M7") && !second.contains("孙女士"), "\(second)")

            // Past `until` (a worker down all morning), the day's brief is skipped.
            #expect(try await runner(store).runOnce(now: shanghaiTime("2026-06-04 11:00"))[.managerBrief]?.enqueued == 0)
        }
    }

    @Test func birthdaysOn29FebruaryAreGreetedOn28FebruaryOutsideLeapYears() {
        let writer = BriefWriter(settings: .defaults, timeZone: shanghai)
        #expect(writer.birthdays(from: shanghaiTime("2027-02-25 00:00")) == ["02-25", "02-26", "02-27", "02-28", "02-29", "03-01", "03-02", "03-03"])
        #expect(writer.birthdays(from: shanghaiTime("2028-02-25 00:00")) == ["02-25", "02-26", "02-27", "02-28", "02-29", "03-01", "03-02"])
        #expect(writer.birthdays(from: shanghaiTime("2026-12-29 00:00")) == ["12-29", "12-30", "12-31", "01-01", "01-02", "01-03", "01-04"])
    }
}
