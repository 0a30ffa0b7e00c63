import CoreModel
import Foundation

/// Email through curl's SMTP client: multipart/alternative (text + html)
/// built with curl_mime, UTF-8 subjects as RFC 2047 encoded words, a
/// Message-ID we can match bounces on, and List-Unsubscribe with RFC 8058
/// one-click for marketing.
public struct SMTPGateway: Gateway {
    public struct Settings: Sendable {
        public var name: String
        /// smtp://host:port or smtps://host:port
        public var url: String
        public var fromAddress: String
        public var fromName: String
        /// Our one-click unsubscribe webhook, e.g. http://127.0.0.1:8080/webhooks/email/NAME/unsubscribe
        public var unsubscribeURL: String
        public var username: String?
        public var password: String?
        public var timeoutMs: Int
        /// Email-to-fax: a fax to +862163210002 goes to 862163210002@faxDomain with the PDF attached.
        public var faxDomain: String?

        public init(
            name: String, url: String, fromAddress: String, fromName: String, unsubscribeURL: String, username: String? = nil,
            password: String? = nil, timeoutMs: Int = 15_000, faxDomain: String? = nil
        ) {
            self.faxDomain = faxDomain
            self.name = name
            self.url = url
            self.fromAddress = fromAddress
            self.fromName = fromName
            self.unsubscribeURL = unsubscribeURL
            self.username = username
            self.password = password
            self.timeoutMs = timeoutMs
        }
    }

    public let settings: Settings
    public let transport: CurlTransport
    public let signer: WebhookSigner
    public var name: String { settings.name }
    public let channels: Set<Channel>

    public init(settings: Settings, transport: CurlTransport, signer: WebhookSigner, channels: Set<Channel> = [.email]) {
        self.channels = channels
        self.settings = settings
        self.transport = transport
        self.signer = signer
    }

    public func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        let request = try smtpRequest(message, date: Date())
        do {
            _ = try await transport.send(request.request)
            return Submission(providerMessageId: request.messageId)
        } catch {
            throw Self.classify(error)
        }
    }

    /// 5xx on the recipient: the mailbox does not exist; other 5xx: permanent; 4xx: try later.
    static func classify(_ error: TransportError) -> GatewayError {
        guard let code = error.replyCode else { return GatewayError.from(error) }
        switch code {
        case 550, 551, 553: return .invalidAddress(reason: "SMTP \(code): \(error.message)")
        case 500...599: return .permanent(reason: "SMTP \(code): \(error.message)")
        case 400...499: return .transient(reason: "SMTP \(code): \(error.message)", retryAfter: nil)
        default: return GatewayError.from(error)
        }
    }

    func smtpRequest(
        _ message: OutboundMessage, date: Date
    ) throws(GatewayError) -> (request: SMTPRequest, messageId: String) {
        let domain = settings.fromAddress.split(separator: "@").last.map(String.init) ?? "tidings.local"
        // The same on every attempt, so a retried message is one message to the recipient.
        let messageId = "<tidings.\(message.id)@\(domain)>"
        var recipient = message.to
        var subject = message.content.subject ?? ""
        var plain = message.content.text ?? ""
        var attachments: [SMTPRequest.Part] = []
        if message.channel == .fax, let document = message.content.fax {
            recipient = message.to.filter(\.isNumber) + "@" + (settings.faxDomain ?? domain)
            subject = document.title
            plain = plain.isEmpty ? document.title : plain
            attachments.append(.init(
                contentType: "application/pdf", data: try GatewayError.faxPDF(document), encoding: "base64",
                filename: "fax-\(message.id).pdf"))
        }
        let text = Self.crlf(plain)
        let html = Self.crlf(message.content.html ?? Self.html(fromText: plain))
        var headers = [
            "From: \(MIMEHeader.encodedWord(settings.fromName)) <\(settings.fromAddress)>",
            "To: <\(recipient)>",
            "Subject: \(MIMEHeader.encodedWord(subject))",
            "Date: \(MIMEHeader.date(date))",
            "Message-ID: \(messageId)",
            "MIME-Version: 1.0",
            "X-Tidings-Message: \(message.id)",
        ]
        if message.category == .marketing || message.category == .survey {
            let token = signer.token(gateway: name, messageId: message.id)
            let separator = settings.unsubscribeURL.contains("?") ? "&" : "?"
            let oneClick = "\(settings.unsubscribeURL)\(separator)id=\(message.id)&token=\(token)"
            headers.append("List-Unsubscribe: <\(oneClick)>, <mailto:\(settings.fromAddress)?subject=unsubscribe-\(message.id)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        let request = SMTPRequest(
            url: settings.url, from: settings.fromAddress, recipients: [recipient], headers: headers,
            alternatives: [
                .init(contentType: "text/plain; charset=UTF-8", data: Array(text.utf8), encoding: "quoted-printable"),
                .init(contentType: "text/html; charset=UTF-8", data: Array(html.utf8), encoding: "quoted-printable"),
            ],
            attachments: attachments,
            username: settings.username, password: settings.password, timeoutMs: settings.timeoutMs)
        return (request, messageId)
    }

    /// Mail lines end in CRLF; quoted-printable then keeps them as line breaks.
    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func html(fromText text: String) -> String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\n", with: "<br>\n")
        return "<!doctype html><html><head><meta charset=\"utf-8\"></head><body><p>\(escaped)</p></body></html>"
    }
}

/// Header encodings for mail.
public enum MIMEHeader {
    /// RFC 2047: ASCII stays as is; anything else becomes `=?UTF-8?B?…?=` words
    /// of at most 75 characters, each holding whole characters.
    public static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }) && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        // 75 - len("=?UTF-8?B?") - len("?=") = 63 base64 characters → 45 bytes (kept whole).
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    public static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
