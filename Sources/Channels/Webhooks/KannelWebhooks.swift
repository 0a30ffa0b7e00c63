import CoreModel
import Foundation

/// Kannel's callbacks: the dlr-url of each MT and the sms-service get-url for MO.
public enum KannelWebhooks {
    /// `?id=…&token=…&type=%d&reply=%A`
    public static func receipt(query: [String: String], gateway: String, signer: WebhookSigner, now: Date = Date()) throws(WebhookRejection) -> Receipt {
        guard let idText = query["id"], let id = Int64(idText), id > 0 else { throw WebhookRejection(.malformed, "missing or bad id") }
        guard let token = query["token"] else { throw WebhookRejection(.unauthenticated, "missing token") }
        guard signer.verify(token, gateway: gateway, messageId: id) else { throw WebhookRejection(.forbidden, "token does not match message \(id)") }
        guard let typeText = query["type"], let type = Int(typeText) else { throw WebhookRejection(.malformed, "missing or bad type") }
        let reply = query["reply"].flatMap { $0.isEmpty ? nil : $0 }
        let outcome: ReceiptOutcome
        switch type {
        case 1: outcome = .delivered
        case 2, 16: outcome = .failed
        case 4, 8: outcome = .intermediate
        default: throw WebhookRejection(.malformed, "unknown DLR type \(type)")
        }
        let names = [1: "delivered", 2: "undeliverable", 4: "buffered", 8: "smsc ack", 16: "smsc reject"]
        let detail = [names[type], reply].compactMap { $0 }.joined(separator: ": ")
        let invalid = outcome == .failed && (reply.map { text in
            ["unknown subscriber", "invalid destination", "absent subscriber permanently", "number does not exist"].contains { text.lowercased().contains($0) }
        } ?? false)
        return Receipt(messageId: id, gateway: gateway, outcome: outcome, detail: detail, addressInvalid: invalid, receivedAt: now)
    }

    /// `?token=…&from=%p&to=%P&text=%b` (smsbox with mo-recode: UTF-8 text).
    public static func inbound(query: [String: String], gateway: String, signer: WebhookSigner, now: Date = Date()) throws(WebhookRejection) -> InboundMessage {
        try signer.authenticateInbound(query, gateway: gateway)
        guard let from = query["from"], !from.isEmpty else { throw WebhookRejection(.malformed, "missing from") }
        guard let text = query["text"] else { throw WebhookRejection(.malformed, "missing text") }
        guard text.utf8.count <= 2000 else { throw WebhookRejection(.tooLarge, "text longer than 2000 bytes") }
        let normalized = PhoneNumberNormalizer(defaultRegion: "CN").normalize(from)
        let sender = (try? normalized.get().e164) ?? from
        return InboundMessage(
            channel: .sms, kind: .reply, from: sender, to: query["to"], body: text,
            gateway: gateway, receivedAt: now)
    }
}
