import CoreModel
import Foundation

/// SMS through Kannel's smsbox `sendsms` interface.
///
/// Chinese text goes as UCS-2 (`coding=2`, UTF-8 in, Kannel converts), long
/// texts concatenated (`max-messages` = our segment count). Kannel cannot sign
/// callbacks, so every `dlr-url` carries our message id and an HMAC token.
public struct KannelGateway: Gateway {
    public struct Settings: Sendable {
        public var name: String
        /// e.g. http://127.0.0.1:13013/cgi-bin/sendsms
        public var sendsmsURL: String
        public var username: String
        public var password: String
        public var from: String?
        /// Our DLR webhook, e.g. http://127.0.0.1:8080/webhooks/kannel/NAME/dlr
        public var dlrURL: String
        /// Route to one SMSC (`smsc=`), if set.
        public var smsc: String?
        /// POST with X-Kannel headers instead of GET.
        public var usePOST: Bool
        public var timeoutMs: Int

        public init(
            name: String, sendsmsURL: String, username: String, password: String, from: String?, dlrURL: String,
            smsc: String? = nil, usePOST: Bool = false, timeoutMs: Int = 10_000
        ) {
            self.name = name
            self.sendsmsURL = sendsmsURL
            self.username = username
            self.password = password
            self.from = from
            self.dlrURL = dlrURL
            self.smsc = smsc
            self.usePOST = usePOST
            self.timeoutMs = timeoutMs
        }
    }

    /// delivered + failed + buffered + SMSC ack + SMSC reject.
    static let dlrMask = 31

    public let settings: Settings
    public let transport: CurlTransport
    public let signer: WebhookSigner
    public var name: String { settings.name }
    public let channels: Set<Channel> = [.sms]

    public init(settings: Settings, transport: CurlTransport, signer: WebhookSigner) {
        self.settings = settings
        self.transport = transport
        self.signer = signer
    }

    /// The dlr-url for one message: our id and token, Kannel fills %d (type) and %A (SMSC reply).
    func dlrURL(for messageId: Int64) -> String {
        let separator = settings.dlrURL.contains("?") ? "&" : "?"
        return "\(settings.dlrURL)\(separator)id=\(messageId)&token=\(signer.token(gateway: name, messageId: messageId))&type=%d&reply=%A"
    }

    public func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        guard let text = message.content.text, !text.isEmpty else { throw .permanent(reason: "SMS without text") }
        let count = SMSSegmenter.count(text)
        let request = settings.usePOST ? postRequest(message, text: text, count: count) : getRequest(message, text: text, count: count)
        let response: OutboundResponse
        do { response = try await transport.send(request) } catch { throw GatewayError.from(error) }
        let body = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch response.status {
        case 200...299:
            return Submission(providerMessageId: nil, segments: count.segments)
        case 401, 403:
            throw .auth(reason: "Kannel refused the credentials: \(body)")
        case 400:
            if body.localizedCaseInsensitiveContains("receiver") { throw .invalidAddress(reason: body) }
            throw .permanent(reason: "Kannel: \(body)")
        case 429:
            throw .throttled(reason: body, retryAfter: GatewayError.retryAfter(response))
        default:
            throw .transient(reason: "Kannel HTTP \(response.status): \(body)", retryAfter: GatewayError.retryAfter(response))
        }
    }

    private func parameters(_ message: OutboundMessage, text: String, count: SMSSegmenter.Count) -> [(String, String)] {
        var pairs: [(String, String)] = [
            ("username", settings.username), ("password", settings.password), ("to", message.to), ("text", text),
            ("dlr-mask", String(Self.dlrMask)), ("dlr-url", dlrURL(for: message.id)), ("max-messages", String(max(count.segments, 1))),
        ]
        if count.encoding == .ucs2 { pairs += [("coding", "2"), ("charset", "UTF-8")] }
        if let from = settings.from { pairs.append(("from", from)) }
        if let smsc = settings.smsc { pairs.append(("smsc", smsc)) }
        return pairs
    }

    private func getRequest(_ message: OutboundMessage, text: String, count: SMSSegmenter.Count) -> OutboundRequest {
        let query = FormEncoding.encode(parameters(message, text: text, count: count))
        return OutboundRequest(method: .get, url: "\(settings.sendsmsURL)?\(query)", timeoutMs: settings.timeoutMs)
    }

    /// Kannel's POST wants the text as the body and everything else in X-Kannel headers.
    private func postRequest(_ message: OutboundMessage, text: String, count: SMSSegmenter.Count) -> OutboundRequest {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("X-Kannel-Username", settings.username), ("X-Kannel-Password", settings.password), ("X-Kannel-To", message.to),
            ("X-Kannel-DLR-Mask", String(Self.dlrMask)), ("X-Kannel-DLR-Url", dlrURL(for: message.id)),
        ]
        if count.encoding == .ucs2 { headers.append(("X-Kannel-Coding", "2")) }
        if let from = settings.from { headers.append(("X-Kannel-From", from)) }
        if let smsc = settings.smsc { headers.append(("X-Kannel-SMSC", smsc)) }
        return OutboundRequest(method: .post, url: settings.sendsmsURL, headers: headers, body: Array(text.utf8), timeoutMs: settings.timeoutMs)
    }
}
