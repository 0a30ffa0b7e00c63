import Channels
import CoreModel
import Foundation
import GRDB
import Scheduler
import Testing

/// Issue 14.4: delivery and banquet orders go to their branch ahead of time,
/// one ticket per branch and slot; a ticket nobody acknowledges in time is
/// followed by one call to the branch.
struct BranchTicketTests {
    /// Lead 90 minutes, slots of 30, acknowledgement within 15 (the defaults).
    let config = automationConfig(enabled: [.branchTicket])
    let orderedAt = shanghaiTime("2026-06-02 10:00")

    static let fax = "+862088880002"
    static let phone = "+862088880001"

    func branch(_ code: String, phone: String? = Self.phone, fax: String? = Self.fax, email: String? = nil) -> Branch {
        Branch(
            code: code, name: "越秀店", district: "越秀区", address: "北京路1号", phone: phone, fax: fax, email: email, seats: 80)
    }

    func order(
        _ no: String, _ kind: OrderKind = .delivery, at time: String, status: OrderStatus = .placed,
        branch: String = "B01",
        partySize: Int? = nil, items: [OrderLine] = []
    ) -> Order {
        Order(
            orderNo: no, memberNo: "M1", branchCode: branch, source: .agent, kind: kind, status: status,
            orderedAt: orderedAt,
            scheduledAt: shanghaiTime("2026-06-02 \(time)"), partySize: partySize, amountFen: 36800,
            address: kind == .delivery ? "越秀区中山五路8号" : nil, items: items)
    }

    /// A store with branch `branch`, member M1 and two dishes.
    func withTicketStore(_ branch: Branch, _ body: (SQLiteStore) async throws -> Void) async throws {
        try await withAutomationStore { store in
            try await store.load(.branches([branch]))
            try await store.load(.members([member("M1")]))
            try await store.load(
                .menuItems([
                    MenuItem(code: 101, name: "白切鸡", priceFen: 8800, category: "热菜"),
                    MenuItem(code: 102, name: "叉烧包", priceFen: 1800, category: "点心"),
                ]))
            try await body(store)
        }
    }

    func run(_ store: SQLiteStore, at time: String) async throws -> AutomationTally {
        try #require(
            try await automationRunner(store, config).runOnce(now: shanghaiTime("2026-06-02 \(time)"))[.branchTicket])
    }

    func content(_ store: SQLiteStore, key: String) throws -> MessageContent? {
        try DatabaseQueue(path: store.path).read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM messages WHERE idempotency_key = ?", arguments: [key])
        }.flatMap(MessageContent.decode)
    }

    func messageId(_ store: SQLiteStore, key: String) async throws -> Int64 {
        try #require(try await store.messageStates(idempotencyKeys: [key])[key]?.id)
    }

    func ticketKey(_ slot: String, _ firstOrderNo: String) -> String {
        "branch-ticket:B01:\(Int(shanghaiTime("2026-06-02 \(slot)").timeIntervalSince1970)):\(firstOrderNo)"
    }

    @Test func eachSlotsOrdersGoToTheBranchOnceAsOneTicket() async throws {
        try await withTicketStore(branch("B01")) { store in
            // Tickets only here: no call before 17:59.
            let config = automationConfig(enabled: [.branchTicket]) { $0.branchTicket.ackMinutes = 89 }
            func run(_ store: SQLiteStore, at time: String) async throws -> AutomationTally {
                try #require(
                    try await automationRunner(store, config).runOnce(now: shanghaiTime("2026-06-02 \(time)"))[
                        .branchTicket])
            }
            try await store.load(
                .orders([
                    order(
                        "SO1", at: "18:00",
                        items: [OrderLine(menuCode: 101, quantity: 1), OrderLine(menuCode: 102, quantity: 2)]),
                    order("SO2", .banquet, at: "18:10", status: .booked, partySize: 10),
                    order("SO3", at: "18:25"),
                    order("SO4", at: "18:40"),
                    order("SO5", at: "18:05", status: .cancelled),
                    order("SO6", .dineIn, at: "18:15"),
                    order("SO7", .reservation, at: "18:20", status: .booked, partySize: 4),
                    // B1 (the fixture's branch) has no fax, email or phone: its orders wait.
                    order("SO9", at: "18:05", branch: "B1"),
                ]))
            #expect(try await run(store, at: "16:29").enqueued == 0, "the 18:00 slot is not 90 minutes away yet")
            #expect(try store.outbox().isEmpty)

            let first = try await run(store, at: "16:30")
            #expect(first.enqueued == 1 && first.skipped == [.noBranchContact("B1"): 1], "\(first)")
            let key = ticketKey("18:00", "SO1")
            let rows = try store.outbox()
            #expect(rows.map(\.key) == [key])
            let row = try #require(rows.first)
            #expect(
                row.channel == "fax" && row.address == Self.fax && row.lane == "transactional"
                    && row.category == "service")
            #expect(row.template == "branch-ticket" && row.orderNo == nil)
            #expect(
                row.expiresAt == shanghaiTime("2026-06-02 18:00"), "a ticket after its first order's time is no use")
            let member = try await DatabaseQueue(path: store.path).read { db in
                try Int64.fetchOne(
                    db, sql: "SELECT member_id FROM messages WHERE idempotency_key = ?", arguments: [key])
            }
            #expect(member == nil, "the branch is no member")
            let sheet = try #require(try content(store, key: key)?.fax)
            #expect(sheet.title == "鸿福楼门店订单 越秀店 6月2日 18:00–18:30")
            #expect(sheet.lines.contains("订单数：3"), "\(sheet.lines)")
            #expect(sheet.lines.contains("1. SO1 外送 18:00 368.00元"), "\(sheet.lines)")
            #expect(sheet.lines.contains("   顾客：李女士 +8613812345678") && sheet.lines.contains("   地址：越秀区中山五路8号"))
            #expect(sheet.lines.contains("   菜品：白切鸡×1、叉烧包×2"), "\(sheet.lines)")
            #expect(
                sheet.lines.contains("2. SO2 宴会 18:10 10位 368.00元") && sheet.lines.contains("3. SO3 外送 18:25 368.00元"))
            let text = sheet.lines.joined(separator: "\n")
            #expect(!["SO4", "SO5", "SO6", "SO7", "SO9"].contains { text.contains($0) }, "\(text)")
            #expect(try FaxDocumentPDF.render(sheet).starts(with: Array("%PDF".utf8)))

            // Again at the same time, and after a restart with the cursor gone: the orders are on a ticket.
            #expect(try await run(store, at: "16:30").enqueued == 0)
            try await DatabaseQueue(path: store.path).write { try $0.execute(sql: "DELETE FROM automation_cursors") }
            let again = try #require(
                try await automationRunner(try store.reopened(), config).runOnce(now: shanghaiTime("2026-06-02 16:31"))[
                    .branchTicket])
            #expect(again.enqueued == 0 && again.duplicates == 0, "\(again)")

            #expect(try await run(store, at: "16:59").enqueued == 0)
            #expect(try await run(store, at: "17:10").enqueued == 1, "the 18:30 slot")
            // Booked later into the slot already sent: a ticket of its own.
            try await store.load(.orders([order("SO8", at: "18:20")]))
            #expect(try await run(store, at: "17:15").enqueued == 1)
            #expect(try await run(store, at: "17:16").enqueued == 0)
            #expect(try store.outbox().map(\.key) == [key, ticketKey("18:30", "SO4"), ticketKey("18:00", "SO8")])

            let tickets = try await store.branchTickets(BranchTicketFilter(branchCode: "B01"))
            #expect(tickets.map(\.orderNos) == [["SO4"], ["SO8"], ["SO1", "SO2", "SO3"]])
            #expect(tickets.map(\.slotStart) == ["18:30", "18:00", "18:00"].map { shanghaiTime("2026-06-02 \($0)") })
            #expect(tickets.allSatisfy { $0.channel == .fax && $0.messageStatus == .queued && !$0.isAcknowledged })
        }
    }

    /// A branch with only an email gets the summary by email with the sheet attached as a PDF;
    /// one with only a phone an SMS.
    @Test func withoutAFaxTheTicketGoesByEmailWithTheSheetElseBySMS() async throws {
        try await withTicketStore(branch("B01", phone: nil, fax: nil, email: "yuexiu@example.com")) { store in
            try await store.load(.orders([order("SO1", at: "18:00"), order("SO2", at: "18:20")]))
            #expect(try await run(store, at: "16:30").enqueued == 1)
            let key = ticketKey("18:00", "SO1")
            #expect(try store.outbox().map { [$0.channel, $0.address] } == [["email", "yuexiu@example.com"]])
            let email = try #require(try content(store, key: key))
            #expect(email.subject == "【鸿福楼】门店订单：越秀店 6月2日 18:00–18:30，共2张")
            #expect(email.text?.contains("2. SO2 外送 18:20 368.00元") == true, "\(email.text ?? "")")
            let sheet = try #require(email.attachment)
            #expect(sheet.lines.contains("订单数：2") && sheet.title.hasPrefix("鸿福楼门店订单"))
            #expect(try FaxDocumentPDF.render(sheet).starts(with: Array("%PDF".utf8)))
        }
        try await withTicketStore(branch("B01", fax: nil)) { store in
            try await store.load(
                .orders([order("SO1", at: "18:00"), order("SO2", .banquet, at: "18:20", partySize: 12)]))
            #expect(try await run(store, at: "16:30").enqueued == 1)
            let row = try #require(try store.outbox().first)
            #expect(row.channel == "sms" && row.address == Self.phone)
            #expect(row.text == "【鸿福楼】越秀店：6月2日 18:00–18:30有2张订单（SO1、SO2），请备餐。")
        }
    }

    @Test func anUnacknowledgedTicketIsFollowedByOneCallToTheBranch() async throws {
        try await withTicketStore(branch("B01")) { store in
            try await store.load(
                .orders([order("SO1", at: "18:00"), order("SO2", .banquet, at: "18:10", partySize: 10)]))
            #expect(try await run(store, at: "16:30").enqueued == 1)
            #expect(try await run(store, at: "16:44").enqueued == 0, "not before 15 minutes")
            let escalation = try await run(store, at: "16:45")
            #expect(escalation.enqueued == 1, "\(escalation)")
            let ticket = try #require(try await store.branchTickets(BranchTicketFilter()).first)
            let callKey = "branch-ticket:\(ticket.id):call"
            let calls = try store.outbox().filter { $0.channel == "voice" }
            #expect(calls.map(\.key) == [callKey])
            let call = try #require(calls.first)
            #expect(call.address == Self.phone && call.lane == "transactional" && call.category == "service")
            #expect(call.template == "branch-ticket-call" && call.expiresAt == shanghaiTime("2026-06-02 18:00"))
            let voice = try #require(try content(store, key: callKey)?.voice)
            #expect(voice.say == "越秀店您好，这里是鸿福楼客服中心。您有2张6月2日18:00的订单尚未确认。")
            #expect(voice.gatherDigits == "1" && voice.gatherPrompt == "确认收到请按1。")
            #expect(
                ticket.escalatedAt == shanghaiTime("2026-06-02 16:45") && ticket.callStatus == .queued
                    && !ticket.isAcknowledged)

            #expect(try await run(store, at: "16:50").enqueued == 0, "once")
            #expect(
                try await automationRunner(try store.reopened(), config).runOnce(now: shanghaiTime("2026-06-02 17:00"))[
                    .branchTicket]?
                    .enqueued == 0)
            #expect(try store.outbox().filter { $0.channel == "voice" }.count == 1)
        }
    }

    @Test func aFaxReceiptAcknowledgesTheTicketAndNoCallGoes() async throws {
        try await withTicketStore(branch("B01")) { store in
            try await store.load(.orders([order("SO1", at: "18:00")]))
            #expect(try await run(store, at: "16:30").enqueued == 1)
            let fax = try await messageId(store, key: ticketKey("18:00", "SO1"))
            let receipt = ReceiptRecord(
                messageId: fax, gateway: "sim", providerMessageId: "fax-1", outcome: .delivered,
                receivedAt: shanghaiTime("2026-06-02 16:40"))
            _ = try await store.applyReceipts([receipt], rules: FeedbackDecisions())
            #expect(try await run(store, at: "16:45").enqueued == 0)
            #expect(try store.outbox().count == 1, "no call")
            let ticket = try #require(try await store.branchTickets(BranchTicketFilter()).first)
            #expect(ticket.acknowledgedAt == shanghaiTime("2026-06-02 16:40") && ticket.acknowledgedBy == .faxReceipt)
            #expect(ticket.messageStatus == .delivered && ticket.escalatedAt == nil)
            #expect(try await store.branchTickets(BranchTicketFilter(unacknowledged: true)).isEmpty)
        }
    }

    /// An SMS ticket can only be acknowledged on the call: 1 does, 2 does not, and neither does a reply to the SMS.
    @Test func onlyOnePressedOnTheCallAcknowledgesAnSMSTicket() async throws {
        try await withTicketStore(branch("B01", fax: nil)) { store in
            try await store.load(.orders([order("SO1", at: "18:00")]))
            #expect(try await run(store, at: "16:30").enqueued == 1)
            let sms = try await messageId(store, key: ticketKey("18:00", "SO1"))
            // Delivered, and answered by text: neither says anyone at the branch has the orders in hand.
            _ = try await store.applyReceipts(
                [
                    ReceiptRecord(
                        messageId: sms, gateway: "sim", outcome: .delivered,
                        receivedAt: shanghaiTime("2026-06-02 16:31"))
                ],
                rules: FeedbackDecisions())
            func press(
                _ key: String, kind: InboundRecord.Kind = .dtmf, on message: Int64, id: String, at time: String
            ) async throws {
                let inbound = InboundRecord(
                    channel: kind == .dtmf ? .voice : .sms, kind: kind, from: "", to: nil, body: key, gateway: "sim",
                    providerMessageId: id, inReplyTo: message, receivedAt: shanghaiTime("2026-06-02 \(time)"))
                _ = try await store.recordInbound([inbound], rules: FeedbackDecisions())
            }
            try await press("1", kind: .reply, on: sms, id: "mo-1", at: "16:35")
            #expect(try await run(store, at: "16:45").enqueued == 1)
            let ticket = try #require(try await store.branchTickets(BranchTicketFilter()).first)
            #expect(ticket.channel == .sms && !ticket.isAcknowledged)
            let call = try await messageId(store, key: "branch-ticket:\(ticket.id):call")

            try await press("2", on: call, id: "call-1:gather", at: "16:47")
            #expect(try await store.branchTickets(BranchTicketFilter()).first?.isAcknowledged == false)
            try await press("1", on: call, id: "call-2:gather", at: "16:48")
            let acknowledged = try #require(try await store.branchTickets(BranchTicketFilter()).first)
            #expect(
                acknowledged.acknowledgedAt == shanghaiTime("2026-06-02 16:48")
                    && acknowledged.acknowledgedBy == .keypad)
            #expect(acknowledged.escalatedAt == shanghaiTime("2026-06-02 16:45"))
            // A second press changes nothing.
            try await press("1", on: call, id: "call-3:gather", at: "16:49")
            #expect(
                try await store.branchTickets(BranchTicketFilter()).first?.acknowledgedAt
                    == shanghaiTime("2026-06-02 16:48"))
        }
    }

    /// A branch without a phone cannot be called: its ticket is escalated once, counted as skipped, and never called.
    @Test func aBranchWithoutAPhoneIsCountedOnceAndNotCalled() async throws {
        try await withTicketStore(branch("B01", phone: nil)) { store in
            try await store.load(.orders([order("SO1", at: "18:00")]))
            #expect(try await run(store, at: "16:30").enqueued == 1)
            let tally = try await run(store, at: "16:45")
            #expect(tally.enqueued == 0 && tally.skipped == [.noBranchPhone("B01"): 1], "\(tally)")
            #expect(try await run(store, at: "16:50").skipped.isEmpty)
            let ticket = try #require(try await store.branchTickets(BranchTicketFilter()).first)
            #expect(ticket.escalatedAt == shanghaiTime("2026-06-02 16:45") && ticket.callStatus == nil)
            #expect(try store.outbox().map(\.channel) == ["fax"])
        }
    }
}
