import CoreModel
import Foundation
import Testing

/// `tidings report branches` over a store with today's orders, their delivery feedback and a complaint.
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
}
