import Foundation
import HTTPTypes
import Hummingbird

/// The provider callbacks, as Hummingbird routes. Each route authenticates
/// (signature or per-message token), parses into typed values and hands them
/// to the sink; a refused webhook gets 400/401/403/413 and changes nothing.
public struct WebhookRoutes: Sendable {
    public var signer: WebhookSigner
    public var sink: any ReceiptSink
    /// Every configured gateway's kind, by name. A route serves only gateways
    /// of its own kind (403 otherwise): a token or a signature that holds for
    /// one gateway is worth nothing on another adapter's routes.
    public var gateways: [String: GatewayKind]
    /// Twilio auth tokens by gateway name (their callbacks are signed with it).
    public var twilioTokens: [String: String] = [:]
    /// How each `http` gateway's receipts look, by gateway name.
    public var httpReceipts: [String: HTTPMappedGateway.ReceiptMapping] = [:]
    /// The base URL providers call (server.public_url): Twilio signs the URL it called.
    public var publicBase: String?
    /// Longest query string or body accepted.
    public var maxBytes = 16 * 1024

    public init(signer: WebhookSigner, sink: any ReceiptSink, gateways: [String: GatewayKind]) {
        self.signer = signer
        self.sink = sink
        self.gateways = gateways
    }

    /// The route's `{gateway}`, which must be a configured gateway of `kind`.
    static func gateway(
        _ parameters: Parameters, _ kind: GatewayKind, in gateways: [String: GatewayKind]
    ) throws -> String {
        let name = try parameters.require("gateway")
        guard gateways[name] == kind else { throw WebhookRejection(.forbidden, "no \(kind.rawValue) gateway named \(name)") }
        return name
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        let signer = signer, sink = sink, maxBytes = maxBytes, gateways = gateways
        router.get("/webhooks/kannel/{gateway}/dlr") { request, context -> Response in
            try await Self.handle {
                let gateway = try Self.gateway(context.parameters, .kannel, in: gateways)
                let receipt = try KannelWebhooks.receipt(query: try Self.query(request, maxBytes), gateway: gateway, signer: signer)
                try await sink.accept([receipt])
            }
        }
        router.get("/webhooks/kannel/{gateway}/mo") { request, context -> Response in
            try await Self.handle {
                let gateway = try Self.gateway(context.parameters, .kannel, in: gateways)
                let inbound = try KannelWebhooks.inbound(query: try Self.query(request, maxBytes), gateway: gateway, signer: signer)
                try await sink.accept(inbound)
            }
        }
        router.post("/webhooks/simulator/{gateway}/status") { request, context -> Response in
            try await Self.handle {
                let body = try await request.body.collect(upTo: maxBytes)
                let gateway = try Self.gateway(context.parameters, .simulator, in: gateways)
                switch try SimulatorWebhooks.callback(query: try Self.query(request, maxBytes), body: Array(buffer: body), gateway: gateway, signer: signer) {
                case .receipt(let receipt): try await sink.accept([receipt])
                case .inbound(let answer): try await sink.accept(answer)
                }
            }
        }
        router.post("/webhooks/aliyun/{gateway}/report") { request, context -> Response in
            try await Self.aliyunAnswer {
                let body = try await request.body.collect(upTo: maxBytes * 64)
                let gateway = try Self.gateway(context.parameters, .aliyun, in: gateways)
                let receipts = try AliyunWebhooks.receipts(query: try Self.query(request, maxBytes), body: Array(buffer: body), gateway: gateway, signer: signer)
                try await sink.accept(receipts)
            }
        }
        router.post("/webhooks/aliyun/{gateway}/reply") { request, context -> Response in
            try await Self.aliyunAnswer {
                let body = try await request.body.collect(upTo: maxBytes * 64)
                let gateway = try Self.gateway(context.parameters, .aliyun, in: gateways)
                for message in try AliyunWebhooks.inbound(query: try Self.query(request, maxBytes), body: Array(buffer: body), gateway: gateway, signer: signer) {
                    try await sink.accept(message)
                }
            }
        }
        let httpReceipts = httpReceipts
        router.post("/webhooks/http/{gateway}/receipt") { request, context -> Response in
            try await Self.handle {
                let body = try await request.body.collect(upTo: maxBytes * 64)
                let gateway = try Self.gateway(context.parameters, .http, in: gateways)
                guard let mapping = httpReceipts[gateway] else { throw WebhookRejection(.forbidden, "no http gateway named \(gateway)") }
                try await sink.accept(try HTTPMappedWebhooks.receipts(
                    query: try Self.query(request, maxBytes), body: Array(buffer: body), gateway: gateway, mapping: mapping, signer: signer))
            }
        }
        registerTwilio(on: router)
        registerEmail(on: router)
    }

    func registerTwilio<Context: RequestContext>(on router: Router<Context>) {
        let sink = sink, maxBytes = maxBytes, tokens = twilioTokens, publicBase = publicBase, gateways = gateways
        @Sendable func verifiedForm(_ request: Request, _ context: Context) async throws -> (gateway: String, query: [String: String], form: [String: String]) {
            // The body is read before anything may refuse the request: a request answered with its body unread
            // leaves the connection's reader unfinished.
            let body = try await request.body.collect(upTo: maxBytes)
            let gateway = try Self.gateway(context.parameters, .twilio, in: gateways)
            guard let token = tokens[gateway] else { throw WebhookRejection(.forbidden, "no Twilio gateway named \(gateway)") }
            let raw = String(buffer: body)
            let pairs = raw.split(separator: "&").map { pair -> (String, String) in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func unescape(_ part: Substring) -> String { part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
                return (unescape(parts[0]), parts.count > 1 ? unescape(parts[1]) : "")
            }
            let base = publicBase ?? "http://\(request.head.authority ?? "127.0.0.1")"
            let url = base + request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
            try TwilioWebhooks.verify(signature: request.headers[HTTPField.Name("X-Twilio-Signature")!], authToken: token, url: url, form: pairs)
            return (gateway, try Self.query(request, maxBytes), Dictionary(pairs, uniquingKeysWith: { _, last in last }))
        }
        router.post("/webhooks/twilio/{gateway}/status") { request, context -> Response in
            try await Self.handle {
                let (gateway, query, form) = try await verifiedForm(request, context)
                try await sink.accept([try TwilioWebhooks.receipt(query: query, form: form, gateway: gateway)])
            }
        }
        router.post("/webhooks/twilio/{gateway}/gather") { request, context -> Response in
            let response = try await Self.handle {
                let (gateway, query, form) = try await verifiedForm(request, context)
                try await sink.accept(try TwilioWebhooks.gather(query: query, form: form, gateway: gateway))
            }
            guard response.status == .ok else { return response }
            var headers = HTTPFields()
            headers[.contentType] = "text/xml; charset=utf-8"
            let twiml = #"<?xml version="1.0" encoding="UTF-8"?><Response><Say language="zh-CN">谢谢，再见。</Say><Hangup/></Response>"#
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: twiml)))
        }
    }

    /// Aliyun expects `{"code":0,"msg":"成功"}`; anything else makes it retry.
    static func aliyunAnswer(_ work: () async throws -> Void) async throws -> Response {
        let response = try await handle(work)
        guard response.status == .ok else { return response }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"code":0,"msg":"成功"}"#)))
    }

    /// RFC 8058 one-click unsubscribe: the mail client POSTs
    /// `List-Unsubscribe=One-Click` to the URL in the List-Unsubscribe header.
    /// A GET (someone clicking the link) only shows a confirmation form, so
    /// link scanners cannot unsubscribe anyone.
    func registerEmail<Context: RequestContext>(on router: Router<Context>) {
        let signer = signer, sink = sink, maxBytes = maxBytes, gateways = gateways
        router.post("/webhooks/email/{gateway}/unsubscribe") { request, context -> Response in
            try await Self.handle {
                let body = try await request.body.collect(upTo: maxBytes)
                let gateway = try Self.gateway(context.parameters, .smtp, in: gateways)
                var query = try Self.query(request, maxBytes)
                for (key, value) in FormEncoding.decode(String(buffer: body)[...]) { query[key] = value }
                let id = try EmailWebhooks.verify(query: query, gateway: gateway, signer: signer)
                guard query["List-Unsubscribe"] == "One-Click" || query["confirm"] == "yes" else {
                    throw WebhookRejection(.malformed, "body must be List-Unsubscribe=One-Click")
                }
                try await sink.accept(InboundMessage(
                    channel: .email, kind: .unsubscribe, from: "", to: nil, body: "List-Unsubscribe=One-Click", gateway: gateway,
                    providerMessageId: "unsubscribe:\(id)", inReplyTo: id))
            }
        }
        router.get("/webhooks/email/{gateway}/unsubscribe") { request, context -> Response in
            let query = (try? Self.query(request, maxBytes)) ?? [:]
            guard let gateway = try? Self.gateway(context.parameters, .smtp, in: gateways),
                (try? EmailWebhooks.verify(query: query, gateway: gateway, signer: signer)) != nil
            else {
                return Response(status: .forbidden, body: ResponseBody(byteBuffer: ByteBuffer(string: "invalid link\n")))
            }
            let action = "?id=\(FormEncoding.escape(query["id"] ?? ""))&token=\(FormEncoding.escape(query["token"] ?? ""))"
            let page = """
                <!doctype html><html><head><meta charset="utf-8"><title>退订 Unsubscribe</title></head><body>
                <form method="post" action="\(action)"><input type="hidden" name="confirm" value="yes">
                <p>不再接收营销邮件？ Stop marketing email?</p><button type="submit">退订 Unsubscribe</button></form></body></html>
                """
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
    }

    static func query(_ request: Request, _ maxBytes: Int) throws(WebhookRejection) -> [String: String] {
        let raw = request.uri.query ?? ""
        guard raw.utf8.count <= maxBytes else { throw WebhookRejection(.tooLarge, "query longer than \(maxBytes) bytes") }
        return FormEncoding.decode(raw[...])
    }

    /// Runs a webhook's work; rejections become their status with a short text.
    static func handle(_ work: () async throws -> Void) async throws -> Response {
        do {
            try await work()
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return Response(status: .contentTooLarge, body: ResponseBody(byteBuffer: ByteBuffer(string: "body too large\n")))
        } catch let rejection as WebhookRejection {
            return Response(
                status: .init(code: rejection.status.rawValue),
                body: ResponseBody(byteBuffer: ByteBuffer(string: rejection.reason + "\n")))
        }
    }
}
