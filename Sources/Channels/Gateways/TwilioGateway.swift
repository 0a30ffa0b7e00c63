import CoreModel
import Foundation

/// Twilio-compatible Messages (SMS) and Calls (voice with TwiML: `<Say
/// language="zh-CN">`, `<Play>` for a recorded file, `<Gather>` for keypad
/// answers). Status and gather callbacks come back signed (X-Twilio-Signature).
public struct TwilioGateway: Gateway {
    public struct Settings: Sendable {
        public var name: String
        /// e.g. https://api.twilio.com (a loopback stand-in in tests)
        public var apiBase: String
        public var accountSid: String
        public var authToken: String
        public var from: String
        /// Our webhook base for this gateway, e.g. http://127.0.0.1:8080/webhooks/twilio/NAME
        public var callbackBase: String
        public var timeoutMs: Int

        public init(name: String, apiBase: String, accountSid: String, authToken: String, from: String, callbackBase: String, timeoutMs: Int = 10_000) {
            self.name = name
            self.apiBase = apiBase
            self.accountSid = accountSid
            self.authToken = authToken
            self.from = from
            self.callbackBase = callbackBase
            self.timeoutMs = timeoutMs
        }
    }

    public let settings: Settings
    public let transport: CurlTransport
    public var name: String { settings.name }
    /// The gateway's `channels:`, among SMS and voice.
    public let channels: Set<Channel>

    public init(settings: Settings, transport: CurlTransport, channels: Set<Channel> = [.sms, .voice]) {
        self.settings = settings
        self.transport = transport
        self.channels = channels.intersection([.sms, .voice])
    }

    struct Answer: Decodable { var sid: String }
    struct Failure: Decodable {
        var code: Int?
        var message: String?
    }

    public func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        let statusURL = "\(settings.callbackBase)/status?id=\(message.id)"
        var form: [(String, String)] = [("To", message.to), ("From", settings.from), ("StatusCallback", statusURL)]
        let resource: String
        switch message.channel {
        case .sms:
            guard let text = message.content.text else { throw .permanent(reason: "SMS without text") }
            form.append(("Body", text))
            resource = "Messages"
        case .voice:
            guard let voice = message.content.voice else { throw .permanent(reason: "voice message without voice content") }
            form.append(("Twiml", Self.twiml(voice, gatherURL: "\(settings.callbackBase)/gather?id=\(message.id)")))
            resource = "Calls"
        default:
            throw .permanent(reason: "Twilio gateway does not carry \(message.channel.rawValue)")
        }
        let request = OutboundRequest(
            method: .post, url: "\(settings.apiBase)/2010-04-01/Accounts/\(settings.accountSid)/\(resource).json",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(FormEncoding.encode(form).utf8),
            timeoutMs: settings.timeoutMs, basicAuth: "\(settings.accountSid):\(settings.authToken)")
        let response: OutboundResponse
        do { response = try await transport.send(request) } catch { throw GatewayError.from(error) }
        if (200...299).contains(response.status) {
            // It said yes without a sid: it may hold the message, so no other gateway may send it.
            guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)) else {
                throw .unanswered(
                    reason: "\(name) answered \(response.status) without sid: it may have taken the message")
            }
            let segments = message.channel == .sms ? SMSSegmenter.count(message.content.text ?? "").segments : 1
            return Submission(providerMessageId: answer.sid, segments: segments)
        }
        let failure = try? JSONDecoder().decode(Failure.self, from: Data(response.body))
        let reason = "Twilio \(response.status)\(failure?.code.map { " \($0)" } ?? ""): \(failure?.message ?? response.text.prefix(200).description)"
        switch (response.status, failure?.code) {
        case (_, 21211?), (_, 21614?), (_, 21217?): throw .invalidAddress(reason: reason)
        case (401, _), (403, _), (_, 20003?): throw .auth(reason: reason)
        case (429, _), (_, 20429?): throw .throttled(reason: reason, retryAfter: GatewayError.retryAfter(response))
        case (500...599, _): throw .transient(reason: reason, retryAfter: GatewayError.retryAfter(response))
        default: throw .permanent(reason: reason)
        }
    }

    /// The call's script: a question with keypad digits if asked, else the message.
    public static func twiml(_ voice: MessageContent.Voice, gatherURL: String) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;")
        }
        var body = ""
        if let url = voice.playURL { body += "<Play>\(escape(url))</Play>" }
        if let say = voice.say { body += "<Say language=\"\(escape(voice.language))\">\(escape(say))</Say>" }
        if let digits = voice.gatherDigits {
            let prompt = voice.gatherPrompt.map { "<Say language=\"\(escape(voice.language))\">\(escape($0))</Say>" } ?? ""
            body += "<Gather input=\"dtmf\" numDigits=\"1\" timeout=\"8\" action=\"\(escape(gatherURL))\" method=\"POST\" finishOnKey=\"\" hints=\"\(escape(digits))\">\(prompt)</Gather>"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\(body)</Response>"
    }
}
