import CoreModel
import Foundation

/// Email through curl's SMTP client: multipart/alternative (text + html)
/// built with curl_mime, UTF-8 subjects as RFC 2047 encoded words, a
/// Message-ID unique across databases and kept by retries, TLS as
/// `SMTPTLSMode` says, and for marketing an RFC 8058 one-click
/// List-Unsubscribe plus the same link at the end of the body.
public struct SMTPGateway: Gateway {
    public struct Settings: Sendable {
        public var name: String
        /// smtp://host:port or smtps://host:port
        public var url: String
        public var fromAddress: String
        public var fromName: String
        /// Our one-click unsubscribe webhook, e.g. https://tidings.example.cn/webhooks/email/NAME/unsubscribe
        public var unsubscribeURL: String
        public var username: String?
        public var password: String?
        public var tls: SMTPTLSMode
        public var timeoutMs: Int
        /// Email-to-fax: a fax to +862163210002 goes to 862163210002@faxDomain with the PDF attached.
        public var faxDomain: String?

        public init(
            name: String, url: String, fromAddress: String, fromName: String, unsubscribeURL: String, username: String? = nil,
            password: String? = nil, tls: SMTPTLSMode? = nil, timeoutMs: Int = 15_000, faxDomain: String? = nil
        ) {
            self.faxDomain = faxDomain
            self.name = name
            self.url = url
            self.fromAddress = fromAddress
            self.fromName = fromName
            self.unsubscribeURL = unsubscribeURL
            self.username = username
            self.password = password
            self.tls = tls ?? SMTPTLSMode.implied(url: url, hasCredentials: username != nil || password != nil)
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

    /// A refusal by its reply: the mailbox or domain does not exist (550/551/553,
    /// or enhanced status 5.1.x/5.2.1 where the server gives one): invalid
    /// address; our credentials or missing TLS (530/534/535/538): auth; other
    /// 5xx (554 rejected, 5.7.x policy): permanent; 4xx: try later. The reason
    /// is the server's own text, with email addresses masked (it is stored and shown).
    static func classify(_ error: TransportError) -> GatewayError {
        var error = error
        error.message = Redaction.emails(in: error.message)
        guard let code = error.replyCode, (400...599).contains(code) else { return GatewayError.from(error) }
        let text = error.serverReply.map(Redaction.emails(in:)) ?? error.message
        let reason = "SMTP \(code): \(text)"
        if [530, 534, 535, 538].contains(code) { return .auth(reason: reason) }
        if code >= 500, let enhanced = enhancedStatus(text) {
            let addressProblem = enhanced.hasPrefix("5.1.") || enhanced == "5.2.1"
            return addressProblem ? .invalidAddress(reason: reason) : .permanent(reason: reason)
        }
        switch code {
        case 550, 551, 553: return .invalidAddress(reason: reason)
        case 500...599: return .permanent(reason: reason)
        default: return .transient(reason: reason, retryAfter: nil)
        }
    }

    /// RFC 3463's "class.subject.detail" at the start of a reply's text, e.g. "5.1.1".
    static func enhancedStatus(_ text: String) -> String? {
        guard let first = text.split(separator: " ").first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, ["2", "4", "5"].contains(parts[0]),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return String(first)
    }

    func smtpRequest(
        _ message: OutboundMessage, date: Date
    ) throws(GatewayError) -> (request: SMTPRequest, messageId: String) {
        let domain = settings.fromAddress.split(separator: "@").last.map(String.init) ?? "tidings.local"
        // The row's uid, not only its id: two databases both have a message 1.
        // Stored with the row, so a retried message is one message to the recipient.
        let messageId = "<tidings.\(message.id).\(message.uid)@\(domain)>"
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
        } else if message.channel == .email, let document = message.content.attachment {
            attachments.append(.init(
                contentType: "application/pdf", data: try GatewayError.faxPDF(document), encoding: "base64",
                filename: "document-\(message.id).pdf"))
        }
        var text = plain
        var html = message.content.html ?? Self.html(fromText: plain)
        let unsubscribe = message.channel == .email && (message.category == .marketing || message.category == .survey)
            ? unsubscribeLink(message) : nil
        if let unsubscribe {
            text += "\n\n退订 Unsubscribe: \(unsubscribe)"
            html = Self.appendingToBody(html, "<p><a href=\"\(Self.escaped(unsubscribe))\">退订 Unsubscribe</a></p>")
        }
        var headers = [
            "From: \(MIMEHeader.encodedWord(settings.fromName)) <\(settings.fromAddress)>",
            "To: <\(recipient)>",
            "Subject: \(MIMEHeader.encodedWord(subject))",
            "Date: \(MIMEHeader.date(date))",
            "Message-ID: \(messageId)",
            "MIME-Version: 1.0",
            "X-Tidings-Message: \(message.id)",
        ]
        if let unsubscribe {
            // No mailto: nobody reads mail sent to us. One-click (RFC 8058) needs
            // https; a plain http link beyond loopback is still offered, as
            // RFC 2369 allows, without the POST header (`config check` warns).
            headers.append("List-Unsubscribe: <\(unsubscribe)>")
            if Self.allowsOneClick(settings.unsubscribeURL) {
                headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
            }
        }
        let request = SMTPRequest(
            url: settings.url, from: settings.fromAddress, recipients: [recipient], headers: headers,
            alternatives: [
                .init(
                    contentType: "text/plain; charset=UTF-8", data: Array(Self.crlf(text).utf8),
                    encoding: "quoted-printable"),
                .init(
                    contentType: "text/html; charset=UTF-8", data: Array(Self.crlf(html).utf8),
                    encoding: "quoted-printable"),
            ],
            attachments: attachments,
            username: settings.username, password: settings.password, tls: settings.tls, timeoutMs: settings.timeoutMs)
        return (request, messageId)
    }

    /// The signed link of our unsubscribe webhook for this message: GET shows a
    /// confirmation form (link scanners change nothing), POST unsubscribes.
    func unsubscribeLink(_ message: OutboundMessage) -> String {
        let token = signer.token(gateway: name, messageId: message.id)
        let separator = settings.unsubscribeURL.contains("?") ? "&" : "?"
        return "\(settings.unsubscribeURL)\(separator)id=\(message.id)&token=\(token)"
    }

    /// RFC 8058 one-click wants an https link; loopback (tests, a local setup) is let through.
    public static func allowsOneClick(_ url: String) -> Bool {
        if url.lowercased().hasPrefix("https://") { return true }
        guard let host = CurlTransport.hostAndPort(of: url)?.host else { return false }
        return CurlTransport.Policy.isLoopback(host)
    }

    /// `fragment` just before `</body>`, or at the end of an html part without one.
    static func appendingToBody(_ html: String, _ fragment: String) -> String {
        guard let close = html.range(of: "</body>", options: [.caseInsensitive, .backwards]) else {
            return html + "\n" + fragment
        }
        return html.replacingCharacters(in: close.lowerBound..<close.lowerBound, with: fragment + "\n")
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Mail lines end in CRLF; quoted-printable then keeps them as line breaks.
    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func html(fromText text: String) -> String {
        let escaped = escaped(text).replacingOccurrences(of: "\n", with: "<br>\n")
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
