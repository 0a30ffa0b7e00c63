import CCurl
import Foundation

/// Owns one CURL easy handle and everything attached to it for one transfer
/// (header list, MIME tree, response buffers). Used only on the transport thread.
final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    private var mime: OpaquePointer?
    var responseBody: [UInt8] = []
    var responseHeaders: [UInt8] = []
    var isSMTP = false
    /// The server's latest SMTP replies, each as its lines ("451-…", "451 …"),
    /// and whether the last one's final line came (a new reply then starts).
    var smtpReplies: [[String]] = []
    var smtpReplyComplete = true
    /// curl's detail for a failed transfer (CURLOPT_ERRORBUFFER): which
    /// certificate check failed, "STARTTLS not supported."…
    private let errorBuffer: UnsafeMutablePointer<CChar>

    enum TransferOutcome {
        case http(OutboundResponse)
        case smtp(SMTPResponse)
    }

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        releaseAttachments()
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Clears the previous transfer so the handle (and its connection) can be reused.
    func reset() {
        releaseAttachments()
        curl_easy_reset(raw)
        responseBody.removeAll(keepingCapacity: true)
        responseHeaders.removeAll(keepingCapacity: true)
        isSMTP = false
        smtpReplies.removeAll()
        smtpReplyComplete = true
        errorBuffer[0] = 0
    }

    private func releaseAttachments() {
        if let headerList { curl_slist_free_all(headerList) }
        if let recipientList { curl_slist_free_all(recipientList) }
        if let mime { curl_mime_free(mime) }
        headerList = nil
        recipientList = nil
        mime = nil
    }

    func configure(_ request: OutboundRequest) {
        commonOptions(timeoutMs: request.timeoutMs, connectTimeoutMs: request.connectTimeoutMs)
        _ = tidings_easy_setopt_string(raw, CURLOPT_URL, request.url)
        _ = tidings_easy_setopt_string(raw, CURLOPT_PROTOCOLS_STR, "http,https")
        switch request.method {
        case .get: _ = tidings_easy_setopt_long(raw, CURLOPT_HTTPGET, 1)
        case .post: _ = tidings_easy_setopt_long(raw, CURLOPT_POST, 1)
        case .put, .delete: _ = tidings_easy_setopt_string(raw, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let parts = request.formParts, request.method == .post {
            let form = curl_mime_init(raw)
            mime = form
            for part in parts {
                let field = curl_mime_addpart(form)
                curl_mime_name(field, part.name)
                part.data.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in _ = curl_mime_data(field, chars.baseAddress, part.data.count) }
                }
                if let filename = part.filename { curl_mime_filename(field, filename) }
                if let type = part.contentType { curl_mime_type(field, type) }
            }
            _ = tidings_easy_setopt_mime(raw, CURLOPT_MIMEPOST, form)
        } else if request.method != .get {
            _ = tidings_easy_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            request.body.withUnsafeBufferPointer { buffer in
                // COPYPOSTFIELDS: curl keeps its own copy; an empty body still needs a valid pointer.
                _ = tidings_easy_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!))
            }
        }
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        for header in request.headers { list = curl_slist_append(list, "\(header.name): \(header.value)") }
        headerList = list
        _ = tidings_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list)
        if let basicAuth = request.basicAuth {
            _ = tidings_easy_setopt_long(raw, CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC (a macro that does not import)
            _ = tidings_easy_setopt_string(raw, CURLOPT_USERPWD, basicAuth)
        }
        _ = tidings_easy_setopt_data_callback(raw, CURLOPT_HEADERFUNCTION, headerCallback)
        _ = tidings_easy_setopt_pointer(raw, CURLOPT_HEADERDATA, Unmanaged.passUnretained(self).toOpaque())
    }

    func configure(_ request: SMTPRequest) {
        isSMTP = true
        commonOptions(timeoutMs: request.timeoutMs, connectTimeoutMs: min(request.timeoutMs, 5000))
        _ = tidings_easy_setopt_string(raw, CURLOPT_URL, request.url)
        // The scheme must match the mode: an smtp:// url with `implicit` would
        // otherwise go out in clear. CURLUSESSL_ALL makes a server without
        // STARTTLS a failure (CURLE_USE_SSL_FAILED) before AUTH or MAIL.
        switch request.tls {
        case .implicit:
            _ = tidings_easy_setopt_string(raw, CURLOPT_PROTOCOLS_STR, "smtps")
            _ = tidings_easy_setopt_long(raw, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .starttls:
            _ = tidings_easy_setopt_string(raw, CURLOPT_PROTOCOLS_STR, "smtp")
            _ = tidings_easy_setopt_long(raw, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .none:
            _ = tidings_easy_setopt_string(raw, CURLOPT_PROTOCOLS_STR, "smtp")
            _ = tidings_easy_setopt_long(raw, CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        }
        // curl hands every server reply line of SMTP to the header callback:
        // the failing reply's text becomes the reason, not curl's summary of it.
        _ = tidings_easy_setopt_data_callback(raw, CURLOPT_HEADERFUNCTION, smtpReplyCallback)
        _ = tidings_easy_setopt_pointer(raw, CURLOPT_HEADERDATA, Unmanaged.passUnretained(self).toOpaque())
        _ = tidings_easy_setopt_string(raw, CURLOPT_MAIL_FROM, "<\(request.from)>")
        var recipients: UnsafeMutablePointer<curl_slist>?
        for recipient in request.recipients { recipients = curl_slist_append(recipients, "<\(recipient)>") }
        recipientList = recipients
        _ = tidings_easy_setopt_slist(raw, CURLOPT_MAIL_RCPT, recipients)
        if let username = request.username { _ = tidings_easy_setopt_string(raw, CURLOPT_USERNAME, username) }
        if let password = request.password { _ = tidings_easy_setopt_string(raw, CURLOPT_PASSWORD, password) }
        var headers: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { headers = curl_slist_append(headers, header) }
        headerList = headers
        _ = tidings_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, headers)

        // As in curl's smtp-mime example: a multipart/mixed root holding one
        // multipart/alternative part (text + html), then any attachments.
        let root = curl_mime_init(raw)
        mime = root
        let alternative = curl_mime_init(raw)
        addParts(request.alternatives, to: alternative)
        let holder = curl_mime_addpart(root)
        curl_mime_subparts(holder, alternative)
        curl_mime_type(holder, "multipart/alternative")
        addParts(request.attachments, to: root)
        _ = tidings_easy_setopt_mime(raw, CURLOPT_MIMEPOST, root)
    }

    private func addParts(_ parts: [SMTPRequest.Part], to mime: OpaquePointer?) {
        for part in parts {
            let handle = curl_mime_addpart(mime)
            part.data.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    _ = curl_mime_data(handle, chars.baseAddress, part.data.count)
                }
            }
            curl_mime_type(handle, part.contentType)
            if let encoding = part.encoding { curl_mime_encoder(handle, encoding) }
            if let filename = part.filename { curl_mime_filename(handle, filename) }
        }
    }

    /// Verifies the peer against this PEM bundle instead of the system's.
    func useCAFile(_ path: String) {
        _ = tidings_easy_setopt_string(raw, CURLOPT_CAINFO, path)
    }

    private func commonOptions(timeoutMs: Int, connectTimeoutMs: Int) {
        _ = tidings_easy_setopt_long(raw, CURLOPT_NOSIGNAL, 1)
        _ = tidings_easy_setopt_long(raw, CURLOPT_TIMEOUT_MS, timeoutMs)
        _ = tidings_easy_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMs)
        _ = tidings_easy_setopt_long(raw, CURLOPT_TCP_NODELAY, 1)
        // curl's defaults, stated: peer and host name are always verified.
        _ = tidings_easy_setopt_long(raw, CURLOPT_SSL_VERIFYPEER, 1)
        _ = tidings_easy_setopt_long(raw, CURLOPT_SSL_VERIFYHOST, 2)
        errorBuffer[0] = 0
        _ = tidings_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        _ = tidings_easy_setopt_data_callback(raw, CURLOPT_WRITEFUNCTION, writeCallback)
        _ = tidings_easy_setopt_pointer(raw, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
        _ = tidings_easy_setopt_pointer(raw, CURLOPT_PRIVATE, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Reads the finished transfer's status into an outcome.
    func outcome(code: CURLcode) -> Result<TransferOutcome, TransportError> {
        var status = 0
        _ = tidings_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
        if isSMTP {
            if code == CURLE_OK { return .success(.smtp(SMTPResponse(code: status == 0 ? 250 : status))) }
            // Only a refusal's text explains the failure: after "250 … STARTTLS
            // missing" or a certificate error, curl's own detail does. The refusal
            // is the last reply with curl's code (curl's QUIT may have come after it).
            let refusal = status >= 400 ? smtpReplies.last { $0.first?.hasPrefix(String(status)) == true } : nil
            let reply = refusal.flatMap { Self.replyText($0, code: status) }
            return .failure(TransportError(
                kind: Self.kind(code), curlCode: Int(code.rawValue), message: message(code),
                replyCode: status == 0 ? nil : status, serverReply: reply))
        }
        guard code == CURLE_OK else {
            return .failure(TransportError(
                kind: Self.kind(code), curlCode: Int(code.rawValue), message: message(code), replyCode: nil))
        }
        return .success(.http(OutboundResponse(status: status, rawHeaders: responseHeaders, body: responseBody)))
    }

    private static func kind(_ code: CURLcode) -> TransportError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: .connect
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING: .dropped
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_UNSUPPORTED_PROTOCOL: .refusedByPolicy
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_USE_SSL_FAILED, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS:
            .tls
        default: .protocolError
        }
    }

    /// curl's detail from the error buffer, else its generic text for `code`.
    private func message(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
        if !detail.isEmpty { return detail }
        guard let text = curl_easy_strerror(code) else { return "curl error \(code.rawValue)" }
        return String(cString: text)
    }

    /// "451-a" "451 b" → "a b": the reply's text without its code, if the lines are a reply with `code`.
    static func replyText(_ lines: [String], code: Int) -> String? {
        let prefix = String(code)
        let texts = lines.compactMap { line -> String? in
            guard line.hasPrefix(prefix) else { return nil }
            return line.dropFirst(prefix.count + 1).trimmingCharacters(in: .whitespaces)
        }
        let text = texts.filter { !$0.isEmpty }.joined(separator: " ")
        return text.isEmpty ? nil : text
    }
}

private func writeCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let handle = Unmanaged<EasyHandle>.fromOpaque(context).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        handle.responseBody.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}

/// One SMTP reply line per call ("250-SIZE …", "451 4.3.0 …"): a line whose
/// fourth character is not "-" ends its reply; the next line starts a new one.
private func smtpReplyCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let handle = Unmanaged<EasyHandle>.fromOpaque(context).takeUnretainedValue()
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }.trimmingCharacters(in: .newlines)
    if handle.smtpReplyComplete {
        // A few replies are enough to find the refusal behind a QUIT; a server cannot grow them without end.
        if handle.smtpReplies.count == 4 { handle.smtpReplies.removeFirst() }
        handle.smtpReplies.append([])
    }
    let last = handle.smtpReplies.count - 1
    if handle.smtpReplies[last].count < 32 { handle.smtpReplies[last].append(line) }
    let utf8 = Array(line.utf8.prefix(4))
    handle.smtpReplyComplete = utf8.count < 4 || utf8[3] != UInt8(ascii: "-")
    return length
}

private func headerCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let handle = Unmanaged<EasyHandle>.fromOpaque(context).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        let line = UnsafeBufferPointer(start: bytes, count: length)
        if line.starts(with: "HTTP/".utf8) {
            handle.responseHeaders.removeAll(keepingCapacity: true)  // a new response (after 100-continue or a redirect)
        } else {
            handle.responseHeaders.append(contentsOf: line)
        }
    }
    return length
}
