import CoreModel
import Foundation

/// The simulator's status callback: `POST …/status?id=…&token=…` with
/// `{"id": provider id, "status": "delivered" | "failed"}`.
public enum SimulatorWebhooks {
    struct Body: Decodable {
        var id: String
        var status: String
    }

    public static func receipt(query: [String: String], body: [UInt8], gateway: String, signer: WebhookSigner, now: Date = Date()) throws(WebhookRejection) -> Receipt {
        guard let idText = query["id"], let id = Int64(idText), id > 0 else { throw WebhookRejection(.malformed, "missing or bad id") }
        guard let token = query["token"] else { throw WebhookRejection(.unauthenticated, "missing token") }
        guard signer.verify(token, gateway: gateway, messageId: id) else { throw WebhookRejection(.forbidden, "token does not match message \(id)") }
        guard let parsed = try? JSONDecoder().decode(Body.self, from: Data(body)) else { throw WebhookRejection(.malformed, "body is not a status JSON") }
        let outcome: ReceiptOutcome
        switch parsed.status {
        case "delivered": outcome = .delivered
        case "failed": outcome = .failed
        case "accepted", "sent": outcome = .intermediate
        default: throw WebhookRejection(.malformed, "unknown status '\(parsed.status)'")
        }
        return Receipt(messageId: id, gateway: gateway, providerMessageId: parsed.id, outcome: outcome, detail: outcome == .delivered ? nil : parsed.status, receivedAt: now)
    }
}
