import CoreModel
import Foundation
import Synchronization
import Testing

/// What branch order tickets need from any store: the orders still to
/// ticket, each ticket written whole with its message and orders (once per
/// order), escalation once and only while unacknowledged, and the rules'
/// acknowledgements applied.
struct BranchTicketContractTests {
    let now = Fixture.now
    static let branch = Branch(
        code: "B2", name: "越秀店", district: "越秀区", address: "北京路1号", phone: "+862088880001", fax: "+862088880002",
        email: "yuexiu@example.com", seats: 80)

    func order(
        _ no: String, _ kind: OrderKind = .delivery, in minutes: Double, status: OrderStatus = .placed,
        branch: String = "B2"
    )
        -> Order
    {
        var order = Fixture.order(no, kind: kind, status: status, scheduledAt: now.addingTimeInterval(minutes * 60))
        order.branchCode = branch
        return order
    }

    func ticket(_ key: String, orders: [Int64], branchId: Int64, channel: Channel = .fax) -> NewBranchTicket {
        NewBranchTicket(
            branchId: branchId, slotStart: now.addingTimeInterval(3600), orderIds: orders,
            message: Fixture.message(
                key, purpose: .automation("branch_ticket"), address: "+862088880002", channel: channel))
    }

    func withTicketStore(_ kind: StoreKind, _ body: (any Store) async throws -> Void) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.branches([Self.branch]))
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(.menuItems([MenuItem(code: 101, name: "白切鸡", priceFen: 8800, category: "热菜")]))
            try await body(store)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ordersToTicketAreThoseOfTheKindsStillToPrepareInTheWindow(_ kind: StoreKind) async throws {
        try await withTicketStore(kind) { store in
            var withItems = order("SO1", in: 60)
            withItems.items = [OrderLine(menuCode: 101, quantity: 2)]
            withItems.address = "中山五路8号"
            try await store.load(
                .orders([
                    order("SO3", .banquet, in: 70, status: .booked), withItems, order("SO2", in: 65, branch: "B1"),
                    order("SO4", in: 60, status: .cancelled), order("SO5", in: 60, status: .dispatched),
                    order("SO6", .dineIn, in: 60),
                    order("SO7", in: 0), order("SO8", in: 90), order("SO9", .reservation, in: 60, status: .booked),
                ]))
            let orders = try await store.ordersToTicket(
                kinds: [.delivery, .banquet], scheduledAfter: now, before: now.addingTimeInterval(90 * 60))
            // By branch (B1 before B2), then time; not cancelled, dispatched, other kinds, nor outside (now, before).
            #expect(orders.map(\.orderNo) == ["SO2", "SO1", "SO3"])
            let first = try #require(orders.first { $0.orderNo == "SO1" })
            #expect(first.items == [TicketOrder.Item(name: "白切鸡", quantity: 2)] && first.address == "中山五路8号")
            #expect(first.memberName == "李女士" && first.memberPhone == "+8613812345678")
            #expect(
                first.branch.code == "B2" && first.branch.fax == "+862088880002"
                    && first.branch.email == "yuexiu@example.com")
            #expect(first.branch.address(for: .sms) == "+862088880001" && first.branch.address(for: .voice) == nil)
            #expect(orders.first?.branch.address(for: .fax) == nil, "B1 has no fax")

            // Ticketed, they are gone from the scan; the rest stay.
            let ids = orders.filter { $0.branch.code == "B2" }.map(\.id)
            let written = try await store.commit(
                AutomationBatch(tickets: [ticket("t:1", orders: ids, branchId: first.branch.id)]), now: now)
            #expect(written.messages.count == 1)
            let left = try await store.ordersToTicket(
                kinds: [.delivery, .banquet], scheduledAfter: now, before: now.addingTimeInterval(90 * 60))
            #expect(left.map(\.orderNo) == ["SO2"])
        }
    }

    /// A second scan that read the same orders (or some of them) writes nothing: no ticket, no message.
    @Test(arguments: StoreKind.allCases)
    func anOrderIsOnOneTicketOnly(_ kind: StoreKind) async throws {
        try await withTicketStore(kind) { store in
            try await store.load(.orders([order("SO1", in: 60), order("SO2", in: 70), order("SO3", in: 75)]))
            let orders = try await store.ordersToTicket(
                kinds: [.delivery], scheduledAfter: now, before: now.addingTimeInterval(5400))
            let branchId = try #require(orders.first?.branch.id)
            let (one, two) = (orders[0].id, orders[1].id)
            let first = try await store.commit(
                AutomationBatch(tickets: [ticket("t:SO1", orders: [one, two], branchId: branchId)]), now: now)
            let firstId = try #require(first.messages.first).id
            let again = try await store.commit(
                AutomationBatch(tickets: [
                    ticket("t:SO1:again", orders: [one, two], branchId: branchId),
                    ticket("t:SO2", orders: [two, orders[2].id], branchId: branchId),
                ]), now: now + 60)
            #expect(again.messages == [.duplicate(messageId: firstId), .duplicate(messageId: firstId)])
            let states = try await store.messageStates(idempotencyKeys: ["t:SO1", "t:SO1:again", "t:SO2"])
            #expect(states.keys.sorted() == ["t:SO1"])
            let tickets = try await store.branchTickets(BranchTicketFilter())
            #expect(tickets.map(\.orderNos) == [["SO1", "SO2"]])
            #expect(
                tickets.first?.createdAt == now && tickets.first?.channel == .fax
                    && tickets.first?.branchPhone == "+862088880001")
        }
    }

    /// The ticket, its message and its orders are one transaction: a ticket the store refuses leaves no message behind.
    @Test(arguments: StoreKind.allCases)
    func aTicketIsWrittenWholeOrNotAtAll(_ kind: StoreKind) async throws {
        try await withTicketStore(kind) { store in
            try await store.load(.orders([order("SO1", in: 60)]))
            let orders = try await store.ordersToTicket(
                kinds: [.delivery], scheduledAfter: now, before: now.addingTimeInterval(5400))
            let order = try #require(orders.first)
            // A voice ticket is no ticket channel: the store refuses the row after the message was inserted.
            await #expect(throws: (any Error).self) {
                _ = try await store.commit(
                    AutomationBatch(
                        messages: [Fixture.message("other")],
                        tickets: [ticket("t:voice", orders: [order.id], branchId: order.branch.id, channel: .voice)]),
                    now: now)
            }
            #expect(try await store.messageStates(idempotencyKeys: ["other", "t:voice"]).isEmpty)
            #expect(try await store.branchTickets(BranchTicketFilter()).isEmpty)
            #expect(
                try await store.ordersToTicket(
                    kinds: [.delivery], scheduledAfter: now, before: now.addingTimeInterval(5400)
                ).count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aTicketIsEscalatedOnceAndOnlyWhileUnacknowledged(_ kind: StoreKind) async throws {
        try await withTicketStore(kind) { store in
            try await store.load(.orders([order("SO1", in: 60), order("SO2", in: 70)]))
            let orders = try await store.ordersToTicket(
                kinds: [.delivery], scheduledAfter: now, before: now.addingTimeInterval(5400))
            let branchId = try #require(orders.first?.branch.id)
            _ = try await store.commit(
                AutomationBatch(tickets: [
                    ticket("t:1", orders: [orders[0].id], branchId: branchId),
                    ticket("t:2", orders: [orders[1].id], branchId: branchId),
                ]), now: now)
            // Not yet old enough, or the slot already begun: nothing to escalate.
            #expect(try await store.ticketsUnacknowledged(queuedThrough: now - 1, slotAfter: now).isEmpty)
            #expect(try await store.ticketsUnacknowledged(queuedThrough: now, slotAfter: now + 3600).isEmpty)
            let open = try await store.ticketsUnacknowledged(queuedThrough: now, slotAfter: now)
            #expect(open.map(\.orderNos) == [["SO1"], ["SO2"]])

            // The second ticket's fax arrives; the rules say it acknowledges.
            let seen = Mutex<[ReceiptFacts]>([])
            let rules = ScriptedRules(receipt: { _, facts in
                seen.withLock { $0.append(facts) }
                return [.acknowledgeTicket(messageId: facts.messageId, by: .faxReceipt)]
            })
            let fax = try #require(try await store.messageStates(idempotencyKeys: ["t:2"])["t:2"]?.id)
            _ = try await store.applyReceipts(
                [ReceiptRecord(messageId: fax, gateway: "sim", outcome: .delivered, receivedAt: now + 300)],
                rules: rules)
            #expect(
                seen.withLock { $0.map { [$0.channel?.rawValue, $0.purpose?.rawValue] } } == [
                    ["fax", "automation:branch_ticket"]
                ])

            func call(_ ticket: BranchTicket, _ key: String) -> TicketCall {
                TicketCall(
                    ticketId: ticket.id,
                    message: Fixture.message(
                        key, purpose: .automation("branch_ticket"), address: "+862088880001", channel: .voice))
            }
            // Both read before the receipt: only the unacknowledged one is called, once.
            let first = try await store.commit(
                AutomationBatch(ticketCalls: open.map { call($0, "call:\($0.id)") }), now: now + 900)
            #expect(first.messages.count == 1)
            let again = try await store.commit(
                AutomationBatch(ticketCalls: [call(open[0], "call:again")]), now: now + 960)
            #expect(again.messages.isEmpty)
            #expect(try await store.ticketsUnacknowledged(queuedThrough: now + 960, slotAfter: now + 960).isEmpty)

            let tickets = try await store.branchTickets(BranchTicketFilter()).sorted { $0.id < $1.id }
            #expect(tickets.map(\.escalatedAt) == [now + 900, nil])
            #expect(tickets.map(\.callStatus) == [.queued, nil])
            #expect(tickets.map(\.acknowledgedBy) == [nil, .faxReceipt] && tickets[1].acknowledgedAt == now + 300)
            #expect(try await store.messageStates(idempotencyKeys: ["call:again"]).isEmpty)

            // A key pressed on the call acknowledges the ticket it escalated, the first time only.
            let callId = try #require(
                try await store.messageStates(idempotencyKeys: ["call:\(open[0].id)"]).values.first?.id)
            let keypad = ScriptedRules(inbound: { inbound, facts in
                InboundDecision(
                    kind: inbound.kind,
                    actions: [.acknowledgeTicket(messageId: facts.answered?.messageId ?? 0, by: .keypad)])
            })
            for (id, at) in [("k1", now + 1000), ("k2", now + 1100)] {
                _ = try await store.recordInbound(
                    [
                        InboundRecord(
                            channel: .voice, kind: .dtmf, from: "", to: nil, body: "1", gateway: "sim",
                            providerMessageId: id, inReplyTo: callId,
                            receivedAt: at)
                    ], rules: keypad)
            }
            let keyed = try #require(
                try await store.branchTickets(BranchTicketFilter(unacknowledged: false)).first { $0.id == open[0].id })
            #expect(keyed.acknowledgedBy == .keypad && keyed.acknowledgedAt == now + 1000)
            #expect(try await store.branchTickets(BranchTicketFilter(unacknowledged: true)).isEmpty)
            #expect(try await store.branchTickets(BranchTicketFilter(branchCode: "B1")).isEmpty)
        }
    }
}
