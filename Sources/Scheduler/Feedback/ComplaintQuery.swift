import CoreModel
import Foundation

/// `查询 C123` by SMS: which complaint is asked about, and the answer. The
/// stage and department are told only to the phone of the complaint's
/// member; anyone else gets the same "not found" as for a number that does
/// not exist, so a guessed number reveals nothing.
struct ComplaintQuery: Sendable {
    let settings: ComplaintQuerySettings
    /// Put in front of every answer (【鸿福楼】).
    let signature: String

    /// The complaint number after the keyword (`查询 C123`, `查询：c123`, full-width too), upper-cased.
    func asked(in inbound: InboundRecord) -> String? {
        guard inbound.channel == .sms, let keyword = settings.keyword else { return nil }
        let text = OptOutMatcher.normalized(inbound.body)
        let word = OptOutMatcher.normalized(keyword)
        guard !word.isEmpty, text.hasPrefix(word) else { return nil }
        let number = text.dropFirst(word.count).drop { $0.isWhitespace || $0.isPunctuation }
        guard (1...32).contains(number.count), number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            return nil
        }
        return String(number)
    }

    /// The SMS answering `inbound` (which asked about `number`): one per inbound message, by its key.
    func answer(_ inbound: InboundRecord, number: String, complaint: AskedComplaint?, sender: InboundFacts.Sender?) -> NewMessage {
        let text: String
        if let complaint, let phone = complaint.memberPhone, !inbound.from.isEmpty, phone == inbound.from {
            text = "您的投诉\(complaint.complaintNo)当前进度：\(Self.stage(complaint))，处理部门：\(complaint.department)。"
        } else {
            text = "未查到投诉\(number)，请核对投诉编号，或用登记的手机号发送查询。"
        }
        let reference = inbound.providerMessageId ?? String(inbound.receivedAt.unixMillis)
        return NewMessage(
            idempotencyKey: "complaint-query:\(inbound.gateway):\(reference)", purpose: Self.purpose, channel: .sms,
            lane: .transactional, category: .service, memberNo: sender?.memberNo, address: inbound.from,
            payload: MessageContent(text: signature + text).json(), maxAttempts: 5)
    }

    /// The answer's `messages.purpose`.
    static let purpose = MessagePurpose.automation("complaint_query")

    /// The stage as the customer reads it.
    static func stage(_ complaint: AskedComplaint) -> String {
        switch complaint.status {
        case .open: complaint.departmentNotifiedAt == nil ? "已受理" : "已派单，待处理"
        case .inProgress: "处理中"
        case .resolved: "已解决"
        case .closed: "已结案"
        }
    }
}
