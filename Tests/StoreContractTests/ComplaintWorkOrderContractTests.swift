import CoreModel
import Foundation
import Synchronization
import Testing

/// What complaints' work orders and `查询` need from any store.
struct ComplaintWorkOrderContractTests {
    let now = Fixture.now

    static func complaint(_ no: String, status: ComplaintStatus = .open) -> Complaint {
        Complaint(
            complaintNo: no, memberNo: "M1", orderNo: nil, channel: "phone", department: "配送部", status: status,
            description: "送错地址", resolution: nil, openedAt: Fixture.now, resolvedAt: nil, satisfaction: nil)
    }

    /// New complaints come by row cursor; the first commit that notifies a
    /// department stamps the complaint, a later one leaves the stamp as it was.
    @Test(arguments: StoreKind.allCases)
    func complaintsAreFollowedByIdAndKeepTheFirstNotice(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(.complaints([Self.complaint("C1"), Self.complaint("C2", status: .inProgress)]))
            let page = try await store.complaintsOpened(after: .start, limit: 10)
            #expect(page.map(\.complaintNo) == ["C1", "C2"])
            #expect(page.map(\.department) == ["配送部", "配送部"] && page[1].status == .inProgress)
            #expect(page.allSatisfy { $0.departmentNotifiedAt == nil && $0.member.memberNo == "M1" && $0.branchName == "天河店" })
            let first = try #require(page.first)
            _ = try await store.commit(
                AutomationBatch(messages: [Fixture.message("complaint:C1:department")], notifiedComplaints: [first.id]), now: now)
            _ = try await store.commit(AutomationBatch(notifiedComplaints: [first.id]), now: now + 60)
            let again = try await store.complaintsOpened(after: .start, limit: 10)
            #expect(again.map(\.departmentNotifiedAt) == [now, nil])
            let past = try await store.complaintsOpened(after: RowCursor(position: first.id), limit: 10)
            #expect(past.map(\.complaintNo) == ["C2"])
        }
    }

    /// The store looks up the complaint the rules say is asked about, with
    /// its member's phone, and puts the rules' reply in the outbox.
    @Test(arguments: StoreKind.allCases)
    func anAskedComplaintIsLookedUpAndTheReplyQueued(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(.complaints([Self.complaint("C1", status: .inProgress)]))
            let rules = AskingRules()
            let asked = InboundRecord(
                channel: .sms, kind: .reply, from: "+8613900000009", to: nil, body: "C1", gateway: "sim", providerMessageId: "mo-1",
                receivedAt: now)
            let unknown = InboundRecord(
                channel: .sms, kind: .reply, from: "+8613900000009", to: nil, body: "C9", gateway: "sim", providerMessageId: "mo-2",
                receivedAt: now)
            _ = try await store.recordInbound([asked, unknown], rules: rules)
            #expect(rules.seen.map { $0?.status } == [.inProgress, nil])
            #expect(rules.seen.first??.memberPhone == "+8613812345678")
            let replies = try await store.messageStates(idempotencyKeys: ["reply:mo-1", "reply:mo-2"])
            #expect(replies["reply:mo-1"]?.status == .queued && replies["reply:mo-2"]?.status == .queued)
        }
    }
}

/// Asks about the complaint the body names and answers every inbound.
final class AskingRules: FeedbackRules {
    private let asked = Mutex<[AskedComplaint?]>([])

    var seen: [AskedComplaint?] { asked.withLock { $0 } }

    func complaintAsked(in inbound: InboundRecord) -> String? { inbound.body }

    var surveyWindow: TimeInterval { 72 * 3600 }

    func decide(_ inbound: InboundRecord, facts: InboundFacts) -> InboundDecision {
        asked.withLock { $0.append(facts.complaint) }
        let reply = NewMessage(
            idempotencyKey: "reply:\(inbound.providerMessageId ?? "")", purpose: .single, channel: .sms, lane: .transactional,
            category: .service, address: inbound.from, payload: #"{"text":"您好"}"#)
        return InboundDecision(kind: inbound.kind, actions: [.reply(reply)])
    }

    func decide(_ receipt: ReceiptRecord, facts: ReceiptFacts) -> [FeedbackAction] { [] }
}
