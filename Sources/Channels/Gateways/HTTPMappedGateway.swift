import CoreModel
import Foundation

/// Any provider with a simple JSON, form or multipart API (an HTTP fax
/// service: `content_type: multipart`, the fax PDF as `file_field`),
/// described in tidings.yaml instead of code:
///
/// ```yaml
/// - name: acme
///   kind: http
///   channels: [sms]
///   url: http://127.0.0.1:9000/v1/sms
///   credentials: { token: ${ACME_TOKEN} }
///   options:
///     content_type: json                     # json (default) or form
///     body: '{"mobile":"{{to}}","content":"{{text}}","ref":"{{id}}"}'
///     header.Authorization: Bearer {{credentials.token}}
///     id_field: data.msg_id                  # the provider's id in the answer
///     success: code=0                        # answer fields that mean accepted
///     throttled: code=1001|1002              # … slow down (HTTP 429 always does)
///     invalid_address: code=2001             # … the number does not exist
///     receipt.id_field: msg_id               # receipts: provider id (or receipt.ref_field: our id echoed)
///     receipt.status_field: stat
///     receipt.delivered: DELIVRD
///     receipt.failed: UNDELIV|REJECTD|EXPIRED
///     receipt.invalid: UNKNOWN_NUMBER        # failed, and the contact is flagged
/// ```
///
/// Placeholders: {{id}} {{idempotency_key}} {{to}} {{text}} {{subject}}
/// {{callback}} (our receipt webhook, with its token) and {{credentials.NAME}};
/// values are JSON-escaped in a JSON body, percent-encoded in a form body and
/// refused in headers if they contain a line break.
public struct HTTPMappedGateway: HTTPRequestGateway {
    public struct Mapping: Sendable {
        /// multipart: form fields from `body` (name=value&…) plus, for a fax,
        /// the rendered PDF as the file field `file_field` — an HTTP fax API.
        public enum ContentType: String, Sendable { case json, form, multipart }

        public var method: OutboundRequest.Method
        public var contentType: ContentType
        /// The body (or query string for get), parsed once.
        public var body: PlaceholderTemplate
        /// For multipart: the body's "name=value&…" as fields, split once.
        public var formFields: [(name: String, value: PlaceholderTemplate)]
        public var headers: [(name: String, value: PlaceholderTemplate)]
        public var fileField: String
        public var idField: String?
        public var success: Condition?
        public var throttled: Condition?
        public var invalidAddress: Condition?
        public var receipt: ReceiptMapping

        /// Options understood, for the unknown-key check (besides `header.*`).
        public static let keys: Set<String> = [
            "method", "content_type", "body", "file_field", "id_field", "success", "throttled", "invalid_address",
            "receipt.id_field", "receipt.ref_field", "receipt.status_field", "receipt.detail_field",
            "receipt.delivered", "receipt.failed", "receipt.invalid",
        ]
        static let placeholders: Set<String> = ["id", "idempotency_key", "to", "text", "subject", "callback"]

        /// What is wrong with the options, by option key.
        public struct Problems: Error, Sendable {
            public var list: [(key: String, message: String)]
        }

        /// Reads the options; every problem is reported, not just the first.
        public static func parse(options: [String: String], credentials: Set<String>) -> Result<Mapping, Problems> {
            var problems: [(key: String, message: String)] = []
            for key in options.keys where !keys.contains(key) && !key.hasPrefix("header.") {
                problems.append((key, "unknown option for http (allowed: \(keys.sorted().joined(separator: ", ")), header.NAME)"))
            }
            func checked(_ key: String, _ text: String) -> PlaceholderTemplate {
                let template = PlaceholderTemplate(text)
                for name in template.names where !placeholders.contains(name) {
                    if name.hasPrefix("credentials."), credentials.contains(String(name.dropFirst("credentials.".count))) { continue }
                    problems.append((key, "unknown placeholder {{\(name)}} (use \(placeholders.sorted().map { "{{\($0)}}" }.joined(separator: " ")) or {{credentials.NAME}})"))
                }
                return template
            }
            func condition(_ key: String) -> Condition? {
                guard let text = options[key] else { return nil }
                guard let parsed = Condition(text) else {
                    problems.append((key, "expected FIELD=VALUE[|VALUE…], e.g. code=0"))
                    return nil
                }
                return parsed
            }
            let method: OutboundRequest.Method
            switch options["method"]?.lowercased() ?? "post" {
            case "post": method = .post
            case "get": method = .get
            default:
                problems.append(("method", "must be get or post"))
                method = .post
            }
            let contentType = ContentType(rawValue: options["content_type"]?.lowercased() ?? "json")
            if contentType == nil { problems.append(("content_type", "must be json, form or multipart")) }
            if contentType == .multipart, method == .get { problems.append(("content_type", "multipart needs method post")) }
            let bodyText = options["body"] ?? ""
            if bodyText.isEmpty { problems.append(("body", "http gateway needs options.body, the request body (or query string for get) with placeholders")) }
            let body = checked("body", bodyText)
            // Multipart fields are rendered raw (curl_mime frames them); "name=value&…" only names them.
            let formFields = bodyText.split(separator: "&").map { pair in
                let field = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (name: String(field[0]), value: PlaceholderTemplate(field.count > 1 ? String(field[1]) : ""))
            }
            var headers: [(name: String, value: PlaceholderTemplate)] = []
            for (key, value) in options.sorted(by: { $0.key < $1.key }) where key.hasPrefix("header.") {
                headers.append((String(key.dropFirst("header.".count)), checked(key, value)))
            }
            let receipt = ReceiptMapping(
                idField: options["receipt.id_field"], refField: options["receipt.ref_field"], statusField: options["receipt.status_field"] ?? "status",
                detailField: options["receipt.detail_field"],
                delivered: Set((options["receipt.delivered"] ?? "delivered").split(separator: "|").map(String.init)),
                failed: Set((options["receipt.failed"] ?? "failed").split(separator: "|").map(String.init)),
                invalid: Set((options["receipt.invalid"] ?? "").split(separator: "|").map(String.init)))
            let mapping = Mapping(
                method: method, contentType: contentType ?? .json, body: body, formFields: formFields, headers: headers, fileField: options["file_field"] ?? "file",
                idField: options["id_field"],
                success: condition("success"), throttled: condition("throttled"), invalidAddress: condition("invalid_address"), receipt: receipt)
            return problems.isEmpty ? .success(mapping) : .failure(Problems(list: problems))
        }
    }

    /// `field=value|value`: a field of the JSON answer (dotted path) equal to one of the values.
    public struct Condition: Sendable, Hashable {
        public var field: String
        public var values: Set<String>

        public init?(_ text: String) {
            let parts = text.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            field = String(parts[0]).trimmingCharacters(in: .whitespaces)
            values = Set(parts[1].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) })
        }

        func holds(in answer: Any?) -> Bool {
            JSONPath.string(field, in: answer).map(values.contains) ?? false
        }
    }

    /// How the provider's delivery receipts look.
    public struct ReceiptMapping: Sendable {
        public var idField: String?
        public var refField: String?
        public var statusField: String
        public var detailField: String?
        public var delivered: Set<String>
        public var failed: Set<String>
        public var invalid: Set<String>
    }

    public let name: String
    public let channels: Set<Channel>
    public let url: String
    public let mapping: Mapping
    public let credentials: [String: String]
    /// Our receipt webhook with the gateway's token, for {{callback}}.
    public let callbackURL: String
    public let transport: CurlTransport
    public let timeoutMs: Int

    public init(
        name: String, channels: Set<Channel>, url: String, mapping: Mapping, credentials: [String: String], callbackURL: String, transport: CurlTransport,
        timeoutMs: Int = 10_000
    ) {
        self.name = name
        self.channels = channels
        self.url = url
        self.mapping = mapping
        self.credentials = credentials
        self.callbackURL = callbackURL
        self.transport = transport
        self.timeoutMs = timeoutMs
    }

    func values(for message: OutboundMessage) -> [String: String] {
        var values = [
            "id": String(message.id), "idempotency_key": message.idempotencyKey, "to": message.to,
            "text": message.content.text ?? message.content.voice?.say ?? message.content.fax?.lines.joined(separator: "\n") ?? "",
            "subject": message.content.subject ?? message.content.fax?.title ?? "", "callback": callbackURL,
        ]
        for (key, value) in credentials { values["credentials.\(key)"] = value }
        return values
    }

    public func request(for message: OutboundMessage) throws(GatewayError) -> OutboundRequest {
        let values = values(for: message)
        if mapping.contentType == .multipart {
            var parts = mapping.formFields.map { OutboundRequest.FormPart(name: $0.name, value: $0.value.render(values) { $0 }) }
            if let fax = message.content.fax {
                parts.append(.init(
                    name: mapping.fileField, data: try GatewayError.faxPDF(fax), filename: "fax-\(message.id).pdf",
                    contentType: "application/pdf"))
            }
            return OutboundRequest(method: .post, url: url, headers: try renderedHeaders(values), timeoutMs: timeoutMs, formParts: parts)
        }
        let inJSON = mapping.contentType == .json && mapping.method == .post
        let body = mapping.body.render(values) { inJSON ? JSONText.escaped($0) : FormEncoding.escape($0) }
        var headers = try renderedHeaders(values)
        if mapping.method == .get {
            return OutboundRequest(method: .get, url: url + (url.contains("?") ? "&" : "?") + body, headers: headers, timeoutMs: timeoutMs)
        }
        headers.append(("Content-Type", mapping.contentType == .json ? "application/json; charset=utf-8" : "application/x-www-form-urlencoded; charset=utf-8"))
        return OutboundRequest(method: .post, url: url, headers: headers, body: Array(body.utf8), timeoutMs: timeoutMs)
    }

    private func renderedHeaders(_ values: [String: String]) throws(GatewayError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Idempotency-Key", values["idempotency_key"] ?? "")]
        for header in mapping.headers {
            let value = header.value.render(values) { $0 }
            guard !value.contains(where: \.isNewline) else { throw .permanent(reason: "header \(header.name) would contain a line break") }
            headers.append((header.name, value))
        }
        return headers
    }

    public func submission(for message: OutboundMessage, response: OutboundResponse) throws(GatewayError) -> Submission {
        let answer = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
        let said = String(response.text.prefix(200))
        if response.status == 429 || mapping.throttled?.holds(in: answer) == true {
            throw .throttled(reason: "\(name): \(said)", retryAfter: GatewayError.retryAfter(response))
        }
        if mapping.invalidAddress?.holds(in: answer) == true { throw .invalidAddress(reason: "\(name): \(said)") }
        switch response.status {
        case 200...299:
            if let success = mapping.success, !success.holds(in: answer) { throw .permanent(reason: "\(name) refused: \(said)") }
            let id = mapping.idField.flatMap { JSONPath.string($0, in: answer) }
            // The provider said yes but gave no id: it may hold the message, so no other gateway may send it.
            if let field = mapping.idField, id == nil {
                throw .unanswered(
                    reason: "\(name) answered \(response.status) without \(field): it may have taken the message")
            }
            let segments = message.channel == .sms ? SMSSegmenter.count(message.content.text ?? "").segments : 1
            return Submission(providerMessageId: id, segments: segments)
        case 401, 403: throw .auth(reason: "\(name) HTTP \(response.status): \(said)")
        case 400...499: throw .permanent(reason: "\(name) HTTP \(response.status): \(said)")
        default: throw .transient(reason: "\(name) HTTP \(response.status)", retryAfter: GatewayError.retryAfter(response))
        }
    }
}

/// A text with `{{name}}` placeholders, as the http adapter's options write
/// them (a closed set, checked when the config loads — not a template
/// language). Split once; rendering only joins.
public struct PlaceholderTemplate: Sendable {
    private enum Piece: Sendable {
        case text(String)
        case placeholder(String)
    }

    private let pieces: [Piece]

    public init(_ template: String) {
        var pieces: [Piece] = []
        var rest = template[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            pieces.append(.placeholder(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    /// The placeholders used, in order.
    public var names: [String] {
        pieces.compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
    }

    /// The text with each placeholder's value, escaped; an unknown one is empty.
    public func render(_ values: [String: String], escape: (String) -> String) -> String {
        pieces.reduce(into: "") { out, piece in
            switch piece {
            case .text(let text): out += text
            case .placeholder(let name): out += escape(values[name] ?? "")
            }
        }
    }
}

/// Dotted paths ("data.msg_id", "result.0.id") into a decoded JSON value.
enum JSONPath {
    static func value(_ path: String, in json: Any?) -> Any? {
        var current = json
        for component in path.split(separator: ".") {
            if let object = current as? [String: Any] {
                current = object[String(component)]
            } else if let array = current as? [Any], let index = Int(component), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    /// The value as text: strings as they are, numbers and booleans printed.
    static func string(_ path: String, in json: Any?) -> String? {
        switch value(path, in: json) {
        case let text as String: text
        // JSON true/false decode as NSNumbers of type "c" (char); 0 and 1 must stay numbers.
        case let number as NSNumber where String(cString: number.objCType) == "c": number.boolValue ? "true" : "false"
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }
}
