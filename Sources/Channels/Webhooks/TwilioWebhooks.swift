import CoreModel
import Foundation

/// Twilio's status callbacks (messages and calls) and `<Gather>` answers.
/// Each must carry a valid X-Twilio-Signature over the URL Twilio called
/// (our public URL) and the POST parameters.
public enum TwilioWebhooks {
    public static func verify(signature: String?, authToken: String, url: String, form: [(String, String)]) throws(WebhookRejection) {
        guard let signature, !signature.isEmpty else { throw WebhookRejection(.unauthenticated, "missing X-Twilio-Signature") }
        guard TwilioSignature.isValid(signature: signature, authToken: authToken, url: url, parameters: form) else {
            throw WebhookRejection(.forbidden, "X-Twilio-Signature does not match")
        }
    }

    public static func receipt(query: [String: String], form: [String: String], gateway: String, now: Date = Date()) throws(WebhookRejection) -> Receipt {
        guard let idText = query["id"], let id = Int64(idText) else { throw WebhookRejection(.malformed, "missing or bad id") }
        guard let status = form["MessageStatus"] ?? form["CallStatus"] else { throw WebhookRejection(.malformed, "no MessageStatus or CallStatus") }
        let outcome: ReceiptOutcome
        switch status {
        case "delivered", "completed", "read": outcome = .delivered
        case "undelivered", "failed", "busy", "no-answer", "canceled": outcome = .failed
        case "queued", "accepted", "sending", "sent", "initiated", "ringing", "in-progress", "scheduled": outcome = .intermediate
        default: throw WebhookRejection(.malformed, "unknown status '\(status)'")
        }
        let errorCode = form["ErrorCode"]
        let detail = [status, errorCode.map { "error \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return Receipt(
            messageId: id, gateway: gateway, providerMessageId: form["MessageSid"] ?? form["CallSid"], outcome: outcome, detail: detail,
            addressInvalid: ["30003", "30005", "30006", "21211", "21614"].contains(errorCode ?? ""), receivedAt: now)
    }

    public static func gather(query: [String: String], form: [String: String], gateway: String, now: Date = Date()) throws(WebhookRejection) -> InboundMessage {
        guard let idText = query["id"], let id = Int64(idText) else { throw WebhookRejection(.malformed, "missing or bad id") }
        guard let digits = form["Digits"], !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "*" || $0 == "#" }) else {
            throw WebhookRejection(.malformed, "no Digits")
        }
        let callee = form["To"] ?? form["Called"] ?? ""
        return InboundMessage(
            channel: .voice, kind: .dtmf, from: callee, to: form["From"], body: digits, gateway: gateway,
            providerMessageId: form["CallSid"].map { "\($0):gather" }, inReplyTo: id, receivedAt: now)
    }
}
