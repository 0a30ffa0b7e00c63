import CoreModel
import Foundation
import Synchronization

/// Records and messages the contract tests write, in domain terms only.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let branch = Branch(
        code: "B1", name: "天河店", district: "天河区", address: "天河路1号", phone: nil, fax: nil, seats: 120)

    static func member(_ no: String, phone: String = "+8613812345678", email: String? = nil) -> Member {
        Member(
            memberNo: no, name: "李女士", phone: .valid(phone), email: email.map(ContactField.valid) ?? .missing,
            branchCode: "B1")
    }

    static func order(
        _ no: String, member: String = "M1", kind: OrderKind = .delivery, status: OrderStatus = .placed,
        orderedAt: Date = now, scheduledAt: Date? = nil
    ) -> Order {
        Order(
            orderNo: no, memberNo: member, branchCode: "B1", source: .agent, kind: kind, status: status,
            orderedAt: orderedAt,
            scheduledAt: scheduledAt, partySize: kind == .reservation ? 4 : nil, amountFen: 36800)
    }

    static func message(
        _ key: String, purpose: MessagePurpose = .single, lane: Lane = .transactional,
        category: ConsentCategory = .service,
        priority: Int = 0, member: String? = nil, address: String = "+8613812345678", notBefore: Date? = nil,
        orderNo: String? = nil, channel: Channel = .sms
    ) -> NewMessage {
        NewMessage(
            idempotencyKey: key, purpose: purpose, channel: channel, lane: lane, category: category, priority: priority,
            memberNo: member, address: address, payload: #"{"text":"您好"}"#, notBefore: notBefore, orderNo: orderNo)
    }
}

/// Rules that decide what a test says, recording what they were asked: the
/// contract checks the store hands over the right facts and executes the actions.
final class ScriptedRules: FeedbackRules {
    private let inboundFacts = Mutex<[InboundFacts]>([])
    let inbound: @Sendable (InboundRecord, InboundFacts) -> InboundDecision
    let receipt: @Sendable (ReceiptRecord, ReceiptFacts) -> [FeedbackAction]

    init(
        inbound: @escaping @Sendable (InboundRecord, InboundFacts) -> InboundDecision = { message, _ in
            InboundDecision(kind: message.kind)
        },
        receipt: @escaping @Sendable (ReceiptRecord, ReceiptFacts) -> [FeedbackAction] = { _, _ in [] }
    ) {
        self.inbound = inbound
        self.receipt = receipt
    }

    var seen: [InboundFacts] { inboundFacts.withLock { $0 } }

    /// Three days, as the survey tests assume.
    var surveyWindow: TimeInterval { 72 * 3600 }

    func decide(_ message: InboundRecord, facts: InboundFacts) -> InboundDecision {
        inboundFacts.withLock { $0.append(facts) }
        return inbound(message, facts)
    }

    func decide(_ receipt: ReceiptRecord, facts: ReceiptFacts) -> [FeedbackAction] {
        self.receipt(receipt, facts)
    }
}

extension EnqueueResult {
    var id: Int64 {
        switch self {
        case .enqueued(let id), .duplicate(let id): id
        }
    }
}
