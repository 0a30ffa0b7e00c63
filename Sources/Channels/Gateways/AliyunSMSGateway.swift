import CoreModel
import Foundation

/// Alibaba Cloud SMS (Dysmsapi SendSms) with the RPC signature. China's SMS
/// rules make the provider hold the text: we send SignName, TemplateCode and
/// TemplateParam, and OutId = our message id, which the delivery report
/// (SmsReport) echoes back — so a resend after a crash carries the same OutId.
public struct AliyunSMSGateway: Gateway {
    public struct Settings: Sendable {
        public var name: String
        /// e.g. https://dysmsapi.aliyuncs.com/ (a loopback stand-in in tests)
        public var endpoint: String
        public var accessKeyId: String
        public var accessKeySecret: String
        public var signName: String
        /// Used when a message has no providerTemplate of its own.
        public var defaultTemplate: String?
        public var regionId: String
        public var timeoutMs: Int

        public init(
            name: String, endpoint: String, accessKeyId: String, accessKeySecret: String, signName: String, defaultTemplate: String? = nil,
            regionId: String = "cn-hangzhou", timeoutMs: Int = 10_000
        ) {
            self.name = name
            self.endpoint = endpoint
            self.accessKeyId = accessKeyId
            self.accessKeySecret = accessKeySecret
            self.signName = signName
            self.defaultTemplate = defaultTemplate
            self.regionId = regionId
            self.timeoutMs = timeoutMs
        }
    }

    public let settings: Settings
    public let transport: CurlTransport
    public var name: String { settings.name }
    public let channels: Set<Channel> = [.sms]
    let nonce: @Sendable () -> String
    let clock: @Sendable () -> Date

    public init(settings: Settings, transport: CurlTransport, nonce: @escaping @Sendable () -> String = { UUID().uuidString }, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.transport = transport
        self.nonce = nonce
        self.clock = clock
    }

    /// The signed SendSms parameters for one message.
    func parameters(_ message: OutboundMessage) throws(GatewayError) -> [String: String] {
        guard let template = message.content.providerTemplate ?? settings.defaultTemplate else {
            throw .permanent(reason: "Aliyun SMS needs a TemplateCode (message providerTemplate or options.template)")
        }
        var templateParameters = message.content.templateParameters ?? [:]
        if templateParameters.isEmpty, let text = message.content.text { templateParameters["content"] = text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let templateJSON = (try? encoder.encode(templateParameters)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let phone = message.to.hasPrefix("+86") ? String(message.to.dropFirst(3)) : message.to.replacingOccurrences(of: "+", with: "00")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var parameters = [
            "AccessKeyId": settings.accessKeyId, "Action": "SendSms", "Format": "JSON", "RegionId": settings.regionId,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce(), "SignatureVersion": "1.0", "Timestamp": formatter.string(from: clock()),
            "Version": "2017-05-25", "PhoneNumbers": phone, "SignName": settings.signName, "TemplateCode": template,
            "TemplateParam": templateJSON, "OutId": String(message.id),
        ]
        parameters["Signature"] = AliyunSignature.sign(parameters, accessKeySecret: settings.accessKeySecret)
        return parameters
    }

    struct Answer: Decodable {
        var Code: String
        var Message: String?
        var BizId: String?
    }

    public func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        let signed = try parameters(message)
        let url = settings.endpoint + (settings.endpoint.contains("?") ? "&" : "?")
            + signed.sorted { $0.key < $1.key }.map { "\(AliyunSignature.percentEncode($0.key))=\(AliyunSignature.percentEncode($0.value))" }.joined(separator: "&")
        let response: OutboundResponse
        do { response = try await transport.send(OutboundRequest(method: .get, url: url, timeoutMs: settings.timeoutMs)) } catch {
            throw GatewayError.from(error)
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)) else {
            if response.status >= 500 { throw .transient(reason: "Aliyun HTTP \(response.status)", retryAfter: nil) }
            throw .permanent(reason: "Aliyun HTTP \(response.status): \(response.text.prefix(200))")
        }
        let reason = "\(answer.Code): \(answer.Message ?? "")"
        switch answer.Code {
        case "OK":
            let segments = SMSSegmenter.count(message.content.text ?? "").segments
            return Submission(providerMessageId: answer.BizId, segments: max(segments, 1))
        case "isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT": throw .invalidAddress(reason: reason)
        case "isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "isv.DAY_LIMIT_CONTROL": throw .throttled(reason: reason, retryAfter: nil)
        case "InvalidAccessKeyId.NotFound", "SignatureDoesNotMatch", "isv.ACCOUNT_NOT_EXISTS", "isv.ACCOUNT_ABNORMAL":
            throw .auth(reason: reason)
        case let code where code.hasPrefix("isp.") || code == "ServiceUnavailable": throw .transient(reason: reason, retryAfter: nil)
        default: throw .permanent(reason: reason)
        }
    }
}
