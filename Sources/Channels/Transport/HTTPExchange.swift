/// One outbound HTTP request, as plain Sendable values handed to the curl thread.
public struct OutboundRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", delete = "DELETE" }

    public var method: Method
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Whole transfer, milliseconds.
    public var timeoutMs: Int
    public var connectTimeoutMs: Int
    /// HTTP basic auth "user:password", if any.
    public var basicAuth: String?
    /// multipart/form-data parts (built with curl_mime); when set, `body` is ignored.
    public var formParts: [FormPart]?

    /// One field or file of a multipart/form-data body.
    public struct FormPart: Sendable, Hashable {
        public var name: String
        public var data: [UInt8]
        public var filename: String?
        public var contentType: String?

        public init(name: String, data: [UInt8], filename: String? = nil, contentType: String? = nil) {
            self.name = name
            self.data = data
            self.filename = filename
            self.contentType = contentType
        }

        public init(name: String, value: String) { self.init(name: name, data: Array(value.utf8)) }
    }

    public init(
        method: Method = .get, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeoutMs: Int = 10_000, connectTimeoutMs: Int = 3_000, basicAuth: String? = nil, formParts: [FormPart]? = nil
    ) {
        self.formParts = formParts
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMs = timeoutMs
        self.connectTimeoutMs = connectTimeoutMs
        self.basicAuth = basicAuth
    }
}

public struct OutboundResponse: Sendable {
    public var status: Int
    /// The final response's header lines as received ("Name: value\r\n"…);
    /// split only when someone asks, since most answers are read for the body alone.
    public var rawHeaders: [UInt8]
    public var body: [UInt8]

    public init(status: Int, rawHeaders: [UInt8] = [], body: [UInt8] = []) {
        self.status = status
        self.rawHeaders = rawHeaders
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    public var headers: [(name: String, value: String)] {
        String(decoding: rawHeaders, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    public func header(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// An email handed to curl's SMTP client: envelope plus MIME parts that curl
/// builds with curl_mime on the transport thread.
public struct SMTPRequest: Sendable {
    public struct Part: Sendable {
        public var contentType: String
        public var data: [UInt8]
        /// "quoted-printable", "base64", "8bit"…
        public var encoding: String?
        public var filename: String?

        public init(contentType: String, data: [UInt8], encoding: String? = nil, filename: String? = nil) {
            self.contentType = contentType
            self.data = data
            self.encoding = encoding
            self.filename = filename
        }
    }

    public var url: String
    public var from: String
    public var recipients: [String]
    /// Message headers (Subject, From, To, Message-ID, List-Unsubscribe…).
    public var headers: [String]
    /// Alternative bodies (text, html): sent as multipart/alternative.
    public var alternatives: [Part]
    /// Attachments (fax PDFs): with them the message becomes multipart/mixed.
    public var attachments: [Part]
    public var username: String?
    public var password: String?
    /// How the connection is secured (`implicit` goes with an smtps:// URL).
    public var tls: SMTPTLSMode
    public var timeoutMs: Int

    public init(
        url: String, from: String, recipients: [String], headers: [String], alternatives: [Part], attachments: [Part] = [],
        username: String? = nil, password: String? = nil, tls: SMTPTLSMode = .none, timeoutMs: Int = 15_000
    ) {
        self.url = url
        self.from = from
        self.recipients = recipients
        self.headers = headers
        self.alternatives = alternatives
        self.attachments = attachments
        self.username = username
        self.password = password
        self.tls = tls
        self.timeoutMs = timeoutMs
    }
}

public struct SMTPResponse: Sendable {
    /// The last SMTP reply code (250 accepted, 4xx transient, 5xx permanent).
    public var code: Int
}

/// A transfer that did not produce a response: connection refused, timeout,
/// DNS, TLS… with curl's code and message (curl's own detail when it gives
/// one, e.g. which certificate check failed).
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// No connection: nothing was sent.
        case connect
        /// The connection broke after the request went out, before an answer.
        case dropped
        /// The awaiting task was cancelled while the request waited in the
        /// transport's queue: nothing was sent.
        case cancelledUnsent
        /// The awaiting task was cancelled during the transfer, which was cut:
        /// the request may have gone out.
        case cancelled
        /// No secure connection: the peer's certificate failed verification,
        /// the handshake failed, or a server would not start the TLS we
        /// require (STARTTLS not offered). Nothing was sent.
        case tls
        case timeout, refusedByPolicy, protocolError, other
    }
    public var kind: Kind
    public var curlCode: Int
    public var message: String
    /// For SMTP: the reply code the server gave before failing (550, 451…).
    public var replyCode: Int?
    /// For SMTP: the text of the server's failing reply ("4.3.0 <…>: mailbox
    /// busy, try again later"), lines of a multi-line reply joined by spaces;
    /// as received, so it may name the recipient.
    public var serverReply: String? = nil

    public var description: String { "\(message) (curl \(curlCode)\(replyCode.map { ", reply \($0)" } ?? ""))" }
}
