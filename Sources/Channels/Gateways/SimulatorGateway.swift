import CoreModel
import Foundation

/// Sends to the built-in provider simulator over HTTP/JSON, with the message's
/// idempotency key, so a resend after a crash is recognised by the provider.
public struct SimulatorGateway: HTTPRequestGateway {
    public let name: String
    public let channels: Set<Channel>
    /// e.g. http://127.0.0.1:8787
    public let baseURL: String
    /// Our status webhook, e.g. http://127.0.0.1:8080/webhooks/simulator/NAME/status
    public let callbackURL: String?
    public let transport: CurlTransport
    public let signer: WebhookSigner
    public let timeoutMs: Int

    public init(
        name: String, channels: Set<Channel>, baseURL: String, callbackURL: String?, transport: CurlTransport, signer: WebhookSigner, timeoutMs: Int = 5000
    ) {
        self.name = name
        self.channels = channels
        self.baseURL = baseURL
        self.callbackURL = callbackURL
        self.transport = transport
        self.signer = signer
        self.timeoutMs = timeoutMs
    }

    struct Answer: Decodable { var id: String }

    private static let decoder = JSONDecoder()
    private static let answerPrefix = Array(#"{"id":""#.utf8)

    /// The simulator answers exactly `{"id":"sim-N"}`: that shape is read
    /// directly (a JSONDecoder per answer was ~2 µs of a ~48 µs send), and
    /// anything else goes through JSONDecoder.
    static func answerId(_ body: [UInt8]) -> String? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        if body.count > answerPrefix.count + 2, body.starts(with: answerPrefix), body[body.count - 2] == quote, body[body.count - 1] == UInt8(ascii: "}") {
            let id = body[answerPrefix.count..<(body.count - 2)]
            if !id.contains(quote), !id.contains(backslash) { return String(decoding: id, as: UTF8.self) }
        }
        return (try? decoder.decode(Answer.self, from: Data(body)))?.id
    }

    public func request(for message: OutboundMessage) throws(GatewayError) -> OutboundRequest {
        let text = message.content.text ?? message.content.voice?.say ?? message.content.fax?.lines.joined(separator: "\n")
        let callback = callbackURL.map { "\($0)?id=\(message.id)&token=\(signer.token(gateway: name, messageId: message.id))" }
        let body = JSONText.object([
            "channel": message.channel.rawValue, "to": message.to, "text": text, "callback": callback, "category": message.category.rawValue,
            "gather": message.content.voice?.gatherDigits,
        ])
        return OutboundRequest(
            method: .post, url: "\(baseURL)/sim/messages",
            headers: [("Content-Type", "application/json"), ("Idempotency-Key", message.idempotencyKey)], body: Array(body.utf8), timeoutMs: timeoutMs)
    }

    public func submission(for message: OutboundMessage, response: OutboundResponse) throws(GatewayError) -> Submission {
        switch response.status {
        case 200...299:
            guard let id = Self.answerId(response.body) else {
                // It said yes without an id: it may hold the message, so no other gateway may send it.
                throw .unanswered(
                    reason: "\(name) answered \(response.status) without id: it may have taken the message")
            }
            let segments = message.channel == .sms ? SMSSegmenter.count(message.content.text ?? "").segments : 1
            return Submission(providerMessageId: id, segments: segments)
        case 429: throw .throttled(reason: "simulator: 429", retryAfter: GatewayError.retryAfter(response))
        case 400...499: throw .permanent(reason: "simulator HTTP \(response.status): \(response.text)")
        default: throw .transient(reason: "simulator HTTP \(response.status)", retryAfter: GatewayError.retryAfter(response))
        }
    }
}
