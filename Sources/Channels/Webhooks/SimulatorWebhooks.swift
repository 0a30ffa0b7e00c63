import CoreModel
import Foundation

/// The simulator's callback: `POST …/status?id=…&token=…` with either a status
/// `{"id": provider id, "status": "delivered" | "failed"}` or the recipient's
/// answer `{"id": …, "event": "dtmf" | "reply", "text": …}`.
public enum SimulatorWebhooks {
    public enum Callback: Sendable, Equatable {
        case receipt(Receipt)
        case inbound(InboundMessage)
    }

    struct Body: Decodable {
        var id: String
        var status: String?
        var event: String?
        var text: String?
    }

    public static func callback(
        query: [String: String], body: [UInt8], gateway: String, signer: WebhookSigner, now: Date = Date()
    ) throws(WebhookRejection) -> Callback {
        guard let idText = query["id"], let id = Int64(idText), id > 0 else { throw WebhookRejection(.malformed, "missing or bad id") }
        guard let token = query["token"] else { throw WebhookRejection(.unauthenticated, "missing token") }
        guard signer.verify(token, gateway: gateway, messageId: id) else { throw WebhookRejection(.forbidden, "token does not match message \(id)") }
        guard let parsed = try? JSONDecoder().decode(Body.self, from: Data(body)) else { throw WebhookRejection(.malformed, "body is not a status JSON") }
        switch (parsed.status, parsed.event) {
        case (let status?, nil):
            let outcome: ReceiptOutcome
            switch status {
            case "delivered": outcome = .delivered
            case "failed": outcome = .failed
            case "accepted", "sent": outcome = .intermediate
            default: throw WebhookRejection(.malformed, "unknown status '\(status)'")
            }
            return .receipt(Receipt(
                messageId: id, gateway: gateway, providerMessageId: parsed.id, outcome: outcome, detail: outcome == .delivered ? nil : status, receivedAt: now))
        case (nil, let event?):
            guard let text = parsed.text, !text.isEmpty, text.count <= 1_000 else { throw WebhookRejection(.malformed, "an answer needs a text") }
            let kind: InboundMessage.Kind
            switch event {
            case "dtmf":
                guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "*" || $0 == "#") }) else { throw WebhookRejection(.malformed, "keys must be 0-9, * or #") }
                kind = .dtmf
            case "reply": kind = .reply
            default: throw WebhookRejection(.malformed, "unknown event '\(event)'")
            }
            // The sender is the message's recipient: the store fills it from the message we link to.
            return .inbound(InboundMessage(
                channel: kind == .dtmf ? .voice : .sms, kind: kind, from: "", to: nil, body: text, gateway: gateway,
                providerMessageId: "\(parsed.id):\(event)", inReplyTo: id, receivedAt: now))
        default:
            throw WebhookRejection(.malformed, "a callback carries either a status or an event")
        }
    }
}
