import CoreModel
import Foundation
import GRDB
import Testing

/// `tidings report branches|contacts|churn|managers` as a user runs them.
struct ReportCommandTests {
    typealias CLI = CommandLineTests

    @Test func branchesReportCountsOrdersDeliveriesAndComplaints() async throws {
        try await CLI.withDirectory { directory in
            #expect(try CLI.run(["init"], in: directory).status == 0)
            let store = try SQLiteStore(path: directory.appendingPathComponent("tidings.sqlite").path)
            let now = Date()
            _ = try await store.apply(
                .branches([
                    Branch(code: "B01", name: "越秀店", district: "越秀区", address: "北京路1号", phone: nil, fax: nil, seats: 40)
                ]),
                dryRun: false)
            _ = try await store.apply(
                .members([Member(memberNo: "M1", name: "李女士", phone: .valid("+8613812345678"), branchCode: "B01")]),
                dryRun: false)
            _ = try await store.apply(
                .orders(
                    [("SO1", OrderSource.web), ("SO2", .web), ("SO3", .ivr)].map { no, source in
                        Order(
                            orderNo: no, memberNo: "M1", branchCode: "B01", source: source, kind: .delivery,
                            status: .delivered,
                            orderedAt: now - 60, amountFen: 36800)
                    }), dryRun: false)
            _ = try await store.apply(
                .feedback([
                    DeliveryFeedback(orderNo: "SO1", outcome: .late1h, note: nil, recordedAt: now - 30),
                    DeliveryFeedback(orderNo: "SO2", outcome: .notDelivered, note: nil, recordedAt: now - 30),
                ]), dryRun: false)
            _ = try await store.apply(
                .complaints([
                    Complaint(
                        complaintNo: "C1", memberNo: "M1", orderNo: "SO1", channel: "phone", department: "delivery",
                        status: .resolved,
                        description: "送晚了", resolution: "道歉", openedAt: now - 3.5 * 3600, resolvedAt: now - 20,
                        satisfaction: nil)
                ]), dryRun: false)

            let csv = try CLI.run(["report", "branches", "--days", "2", "--csv"], in: directory)
            #expect(csv.status == 0, "\(csv.stderr)")
            let lines = csv.stdout.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let header = try #require(lines.first)
            let rows = lines.dropFirst().map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
            // The day the orders came (yesterday's row, if any, has only the complaint).
            let row = try #require(rows.first { $0["branch"] == "B01" && $0["orders"] != "0" })
            #expect(
                row["orders"] == "3" && row["web"] == "2" && row["ivr"] == "1" && row["agent"] == "0", "\(csv.stdout)")
            #expect(row["late"] == "1" && row["undelivered"] == "1", "\(csv.stdout)")

            let table = try CLI.run(["report", "branches", "--days", "2"], in: directory)
            #expect(table.status == 0, "\(table.stderr)")
            let department = try #require(
                table.stdout.split(separator: "\n").first { $0.hasPrefix("B01") && $0.contains("delivery") })
            // Opened and resolved once, in 3.5 hours: 4 whole hours.
            #expect(department.split(separator: " ").suffix(4) == ["1", "1", "4", "4"], "\(table.stdout)")

            let elsewhere = try CLI.run(["report", "branches", "--branch", "B09"], in: directory)
            #expect(
                elsewhere.status == 0 && elsewhere.stdout.contains("nothing for branch B09 in the last 7 day(s)"),
                "\(elsewhere.stdout)")
            let refused = try CLI.run(["report", "branches", "--days", "0"], in: directory)
            #expect(refused.status != 0 && refused.stderr.contains("--days must be 1-366"), "\(refused.stderr)")
        }
    }

    /// Contacts to fix are masked unless revealed; churn refuses a bad month;
    /// managers lists every manager with their members.
    @Test func contactsChurnAndManagersReports() async throws {
        try await CLI.withDirectory { directory in
            #expect(try CLI.run(["init"], in: directory).status == 0)
            let store = try SQLiteStore(path: directory.appendingPathComponent("tidings.sqlite").path)
            _ = try await store.apply(
                .members([
                    Member(
                        memberNo: "M1", name: "李女士", phone: .valid("+8613812345678"),
                        email: ContactField(value: "li@example", status: .invalid, reason: "no domain")),
                    Member(memberNo: "M2", name: "王先生", phone: ContactField(value: "+8613812340000", status: .bounced, reason: "空号")),
                ]), dryRun: false)
            try await DatabaseQueue(path: store.path).write { db in
                try db.execute(sql: "INSERT INTO staff (staff_no, name, role) VALUES ('S1', '王经理', 'manager')")
            }
            _ = try await store.allocate(["M1": "S1"], source: "rules", actor: "t", now: Date())

            let masked = try CLI.run(["report", "contacts"], in: directory)
            #expect(masked.status == 0, "\(masked.stderr)")
            #expect(!masked.stdout.contains("+8613812340000") && !masked.stdout.contains("li@example"), "\(masked.stdout)")
            #expect(masked.stdout.contains("空号") && masked.stdout.contains("no domain"), "\(masked.stdout)")
            let revealed = try CLI.run(["report", "contacts", "--reveal", "--csv", "--limit", "1"], in: directory)
            #expect(revealed.status == 0 && revealed.stdout.split(separator: "\n").count == 2, "\(revealed.stdout)")
            #expect(revealed.stdout.contains("+8613812340000") || revealed.stdout.contains("li@example"), "\(revealed.stdout)")

            let badMonth = try CLI.run(["report", "churn", "--month", "2026-13"], in: directory)
            #expect(badMonth.status != 0 && badMonth.stderr.contains("--month must be a month as YYYY-MM"), "\(badMonth.stderr)")
            let churn = try CLI.run(["report", "churn", "--month", "2026-11"], in: directory)
            #expect(churn.status == 0 && churn.stdout.contains("no member moved to at_risk or lost in 2026-11"), "\(churn.stdout)")

            let managers = try CLI.run(["report", "managers", "--csv"], in: directory)
            #expect(managers.status == 0, "\(managers.stderr)")
            let lines = managers.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let row = Dictionary(zip(try #require(lines.first), try #require(lines.last)), uniquingKeysWith: { first, _ in first })
            #expect(row["manager"] == "S1" && row["members"] == "1" && row["allocated"] == "1", "\(managers.stdout)")
        }
    }
}
