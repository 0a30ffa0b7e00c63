import CoreModel
import Foundation

/// Alibaba Cloud SMS (Dysmsapi SendSms) with the RPC signature. China's SMS
/// rules make the provider hold the text: we send SignName, TemplateCode and
/// TemplateParam, and OutId = our message id, which the delivery report
/// (SmsReport) echoes back — so a resend after a crash carries the same OutId.
/// With `batchSize` > 1, messages sharing a TemplateCode go out together
/// through SendBatchSms (≤ 100 numbers, one BizId and one OutId per call);
/// each message's provider id is then "BizId:number", which is how the
/// batch's SmsReport items are matched back.
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
        /// Numbers per SendBatchSms call (1: SendSms per message; at most 100).
        public var batchSize: Int

        /// SendBatchSms's limit.
        public static let maxBatch = 100

        public init(
            name: String, endpoint: String, accessKeyId: String, accessKeySecret: String, signName: String, defaultTemplate: String? = nil,
            regionId: String = "cn-hangzhou", timeoutMs: Int = 10_000, batchSize: Int = 1
        ) {
            self.batchSize = min(max(batchSize, 1), Self.maxBatch)
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
        signed(action: "SendSms", [
            "PhoneNumbers": Self.phone(message.to), "SignName": settings.signName, "TemplateCode": try template(message),
            "TemplateParam": Self.json(templateParameters(message)), "OutId": String(message.id),
        ])
    }

    /// The signed SendBatchSms parameters for messages sharing one template.
    func batchParameters(_ messages: [OutboundMessage], template: String) -> [String: String] {
        signed(action: "SendBatchSms", [
            "PhoneNumberJson": Self.json(messages.map { Self.phone($0.to) }),
            "SignNameJson": Self.json(Array(repeating: settings.signName, count: messages.count)),
            "TemplateCode": template, "TemplateParamJson": Self.json(messages.map(templateParameters)),
            "OutId": Self.batchOutIdPrefix + String(messages[0].id),
        ])
    }

    /// OutId of a SendBatchSms call; its reports are matched on BizId and number.
    public static let batchOutIdPrefix = "batch-"

    /// The provider id of one message of a batch: the batch's BizId and the number as sent.
    public static func batchProviderId(bizId: String, phone: String) -> String { "\(bizId):\(phone)" }

    private func template(_ message: OutboundMessage) throws(GatewayError) -> String {
        guard let template = message.content.providerTemplate ?? settings.defaultTemplate else {
            throw .permanent(reason: "Aliyun SMS needs a TemplateCode (message providerTemplate or options.template)")
        }
        return template
    }

    private func templateParameters(_ message: OutboundMessage) -> [String: String] {
        var parameters = message.content.templateParameters ?? [:]
        if parameters.isEmpty, let text = message.content.text { parameters["content"] = text }
        return parameters
    }

    /// Mainland numbers without +86, others with 00 for +: what Dysmsapi expects (and echoes in reports).
    static func phone(_ e164: String) -> String {
        e164.hasPrefix("+86") ? String(e164.dropFirst(3)) : e164.replacingOccurrences(of: "+", with: "00")
    }

    private static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    private func signed(action: String, _ specific: [String: String]) -> [String: String] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var parameters = [
            "AccessKeyId": settings.accessKeyId, "Action": action, "Format": "JSON", "RegionId": settings.regionId,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce(), "SignatureVersion": "1.0", "Timestamp": formatter.string(from: clock()),
            "Version": "2017-05-25",
        ]
        parameters.merge(specific) { _, new in new }
        parameters["Signature"] = AliyunSignature.sign(parameters, accessKeySecret: settings.accessKeySecret)
        return parameters
    }

    struct Answer: Decodable {
        var Code: String
        var Message: String?
        var BizId: String?
    }

    public func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        let bizId = try await call(try parameters(message))
        return Submission(providerMessageId: bizId, segments: Self.segments(message))
    }

    /// Groups by template into SendBatchSms calls of up to `batchSize`, each call's
    /// outcome reported for its messages as it comes; a batch refused for a bad
    /// number is resent one by one, so only that number fails.
    public func send(
        batch messages: [OutboundMessage], each: @escaping @Sendable (Int, Result<Submission, GatewayError>) -> Void
    ) async {
        guard settings.batchSize > 1 else { return await sendOneByOne(messages, each: each) }
        var byTemplate: [String: [Int]] = [:]
        var templates: [String] = []
        for (index, message) in messages.enumerated() {
            do throws(GatewayError) {
                let code = try template(message)
                if byTemplate[code] == nil { templates.append(code) }
                byTemplate[code, default: []].append(index)
            } catch { each(index, .failure(error)) }
        }
        let chunks = templates.flatMap { code in
            stride(from: 0, to: byTemplate[code]!.count, by: settings.batchSize).map { start in
                (code, Array(byTemplate[code]![start..<min(start + settings.batchSize, byTemplate[code]!.count)]))
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for (code, indices) in chunks {
                group.addTask {
                    await sendChunk(indices.map { messages[$0] }, template: code) { position, result in
                        each(indices[position], result)
                    }
                }
            }
        }
    }

    private func sendChunk(
        _ messages: [OutboundMessage], template: String,
        each: @escaping @Sendable (Int, Result<Submission, GatewayError>) -> Void
    ) async {
        guard messages.count > 1 else { return await sendOneByOne(messages, each: each) }
        do throws(GatewayError) {
            let bizId = try await call(batchParameters(messages, template: template))
            for (position, message) in messages.enumerated() {
                let id = Self.batchProviderId(bizId: bizId, phone: Self.phone(message.to))
                each(position, .success(Submission(providerMessageId: id, segments: Self.segments(message))))
            }
        } catch .invalidAddress {
            await sendOneByOne(messages, each: each)
        } catch {
            for position in messages.indices { each(position, .failure(error)) }
        }
    }

    /// A success without a BizId may still have been taken: no other gateway may send it.
    private func unidentified(_ status: Int) -> GatewayError {
        .unanswered(reason: "\(name) answered \(status) without BizId: it may have taken the message")
    }

    private static func segments(_ message: OutboundMessage) -> Int {
        max(SMSSegmenter.count(message.content.text ?? "").segments, 1)
    }

    /// One signed GET; returns the BizId of an accepted call, or the classified refusal.
    private func call(_ signed: [String: String]) async throws(GatewayError) -> String {
        let url = settings.endpoint + (settings.endpoint.contains("?") ? "&" : "?")
            + signed.sorted { $0.key < $1.key }.map { "\(AliyunSignature.percentEncode($0.key))=\(AliyunSignature.percentEncode($0.value))" }.joined(separator: "&")
        let response: OutboundResponse
        do { response = try await transport.send(OutboundRequest(method: .get, url: url, timeoutMs: settings.timeoutMs)) } catch {
            throw GatewayError.from(error)
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)) else {
            if (200...299).contains(response.status) { throw unidentified(response.status) }
            if response.status >= 500 { throw .transient(reason: "Aliyun HTTP \(response.status)", retryAfter: nil) }
            throw .permanent(reason: "Aliyun HTTP \(response.status): \(response.text.prefix(200))")
        }
        let reason = "\(answer.Code): \(answer.Message ?? "")"
        switch answer.Code {
        case "OK":
            guard let bizId = answer.BizId, !bizId.isEmpty else { throw unidentified(response.status) }
            return bizId
        case "isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT": throw .invalidAddress(reason: reason)
        case "isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "isv.DAY_LIMIT_CONTROL": throw .throttled(reason: reason, retryAfter: nil)
        case "InvalidAccessKeyId.NotFound", "SignatureDoesNotMatch", "isv.ACCOUNT_NOT_EXISTS", "isv.ACCOUNT_ABNORMAL":
            throw .auth(reason: reason)
        case let code where code.hasPrefix("isp.") || code == "ServiceUnavailable": throw .transient(reason: reason, retryAfter: nil)
        default: throw .permanent(reason: reason)
        }
    }
}
