import CoreModel
import Foundation
import Scheduler
import Testing

/// `tidings import branches` with an email, and `tidings branch tickets` over tickets in every state.
struct BranchCommandTests {
    typealias CLI = CommandLineTests

    @Test func ticketsAreListedWithWhetherAndHowTheyWereAcknowledged() async throws {
        try await Self.withDirectory { directory in
            #expect(try CLI.run(["init"], in: directory).status == 0)
            try """
            code,name,district,address,phone,fax,email
            B01,越秀店,越秀区,北京路1号,+862088880001,+862088880002,yuexiu@example.com
            B02,天河店,天河区,天河路1号,,,tianhe@example
            """.write(to: directory.appendingPathComponent("branches.csv"), atomically: true, encoding: .utf8)
            let refused = try CLI.run(["import", "branches", "branches.csv"], in: directory)
            #expect(
                refused.status == 1 && refused.stderr.contains("branches.csv:3: column email:"), "\(refused.stderr)")
            // The good row went in (its email is read back below).

            let store = try SQLiteStore(path: directory.appendingPathComponent("tidings.sqlite").path)
            let now = Date()
            _ = try await store.apply(
                .members([Member(memberNo: "M1", name: "李女士", phone: .valid("+8613812345678"), branchCode: "B01")]),
                dryRun: false)
            let orders = ["SO1", "SO2", "SO3"].enumerated().map { index, no in
                Order(
                    orderNo: no, memberNo: "M1", branchCode: "B01", source: .agent, kind: .delivery, status: .placed,
                    orderedAt: now,
                    scheduledAt: now.addingTimeInterval(3600 + Double(index) * 600), amountFen: 36800)
            }
            _ = try await store.apply(.orders(orders), dryRun: false)
            let due = try await store.ordersToTicket(
                kinds: [.delivery], scheduledAfter: now, before: now.addingTimeInterval(7200))
            #expect(due.first?.branch.email == "yuexiu@example.com")
            func ticket(_ key: String, _ orders: ArraySlice<TicketOrder>) -> NewBranchTicket {
                NewBranchTicket(
                    branchId: due[0].branch.id, slotStart: now.addingTimeInterval(3600), orderIds: orders.map(\.id),
                    message: NewMessage(
                        idempotencyKey: key, purpose: AutomationName.branchTicket.purpose, channel: .fax,
                        lane: .transactional,
                        category: .service, address: "+862088880002", payload: MessageContent(text: "订单").json()))
            }
            _ = try await store.commit(
                AutomationBatch(tickets: [ticket("t1", due[0...1]), ticket("t2", due[2...2])]), now: now)
            let fax = try #require(try await store.messageStates(idempotencyKeys: ["t1"])["t1"]?.id)
            _ = try await store.applyReceipts(
                [ReceiptRecord(messageId: fax, gateway: "sim", outcome: .delivered, receivedAt: now)],
                rules: FeedbackDecisions())

            let list = try CLI.run(["branch", "tickets"], in: directory)
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n")
            let acknowledged = try #require(lines.first { $0.contains("SO1 SO2") })
            #expect(
                acknowledged.contains("B01 越秀店") && acknowledged.contains("2: SO1 SO2") && acknowledged.contains("fax"))
            #expect(acknowledged.contains("acknowledged by fax receipt at "), "\(acknowledged)")
            let waiting = try #require(lines.first { $0.contains("1: SO3") })
            #expect(waiting.contains("queued, unacknowledged"), "\(waiting)")

            let open = try CLI.run(["branch", "tickets", "--open", "--json"], in: directory)
            struct Listed: Decodable {
                var orderNos: [String]
                var acknowledgedBy: String?
            }
            let listed = try JSONDecoder().decode([Listed].self, from: Data(open.stdout.utf8))
            #expect(listed.map(\.orderNos) == [["SO3"]] && listed.first?.acknowledgedBy == nil, "\(open.stdout)")
            #expect(try CLI.run(["branch", "tickets", "--branch", "B99"], in: directory).stdout.contains("no tickets"))
            let bad = try CLI.run(["branch", "tickets", "--limit", "0"], in: directory)
            #expect(bad.status != 0 && bad.stderr.contains("--limit must be at least 1"), "\(bad.stderr)")
        }
    }

    static func withDirectory(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tidings-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory)
    }
}
