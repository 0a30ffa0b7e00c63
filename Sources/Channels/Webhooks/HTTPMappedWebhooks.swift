import CoreModel
import Foundation

/// Receipts of `http` gateways, shaped as their mapping says: one JSON object,
/// a JSON array of them, or a form body. Providers of this kind cannot sign,
/// so the URL we hand them ({{callback}}) carries the gateway's token.
public enum HTTPMappedWebhooks {
    public static func receipts(
        query: [String: String], body: [UInt8], gateway: String, mapping: HTTPMappedGateway.ReceiptMapping, signer: WebhookSigner, now: Date = Date()
    ) throws(WebhookRejection) -> [Receipt] {
        try signer.authenticateInbound(query, gateway: gateway)
        let records: [Any]
        let first = body.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            guard let json = try? JSONSerialization.jsonObject(with: Data(body)) else { throw WebhookRejection(.malformed, "body is not valid JSON") }
            records = (json as? [Any]) ?? [json]
        } else {
            let form = FormEncoding.decode(String(decoding: body, as: UTF8.self)[...])
            records = form.isEmpty ? [] : [form as [String: Any]]
        }
        guard !records.isEmpty else { throw WebhookRejection(.malformed, "no receipt in the body") }
        return try records.enumerated().map { (index, record) throws(WebhookRejection) -> Receipt in
            let ours = mapping.refField.flatMap { JSONPath.string($0, in: record) }
            let theirs = mapping.idField.flatMap { JSONPath.string($0, in: record) }
            guard ours != nil || theirs != nil else {
                throw WebhookRejection(.malformed, "receipt \(index): no \([mapping.refField, mapping.idField].compactMap { $0 }.joined(separator: " or "))")
            }
            let messageId: Int64?
            if let ours {
                guard let id = Int64(ours) else { throw WebhookRejection(.malformed, "receipt \(index): \(mapping.refField ?? "") is not one of our message ids") }
                messageId = id
            } else {
                messageId = nil
            }
            guard let status = JSONPath.string(mapping.statusField, in: record) else {
                throw WebhookRejection(.malformed, "receipt \(index): no \(mapping.statusField)")
            }
            let outcome: ReceiptOutcome
            if mapping.delivered.contains(status) {
                outcome = .delivered
            } else if mapping.failed.contains(status) || mapping.invalid.contains(status) {
                outcome = .failed
            } else {
                outcome = .intermediate
            }
            let detail = mapping.detailField.flatMap { JSONPath.string($0, in: record) }.map { "\(status): \($0)" } ?? status
            return Receipt(
                messageId: messageId, gateway: gateway, providerMessageId: theirs, outcome: outcome, detail: detail,
                addressInvalid: mapping.invalid.contains(status), receivedAt: now)
        }
    }
}
