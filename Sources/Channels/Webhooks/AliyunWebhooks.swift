import CoreModel
import Foundation

/// Aliyun's HTTP push callbacks (SmsReport, SmsUp): JSON arrays, unsigned,
/// so the URL we register carries a per-gateway token.
public enum AliyunWebhooks {
    struct Report: Decodable {
        var success: Bool
        var err_code: String?
        var err_msg: String?
        var biz_id: String?
        var out_id: String?
        var phone_number: String?
    }

    struct Up: Decodable {
        var phone_number: String
        var content: String
        var dest_code: String?
        var sequence_id: Int64?
    }

    /// A report is matched on OutId (our id) or BizId; a SendBatchSms report
    /// (OutId "batch-…", one BizId for the batch) on BizId and the number.
    public static func receipts(query: [String: String], body: [UInt8], gateway: String, signer: WebhookSigner, now: Date = Date()) throws(WebhookRejection) -> [Receipt] {
        try signer.authenticateInbound(query, gateway: gateway)
        guard let reports = try? JSONDecoder().decode([Report].self, from: Data(body)) else { throw WebhookRejection(.malformed, "body is not an SmsReport array") }
        return reports.map { report in
            let words = (report.err_code ?? "") + " " + (report.err_msg ?? "")
            let invalid = ["MOBILE_NOT_ON_SERVICE", "MOBILE_NUMBER_ILLEGAL", "USER_NOT_EXIST", "IS_CLOSE"].contains { words.contains($0) }
            let batched = report.out_id?.hasPrefix(AliyunSMSGateway.batchOutIdPrefix) == true
            let providerId = batched ? report.biz_id.map { AliyunSMSGateway.batchProviderId(bizId: $0, phone: report.phone_number ?? "") } : report.biz_id
            return Receipt(
                messageId: batched ? nil : report.out_id.flatMap { Int64($0) }, gateway: gateway, providerMessageId: providerId,
                outcome: report.success ? .delivered : .failed, detail: [report.err_code, report.err_msg].compactMap { $0 }.joined(separator: " "),
                addressInvalid: !report.success && invalid, receivedAt: now)
        }
    }

    public static func inbound(query: [String: String], body: [UInt8], gateway: String, signer: WebhookSigner, now: Date = Date()) throws(WebhookRejection) -> [InboundMessage] {
        try signer.authenticateInbound(query, gateway: gateway)
        guard let ups = try? JSONDecoder().decode([Up].self, from: Data(body)) else { throw WebhookRejection(.malformed, "body is not an SmsUp array") }
        return ups.map { up in
            let from = (try? PhoneNumberNormalizer().normalize(up.phone_number).get().e164) ?? up.phone_number
            return InboundMessage(
                channel: .sms, kind: .reply, from: from, to: up.dest_code, body: up.content,
                gateway: gateway, providerMessageId: up.sequence_id.map { "up:\($0)" }, receivedAt: now)
        }
    }
}
