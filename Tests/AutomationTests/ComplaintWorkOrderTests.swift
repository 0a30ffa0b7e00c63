import Channels
import CoreModel
import Foundation
import GRDB
import Scheduler
import Testing

/// Issue 14.3: a complaint goes to its department as a work order, its
/// result goes back to the customer, and the customer may ask where it stands.
struct ComplaintWorkOrderTests {
    /// Opened 10:00 Shanghai time; the clock stands at 10:30.
    let openedAt = shanghaiTime("2026-06-02 10:00")
    let now = shanghaiTime("2026-06-02 10:30")

    static let departments = DepartmentDirectory([
        Department(name: "配送部", email: "delivery@example.com", phone: "+8613800000101", dueHours: 4),
        Department(name: "厨房", fax: "+862088880102", dueHours: 24),
        Department(name: "前厅", phone: "+8613800000103", fax: "+862088880103", dueHours: 8),
    ])

    func runner(_ store: SQLiteStore, _ settings: AutomationSettings) -> AutomationRunner {
        AutomationRunner(
            store: store, settings: settings, defaults: .defaults, brand: .defaults, departments: Self.departments,
            renderer: shippedTemplates, batchSize: 2)
    }

    func complaint(
        _ no: String, department: String, status: ComplaintStatus = .open, openedAt: Date, resolvedAt: Date? = nil,
        resolution: String? = nil, kind: String? = nil
    ) -> Complaint {
        Complaint(
            complaintNo: no, memberNo: "M1", orderNo: nil, channel: "phone", department: department, status: status,
            description: "外卖送达超时一个多小时", resolution: resolution, openedAt: openedAt, resolvedAt: resolvedAt, satisfaction: nil,
            resolutionKind: kind)
    }

    /// The stored payload of the message with `key`.
    func content(_ store: SQLiteStore, key: String) throws -> MessageContent? {
        try DatabaseQueue(path: store.path).read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM messages WHERE idempotency_key = ?", arguments: [key])
        }.flatMap(MessageContent.decode)
    }

    /// A department, the channel its work order must go on, and where.
    struct Route: Sendable, CustomTestStringConvertible {
        var department: String
        var channel: String
        var address: String
        var testDescription: String { "\(department) by \(channel)" }
    }

    @Test(arguments: [
        Route(department: "配送部", channel: "email", address: "delivery@example.com"),
        Route(department: "厨房", channel: "fax", address: "+862088880102"),
        Route(department: "前厅", channel: "sms", address: "+8613800000103"),
    ])
    func aNewComplaintGoesToItsDepartmentOnceWithItsDueTime(route: Route) async throws {
        let (department, channel, address) = (route.department, route.channel, route.address)
        try await withAutomationStore { store in
            try await store.load(.members([member("M1")]))
            try await store.load(.complaints([complaint("C123", department: department, openedAt: openedAt)]))
            // 前厅 has a fax and a phone: the rule's order (sms first here) chooses.
            let settings = automationConfig(enabled: [.complaintWorkOrder]) {
                $0.complaintWorkOrder.channels = department == "前厅" ? [.sms, .fax] : [.email, .fax, .sms]
            }
            let first = try await runner(store, settings).runOnce(now: now)
            #expect(first[.complaintWorkOrder]?.enqueued == 1, "\(first)")
            #expect(try await runner(store, settings).runOnce(now: now.adding(minutes: 1))[.complaintWorkOrder]?.enqueued == 0)
            // A restarted worker, with its cursor forgotten too: the complaint says it was sent.
            let reopened = try store.reopened()
            try await DatabaseQueue(path: store.path).write { try $0.execute(sql: "DELETE FROM automation_cursors") }
            let again = try await runner(reopened, settings).runOnce(now: now.adding(minutes: 2))
            #expect(again[.complaintWorkOrder]?.enqueued == 0 && again[.complaintWorkOrder]?.duplicates == 0, "\(again)")

            let rows = try store.outbox()
            #expect(rows.map(\.key) == ["complaint:C123:department"])
            let row = try #require(rows.first)
            #expect(row.channel == channel && row.address == address && row.lane == "transactional" && row.category == "service")
            #expect(row.template == "complaint-work-order")
            let payload = try #require(try content(store, key: "complaint:C123:department"))
            let due = department == "配送部" ? "6月2日 14:00" : department == "厨房" ? "6月3日 10:00" : "6月2日 18:00"
            switch channel {
            case "email":
                #expect(payload.subject?.contains(due) == true, "\(payload)")
                let sheet = try #require(payload.attachment)
                #expect(sheet.lines.contains("处理时限：\(due) 前"), "\(sheet.lines)")
                #expect(try FaxDocumentPDF.render(sheet).starts(with: Array("%PDF".utf8)))
            case "fax":
                let sheet = try #require(payload.fax)
                #expect(sheet.title == "鸿福楼投诉处理单 C123")
                #expect(sheet.lines.contains("处理时限：\(due) 前") && sheet.lines.contains("处理部门：厨房"), "\(sheet.lines)")
                #expect(try FaxDocumentPDF.render(sheet).starts(with: Array("%PDF".utf8)))
            default:
                #expect(payload.text == "【鸿福楼】派单C123（前厅）：外卖送达超时一个多小时。请于\(due)前处理。", "\(payload)")
                #expect(payload.attachment == nil)
            }
            // The member's profile and timeline show when the department was told.
            let profile = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 10))
            #expect(profile.complaints.first?.departmentNotifiedAt == now)
            #expect(profile.timeline.contains { $0.kind == "assigned" && $0.text == "C123 work order sent to \(department)" })
        }
    }

    @Test func onlyOpenRecentComplaintsOfAKnownDepartmentGetAWorkOrder() async throws {
        try await withAutomationStore { store in
            try await store.load(.members([member("M1")]))
            try await store.load(.complaints([
                complaint("C1", department: "配送部", status: .resolved, openedAt: openedAt, resolvedAt: now, resolution: "已退款"),
                complaint("C2", department: "配送部", openedAt: openedAt.adding(days: -4)),  // a history import
                complaint("C3", department: "财务部", openedAt: openedAt),  // no such department in the config
                complaint("C4", department: "配送部", status: .inProgress, openedAt: openedAt),
            ]))
            let report = try await runner(store, automationConfig(enabled: [.complaintWorkOrder])).runOnce(now: now)
            let tally = try #require(report[.complaintWorkOrder])
            #expect(tally.enqueued == 1)
            #expect(tally.skipped == [.complaintStatus(.resolved): 1, .stale: 1, .noDepartment("财务部"): 1])
            #expect(try store.outbox().map(\.key) == ["complaint:C4:department"])
        }
    }

    @Test func aResolvedComplaintIsToldOnTheCustomersPreferredChannelWithItsKindsTemplate() async throws {
        try await withAutomationStore { store in
            try await store.load(.members([
                member("M1", email: "li@example.com"), member("M2", phone: "+8613900000002", email: nil),
            ]))
            var other = complaint("C2", department: "厨房", status: .closed, openedAt: openedAt.adding(hours: -5),
                resolvedAt: now.adding(hours: -1), resolution: "已补送菜品")
            other.memberNo = "M2"
            try await store.load(.complaints([
                complaint("C1", department: "配送部", status: .resolved, openedAt: openedAt.adding(hours: -5),
                    resolvedAt: now.adding(hours: -1), resolution: "已退回餐费68元", kind: "refund"),
                other,
                complaint("C3", department: "配送部", status: .inProgress, openedAt: openedAt),
            ]))
            let settings = automationConfig(enabled: [.complaintResolution, .revisitSurvey]) {
                $0.complaintResolution.channels = [.email, .sms]
            }
            let report = try await runner(store, settings).runOnce(now: now)
            #expect(report[.complaintResolution]?.enqueued == 2, "\(report)")
            #expect(try await runner(store, settings).runOnce(now: now.adding(minutes: 5))[.complaintResolution]?.enqueued == 0)

            let rows = try store.outbox().filter { $0.key.hasSuffix(":resolution") }
            #expect(rows.map(\.key) == ["complaint:C1:resolution", "complaint:C2:resolution"])
            // M1 has an email, and email comes first; the refund has its own template.
            #expect(rows[0].channel == "email" && rows[0].address == "li@example.com")
            #expect(rows[0].template == "complaint-resolution-refund")
            let refund = try #require(try content(store, key: "complaint:C1:resolution"))
            #expect(refund.subject == "【鸿福楼】您的投诉C1已处理，款项已退回")
            #expect(refund.text?.contains("处理结果：已退回餐费68元") == true)
            // M2 has no email: SMS, with the template for any other kind.
            #expect(rows[1].channel == "sms" && rows[1].address == "+8613900000002" && rows[1].template == "complaint-resolution")
            #expect(rows[1].text == "【鸿福楼】李女士您好，您的投诉C2已处理：已补送菜品。感谢您的反馈，如仍有问题请致电客服。")
            // The revisit survey follows a day after the resolution, from its own automation.
            let later = try await runner(store, settings).runOnce(now: now.adding(hours: 23))
            #expect(later[.revisitSurvey]?.enqueued == 2, "\(later)")
            #expect(try store.outbox().map(\.key).filter { $0.hasSuffix(":survey:sms") } == ["complaint:C1:survey:sms", "complaint:C2:survey:sms"])
        }
    }

    /// A kind's template that does not load holds the scan back: its results are not skipped and lost.
    @Test func aMissingKindTemplateHoldsTheResolutionsBack() async throws {
        try await withAutomationStore { store in
            try await store.load(.members([member("M1")]))
            try await store.load(.complaints([
                complaint("C1", department: "配送部", status: .resolved, openedAt: openedAt, resolvedAt: now.adding(minutes: -10),
                    resolution: "已退款", kind: "refund"),
            ]))
            let broken = automationConfig(enabled: [.complaintResolution]) { $0.complaintResolution.templates = ["refund": "no-such-template"] }
            let held = try #require(try await runner(store, broken).runOnce(now: now)[.complaintResolution])
            #expect(held.waitingForTemplate && held.enqueued == 0)
            let fixed = automationConfig(enabled: [.complaintResolution])
            #expect(try await runner(store, fixed).runOnce(now: now.adding(minutes: 1))[.complaintResolution]?.enqueued == 1)
        }
    }

    @Test func aCustomerAsksForTheStageOfTheirComplaintByText() async throws {
        try await withAutomationStore { store in
            try await store.load(.members([member("M1"), member("M2", phone: "+8613900000002")]))
            try await store.load(.complaints([complaint("C123", department: "配送部", status: .inProgress, openedAt: openedAt)]))
            func ask(_ body: String, from: String, id: String) async throws -> String? {
                let inbound = InboundRecord(
                    channel: .sms, kind: .reply, from: from, to: nil, body: body, gateway: "sim", providerMessageId: id, receivedAt: now)
                _ = try await store.recordInbound([inbound], rules: FeedbackDecisions())
                return try content(store, key: "complaint-query:sim:\(id)")?.text
            }
            let own = try await ask("查询 C123", from: "+8613812345678", id: "up-1")
            #expect(own == "【鸿福楼】您的投诉C123当前进度：处理中，处理部门：配送部。")
            // Full width and lower case, as a phone keyboard may send it.
            #expect(try await ask("查询：ｃ１２３", from: "+8613812345678", id: "up-2") == own)
            // Another customer's phone learns nothing, not even that the complaint exists.
            let stranger = try await ask("查询 C123", from: "+8613900000002", id: "up-3")
            #expect(stranger == "【鸿福楼】未查到投诉C123，请核对投诉编号，或用登记的手机号发送查询。")
            #expect(try await ask("查询 C999", from: "+8613812345678", id: "up-4") == "【鸿福楼】未查到投诉C999，请核对投诉编号，或用登记的手机号发送查询。")
            // The answer goes to the phone that asked; a redelivered inbound is answered once.
            #expect(try store.outbox().filter { $0.key.hasPrefix("complaint-query:") }.map(\.address)
                == ["+8613812345678", "+8613812345678", "+8613900000002", "+8613812345678"])
            _ = try await ask("查询 C123", from: "+8613812345678", id: "up-1")
            #expect(try store.outbox().count == 4)
        }
    }

    @Test func anOptOutInTheSameTextWinsOverAQuestion() {
        let rules = FeedbackDecisions()
        let inbound = InboundRecord(channel: .sms, kind: .reply, from: "+8613812345678", to: nil, body: "查询C1 退订", gateway: "sim")
        let asked = AskedComplaint(
            complaintNo: "C1", status: .open, department: "配送部", memberPhone: "+8613812345678", departmentNotifiedAt: nil)
        let decision = rules.decide(inbound, facts: InboundFacts(sender: nil, answered: nil, complaint: asked))
        #expect(decision.kind == .optout)
        #expect(!decision.actions.contains { if case .reply = $0 { true } else { false } })
        // Without the stop word it is a question, and answered.
        let question = InboundRecord(channel: .sms, kind: .reply, from: "+8613812345678", to: nil, body: "查询C1", gateway: "sim")
        let answered = rules.decide(question, facts: InboundFacts(sender: nil, answered: nil, complaint: asked))
        #expect(answered.kind == .reply && answered.actions.count == 1)
        // Email is not asked: the keyword is for SMS.
        #expect(rules.complaintAsked(in: InboundRecord(channel: .email, kind: .reply, from: "a@b.cn", to: nil, body: "查询C1", gateway: "smtp")) == nil)
    }
}
