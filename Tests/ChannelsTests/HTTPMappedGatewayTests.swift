import Channels
import CoreModel
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import TestSupport
import Testing

/// The config-mapped `http` adapter against a loopback stand-in of a typical
/// Chinese SMS API (JSON in, `{"code":0,"data":{"msg_id":…}}` out, receipts
/// pushed back as JSON arrays).
struct HTTPMappedGatewayTests {
    static let options: [String: String] = [
        "body": #"{"mobile":"{{to}}","content":"{{text}}","ref":"{{id}}","notify":"{{callback}}"}"#,
        "header.Authorization": "Bearer {{credentials.token}}",
        "id_field": "data.msg_id",
        "success": "code=0",
        "throttled": "code=1001|1002",
        "invalid_address": "code=2001",
        "receipt.id_field": "msg_id",
        "receipt.status_field": "stat",
        "receipt.detail_field": "desc",
        "receipt.delivered": "DELIVRD",
        "receipt.failed": "UNDELIV|EXPIRED",
        "receipt.invalid": "UNKNOWN_NUMBER",
    ]

    /// What the stand-in received, to check the rendered requests.
    final class Received: Sendable {
        let bodies = Mutex<[String]>([])
    }

    static func register(_ received: Received) -> (Router<BasicRequestContext>) -> Void {
        { router in
            router.post("/acme/sms") { request, _ -> Response in
                guard request.headers[.authorization] == "Bearer t0ken" else {
                    return Response(status: .unauthorized, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"code":401}"#)))
                }
                let body = String(buffer: try await request.body.collect(upTo: 65536))
                received.bodies.withLock { $0.append(body) }
                let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String] ?? [:]
                let answer: String
                switch json["mobile"] {
                case "+8613800000000": answer = #"{"code":2001,"msg":"号码不存在"}"#
                case "+8613900000000": answer = #"{"code":1001,"msg":"too fast"}"#
                case "+8613700000000": return Response(status: .serviceUnavailable)
                case "+8613600000000": answer = #"{"code":0}"#
                default: answer = #"{"code":0,"data":{"msg_id":"A-\#(json["ref"] ?? "")"}}"#
                }
                return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
            }
        }
    }

    func gateway(_ base: String, transport: CurlTransport, token: String = "t0ken") throws -> HTTPMappedGateway {
        let mapping = try HTTPMappedGateway.Mapping.parse(options: Self.options, credentials: ["token"]).get()
        return HTTPMappedGateway(
            name: "acme", channels: [.sms], url: "\(base)/acme/sms", mapping: mapping, credentials: ["token": token],
            callbackURL: "http://127.0.0.1:1/webhooks/http/acme/receipt?token=T", transport: transport)
    }

    func message(_ to: String, text: String = #"【鸿福楼】订单SO9已确认 "A&B" \ 谢谢"#) -> OutboundMessage {
        OutboundMessage(id: 41, idempotencyKey: "order:SO9", channel: .sms, to: to, content: MessageContent(text: text), category: .service)
    }

    @Test func answersAreClassifiedAsMapped() async throws {
        let received = Received()
        try await withWebhookServer(routes: WebhookRoutes(signer: WebhookSigner(secret: "x"), sink: RecordingSink(), gateways: ["acme": .http, "faxco": .http]), extra: Self.register(received)) { base in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let gateway = try gateway(base, transport: transport)
            let accepted = try await gateway.send(message("+8613812345678"))
            #expect(accepted.providerMessageId == "A-41")
            #expect(accepted.segments == 1)
            // The body template got JSON-escaped values: quotes and backslash survive a round trip.
            let sent = try #require(received.bodies.withLock { $0.first })
            let decoded = try JSONSerialization.jsonObject(with: Data(sent.utf8)) as? [String: String]
            #expect(decoded?["content"] == #"【鸿福楼】订单SO9已确认 "A&B" \ 谢谢"#)
            #expect(decoded?["notify"] == "http://127.0.0.1:1/webhooks/http/acme/receipt?token=T")
            await #expect(throws: GatewayError.invalidAddress(reason: #"acme: {"code":2001,"msg":"号码不存在"}"#)) {
                try await gateway.send(message("+8613800000000"))
            }
            await #expect(throws: GatewayError.throttled(reason: #"acme: {"code":1001,"msg":"too fast"}"#, retryAfter: nil)) {
                try await gateway.send(message("+8613900000000"))
            }
            await #expect(throws: GatewayError.transient(reason: "acme HTTP 503", retryAfter: nil)) {
                try await gateway.send(message("+8613700000000"))
            }
            // A yes without the provider's id: it may hold the message, so no failover.
            let unidentified = GatewayError.unanswered(
                reason: "acme answered 200 without data.msg_id: it may have taken the message")
            await #expect(throws: unidentified) { try await gateway.send(message("+8613600000000")) }
            #expect(!unidentified.allowsFailover)
            await #expect(throws: GatewayError.auth(reason: #"acme HTTP 401: {"code":401}"#)) {
                try await self.gateway(base, transport: transport, token: "wrong").send(message("+8613812345678"))
            }
            // A batch goes out in one hand-off and comes back in order.
            let batch = await gateway.send(batch: [message("+8613812345678"), message("+8613800000000")])
            #expect((try? batch[0].get())?.providerMessageId == "A-41")
            #expect(throws: GatewayError.self) { try batch[1].get() }
        }
    }

    @Test func formBodiesArePercentEncoded() throws {
        var options = Self.options
        options["content_type"] = "form"
        options["body"] = "mobile={{to}}&content={{text}}"
        let mapping = try HTTPMappedGateway.Mapping.parse(options: options, credentials: ["token"]).get()
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let gateway = HTTPMappedGateway(
            name: "acme", channels: [.sms], url: "http://127.0.0.1:9/x", mapping: mapping, credentials: ["token": "t"], callbackURL: "", transport: transport)
        let request = try gateway.request(for: message("+8613812345678", text: "订单 A&B=1"))
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body == "mobile=%2B8613812345678&content=%E8%AE%A2%E5%8D%95%20A%26B%3D1")
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value.hasPrefix("application/x-www-form-urlencoded") })
    }

    @Test func badMappingsAreReportedByOption() {
        var options = Self.options
        options["body"] = #"{"to":"{{phone}}","k":"{{credentials.missing}}"}"#
        options["success"] = "code"
        options["format"] = "xml"
        guard case .failure(let problems) = HTTPMappedGateway.Mapping.parse(options: options, credentials: ["token"]) else {
            Issue.record("a bad mapping was accepted")
            return
        }
        let byKey = Dictionary(grouping: problems.list, by: \.key).mapValues { $0.map(\.message) }
        #expect(byKey["body"]?.count == 2, "{{phone}} and {{credentials.missing}}")
        #expect(byKey["body"]?.first?.contains("unknown placeholder {{phone}}") == true)
        #expect(byKey["success"] == ["expected FIELD=VALUE[|VALUE…], e.g. code=0"])
        #expect(byKey["format"]?.first?.hasPrefix("unknown option for http") == true)
    }

    @Test func receiptsAreMappedAndAuthenticated() async throws {
        let mapping = try HTTPMappedGateway.Mapping.parse(options: Self.options, credentials: ["token"]).get().receipt
        let signer = WebhookSigner(secret: "s")
        let sink = RecordingSink()
        var routes = WebhookRoutes(signer: signer, sink: sink, gateways: ["acme": .http])
        routes.httpReceipts = ["acme": mapping]
        try await withWebhookServer(routes: routes) { base in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let url = "\(base)/webhooks/http/acme/receipt"
            func post(_ query: String, _ body: String) async throws -> Int {
                try await transport.send(OutboundRequest(
                    method: .post, url: url + query, headers: [("Content-Type", "application/json")], body: Array(body.utf8))).status
            }
            let token = "?token=\(signer.inboundToken(gateway: "acme"))"
            let body = #"[{"msg_id":"A-41","stat":"DELIVRD"},{"msg_id":"A-42","stat":"UNKNOWN_NUMBER","desc":"空号"},{"msg_id":"A-43","stat":"ACCEPTD"}]"#
            let refused = [
                try await post("?token=forged", body), try await post("", body), try await post(token, #"[{"stat":"DELIVRD"}]"#),
                try await post(token, "{not json"),
            ]
            #expect(refused == [403, 401, 400, 400])
            #expect(sink.receipts.isEmpty, "nothing from refused webhooks")
            let accepted = try await post(token, body)
            #expect(accepted == 200)
            let receipts = sink.receipts
            #expect(receipts.map(\.providerMessageId) == ["A-41", "A-42", "A-43"])
            #expect(receipts.map(\.outcome) == [.delivered, .failed, .intermediate])
            #expect(receipts[1].addressInvalid)
            #expect(receipts[1].detail == "UNKNOWN_NUMBER: 空号")
        }
    }
}

/// An HTTP fax API: multipart upload of the rendered PDF plus fields, the
/// provider's job id back, fax status through the mapped receipt webhook.
struct HTTPFaxGatewayTests {
    @Test func faxIsUploadedAsMultipartWithThePDF() async throws {
        let received = HTTPMappedGatewayTests.Received()
        let extra: (Router<BasicRequestContext>) -> Void = { router in
            router.post("/fax/send") { request, _ -> Response in
                let type = request.headers[.contentType] ?? ""
                let body = try await request.body.collect(upTo: 1 << 20)
                received.bodies.withLock { $0.append(type + "\n" + String(decoding: Array(buffer: body), as: UTF8.self)) }
                return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"ok":true,"job":{"id":"FX-9"}}"#)))
            }
        }
        try await withWebhookServer(routes: WebhookRoutes(signer: WebhookSigner(secret: "x"), sink: RecordingSink(), gateways: ["acme": .http, "faxco": .http]), extra: extra) { base in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let mapping = try HTTPMappedGateway.Mapping.parse(
                options: [
                    "content_type": "multipart", "body": "to={{to}}&title={{subject}}&notify={{callback}}", "file_field": "document",
                    "id_field": "job.id", "success": "ok=true", "receipt.ref_field": "ref", "receipt.status_field": "status",
                ], credentials: []
            ).get()
            let gateway = HTTPMappedGateway(
                name: "faxco", channels: [.fax], url: "\(base)/fax/send", mapping: mapping, credentials: [:], callbackURL: "http://127.0.0.1:1/cb?token=T",
                transport: transport)
            let document = MessageContent.FaxDocument(title: "鸿福楼 订单确认", lines: ["订单 SO9：宫保鸡丁 ×2", "送达 18:30"])
            let submission = try await gateway.send(OutboundMessage(
                id: 41, idempotencyKey: "order:SO9:fax", channel: .fax, to: "+862155550000", content: MessageContent(fax: document), category: .service))
            #expect(submission.providerMessageId == "FX-9")
            let sent = try #require(received.bodies.withLock { $0.first })
            #expect(sent.hasPrefix("multipart/form-data; boundary="))
            #expect(sent.contains("name=\"to\"\r\n\r\n+862155550000\r\n"))
            #expect(sent.contains("name=\"title\"\r\n\r\n鸿福楼 订单确认\r\n"))
            #expect(sent.contains("name=\"document\"; filename=\"fax-41.pdf\"\r\nContent-Type: application/pdf"))
            let pdf = String(decoding: try FaxDocumentPDF.render(document), as: UTF8.self)
            #expect(sent.contains(pdf), "the rendered fax PDF is the uploaded file")
        }
    }

    @Test func aFaxWithACharacterNoFontHasStillGoes() throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let mapping = try HTTPMappedGateway.Mapping.parse(
            options: ["content_type": "multipart", "body": "to={{to}}", "file_field": "document", "id_field": "job.id"],
            credentials: []
        ).get()
        let gateway = HTTPMappedGateway(
            name: "faxco", channels: [.fax], url: "http://127.0.0.1:9/fax/send", mapping: mapping, credentials: [:],
            callbackURL: "", transport: transport)
        let document = MessageContent.FaxDocument(title: "鸿福楼 订单确认", lines: ["备注：\u{17000}"])
        let message = OutboundMessage(
            id: 42, idempotencyKey: "order:SO10:fax", channel: .fax, to: "+862155550000",
            content: MessageContent(fax: document), category: .service)
        // Printed as "?" (FaxDocumentPDFTests): an order fax is not lost over one character.
        #expect(throws: Never.self) { try gateway.request(for: message) }
    }
}
