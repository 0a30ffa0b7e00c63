import CoreModel
import Foundation

/// Delivery and banquet orders go to their branch `lead_minutes` before
/// their time slot, one ticket per branch and slot, on the first channel of
/// the rule the branch has a contact for (fax: the order sheet as a PDF;
/// email: the sheet attached; SMS: a summary). An order booked into a slot
/// already sent gets a ticket of its own at the next scan. Each ticket is
/// written with its message and its orders in one transaction, and an order
/// is on one ticket only, so a re-scan or a restart sends nothing twice.
///
/// A ticket nobody acknowledged `ack_minutes` after it was queued (a fax
/// receipt, or 1 pressed on the call; the feedback rules record both) is
/// escalated once: a call to the branch phone before its slot starts.
struct BranchTicketing: Automation {
    let settings: AutomationSettings.BranchTicket
    var name: AutomationName { .branchTicket }
    var rule: AutomationRule { settings.rule }
    var templates: [String] { [settings.template, settings.callTemplate] }
    /// The ticket on its channels (an email carries the fax file's sheet, so that loads too), the call by voice.
    var templateParts: [(template: String, channel: Channel)] {
        var channels = rule.channels
        if channels.contains(.email) && !channels.contains(.fax) { channels.append(.fax) }
        return channels.map { (settings.template, $0) } + [(settings.callTemplate, .voice)]
    }

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let tickets = try await tickets(now: now, context: context, tally: &tally)
        let calls = try await calls(now: now, context: context, tally: &tally)
        try await context.commit(
            tickets + calls, cursor: AutomationCursor(name: name.rawValue, position: now.unixMillis), now: now,
            tally: &tally)
    }

    private var slotLength: TimeInterval { TimeInterval(settings.slotMinutes) * 60 }

    /// Every slot that starts within `lead_minutes`, and its orders not yet
    /// ticketed: one ticket per branch and slot.
    private func tickets(
        now: Date, context: AutomationContext, tally: inout AutomationTally
    ) async throws -> [AutomationBatch] {
        let zone = context.defaultTimeZone
        let lastSlot = Self.slotStart(
            of: now.addingTimeInterval(TimeInterval(settings.leadMinutes) * 60), length: slotLength, in: zone)
        let orders = try await context.store.ordersToTicket(
            kinds: settings.kinds, scheduledAfter: now, before: lastSlot.addingTimeInterval(slotLength))
        // The store returns them by branch and time: a slot's orders are next to each other.
        var groups: [[TicketOrder]] = []
        for order in orders {
            if let last = groups.last?.last, last.branch.id == order.branch.id,
                Self.slotStart(of: last.scheduledAt, length: slotLength, in: zone)
                    == Self.slotStart(of: order.scheduledAt, length: slotLength, in: zone)
            {
                groups[groups.count - 1].append(order)
            } else {
                groups.append([order])
            }
        }
        return groups.compactMap { ticket($0, context: context, tally: &tally) }
    }

    private func ticket(
        _ orders: [TicketOrder], context: AutomationContext, tally: inout AutomationTally
    ) -> AutomationBatch? {
        guard let first = orders.first else { return nil }
        let branch = first.branch
        guard let channel = rule.channels.first(where: { branch.address(for: $0) != nil }),
            let address = branch.address(for: channel)
        else {
            tally.skip(.noBranchContact(branch.code))
            return nil
        }
        let zone = context.defaultTimeZone
        let slotStart = Self.slotStart(of: first.scheduledAt, length: slotLength, in: zone)
        // The first order's time, not the slot's: a supplement for a slot already begun must still go.
        let draft = MessageDraft(
            keyPrefix: AutomationKeys.branchTicket(
                branchCode: branch.code, slotStart: slotStart, firstOrderNo: first.orderNo),
            lane: .transactional, category: .service, priority: 0,
            values: values(orders, slotStart: slotStart, zone: zone),
            expiresAt: first.scheduledAt, keyedByChannel: false)
        let locale = context.defaults.locale
        var sheet: MessageContent.FaxDocument?
        if channel == .email {
            do {
                sheet = try context.composer.renderer.render(
                    template: rule.template, channel: .fax, locale: locale, values: draft.values
                ).fax
            } catch {
                tally.skip(.renderFailed(.fax))
                return nil
            }
        }
        guard
            let message = context.composer.message(
                to: .init(address: address, memberNo: nil, locale: locale), on: channel, template: rule.template,
                draft: draft,
                automation: name, attachment: sheet, tally: &tally)
        else { return nil }
        return AutomationBatch(
            tickets: [
                NewBranchTicket(branchId: branch.id, slotStart: slotStart, orderIds: orders.map(\.id), message: message)
            ])
    }

    /// Tickets queued `ack_minutes` ago or more, unacknowledged, whose slot is still to come: one call each.
    private func calls(
        now: Date, context: AutomationContext, tally: inout AutomationTally
    ) async throws -> [AutomationBatch] {
        let open = try await context.store.ticketsUnacknowledged(
            queuedThrough: now.addingTimeInterval(-TimeInterval(settings.ackMinutes) * 60), slotAfter: now)
        let zone = context.defaultTimeZone
        return open.compactMap { ticket -> AutomationBatch? in
            guard let phone = ticket.branchPhone, !phone.isEmpty else {
                // Escalated all the same, so it is counted once, not at every scan until its slot.
                tally.skip(.noBranchPhone(ticket.branchCode))
                return AutomationBatch(ticketCalls: [TicketCall(ticketId: ticket.id, message: nil)])
            }
            let values = [
                "branch_name": ticket.branchName, "order_count": String(ticket.orderNos.count),
                "order_nos": ticket.orderNos.joined(separator: "、"),
                "slot_day": TemplateValues.monthDay(ticket.slotStart, in: zone),
                "slot_start": TemplateValues.time(ticket.slotStart, in: zone),
                "slot": Self.slotText(ticket.slotStart, length: slotLength, in: zone),
            ]
            let draft = MessageDraft(
                keyPrefix: AutomationKeys.branchTicketCall(ticketId: ticket.id), lane: .transactional,
                category: .service,
                priority: 6, values: values, expiresAt: ticket.slotStart, keyedByChannel: false)
            guard
                let message = context.composer.message(
                    to: .init(address: phone, memberNo: nil, locale: context.defaults.locale), on: .voice,
                    template: settings.callTemplate, draft: draft, automation: name, tally: &tally)
            else { return nil }
            return AutomationBatch(ticketCalls: [TicketCall(ticketId: ticket.id, message: message)])
        }
    }

    /// What the ticket says: the slot, and per order what the branch prepares and whom it may call.
    private func values(_ orders: [TicketOrder], slotStart: Date, zone: TimeZone) -> [String: String] {
        let lines = orders.enumerated().flatMap { index, order -> [String] in
            let time = TemplateValues.time(order.scheduledAt, in: zone)
            var head = "\(index + 1). \(order.orderNo) \(Self.kindName(order.kind)) \(time)"
            if let size = order.partySize { head += " \(size)位" }
            head += " \(TemplateValues.yuan(fen: order.amountFen))元"
            var lines = [head, "   顾客：\(order.memberName) \(order.memberPhone ?? "无电话")"]
            if let address = order.address, !address.isEmpty { lines.append("   地址：\(address)") }
            if !order.items.isEmpty {
                lines.append("   菜品：" + order.items.map { "\($0.name)×\($0.quantity)" }.joined(separator: "、"))
            }
            return lines
        }
        return [
            "branch_name": orders.first?.branch.name ?? "", "order_count": String(orders.count),
            "order_nos": orders.map(\.orderNo).joined(separator: "、"), "orders": lines.joined(separator: "\n"),
            "slot_day": TemplateValues.monthDay(slotStart, in: zone),
            "slot_start": TemplateValues.time(slotStart, in: zone),
            "slot": Self.slotText(slotStart, length: slotLength, in: zone),
        ]
    }

    /// `18:00–18:30`.
    static func slotText(_ start: Date, length: TimeInterval, in zone: TimeZone) -> String {
        "\(TemplateValues.time(start, in: zone))–\(TemplateValues.time(start.addingTimeInterval(length), in: zone))"
    }

    /// The start of the slot holding `date`: slots start at local midnight and every `length` after it.
    static func slotStart(of date: Date, length: TimeInterval, in zone: TimeZone) -> Date {
        let offset = TimeInterval(zone.secondsFromGMT(for: date))
        let local = date.timeIntervalSince1970 + offset
        return Date(timeIntervalSince1970: (local / length).rounded(.down) * length - offset)
    }

    static func kindName(_ kind: OrderKind) -> String {
        switch kind {
        case .delivery: "外送"
        case .banquet: "宴会"
        case .reservation: "订座"
        case .dineIn: "堂食"
        }
    }
}
