import Channels
import CoreModel
import Foundation
import Hummingbird
import TestSupport
import Synchronization
import Testing

/// Aliyun SendSms against a loopback stand-in that checks every request the
/// way Dysmsapi does (recomputes the RPC signature) and answers with
/// Dysmsapi's response codes.
struct AliyunSMSGatewayTests {
    static let secret = "testSecret"

    /// Answers like Dysmsapi: bad signature → SignatureDoesNotMatch; phone decides the rest.
    static func register(on router: Router<BasicRequestContext>) { register(on: router, calls: nil) }

    /// `calls` records each signed call's Action and numbers.
    static func register(on router: Router<BasicRequestContext>, calls: CallLog?) {
        router.get("/aliyun") { request, _ -> Response in
            let query = FormEncoding.decode((request.uri.query ?? "")[...])
            var unsigned = query
            unsigned["Signature"] = nil
            let code: String
            if query["Signature"] != AliyunSignature.sign(unsigned, accessKeySecret: secret) {
                code = "SignatureDoesNotMatch"
            } else if query["Action"] == "SendBatchSms" {
                let phones = (try? JSONDecoder().decode([String].self, from: Data((query["PhoneNumberJson"] ?? "").utf8))) ?? []
                let signs = (try? JSONDecoder().decode([String].self, from: Data((query["SignNameJson"] ?? "").utf8))) ?? []
                let parameters = (try? JSONDecoder().decode([[String: String]].self, from: Data((query["TemplateParamJson"] ?? "").utf8))) ?? []
                if phones.isEmpty || signs != Array(repeating: "鸿福楼", count: phones.count) || parameters.count != phones.count || query["OutId"] == nil {
                    code = "MissingParameter"
                } else {
                    code = phones.contains("13800000000") ? "isv.MOBILE_NUMBER_ILLEGAL" : "OK"
                }
                calls?.entries.withLock { $0.append(("SendBatchSms", phones)) }
            } else if query["OutId"] == nil || query["SignName"] != "鸿福楼" || query["Action"] != "SendSms" {
                code = "MissingParameter"
            } else {
                switch query["PhoneNumbers"] {
                case "13800000000": code = "isv.MOBILE_NUMBER_ILLEGAL"
                case "13900000000": code = "isv.BUSINESS_LIMIT_CONTROL"
                default: code = "OK"
                }
                calls?.entries.withLock { $0.append(("SendSms", [query["PhoneNumbers"] ?? ""])) }
            }
            // 13700000000: accepted, but the answer lost its BizId.
            let bizId = query["PhoneNumbers"] == "13700000000" ? "" : #","BizId":"biz-\#(query["OutId"] ?? "")""#
            let body = #"{"Code":"\#(code)","Message":"\#(code == "OK" ? "OK" : "refused")","RequestId":"r1"\#(bizId)}"#
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
    }

    func message(_ to: String, id: Int64 = 77) -> OutboundMessage {
        OutboundMessage(
            id: id, idempotencyKey: "order:SO9:confirm:sms", channel: .sms, to: to,
            content: MessageContent(text: "订单SO9已确认", providerTemplate: "SMS_71390007", templateParameters: ["order": "SO9"]), category: .service)
    }

    @Test func signedRequestIsAcceptedAndCodesAreClassified() async throws {
        let sink = RecordingSink()
        try await withWebhookServer(routes: WebhookRoutes(signer: WebhookSigner(secret: "x"), sink: sink, gateways: ["aliyun": .aliyun]), extra: Self.register) { base in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            func gateway(secret: String) -> AliyunSMSGateway {
                AliyunSMSGateway(
                    settings: .init(name: "aliyun", endpoint: "\(base)/aliyun", accessKeyId: "testId", accessKeySecret: secret, signName: "鸿福楼"),
                    transport: transport)
            }
            let accepted = try await gateway(secret: Self.secret).send(message("+8613812345678"))
            #expect(accepted.providerMessageId == "biz-77", "OutId carried our message id")
            await #expect(throws: GatewayError.invalidAddress(reason: "isv.MOBILE_NUMBER_ILLEGAL: refused")) {
                try await gateway(secret: Self.secret).send(message("+8613800000000"))
            }
            await #expect(throws: GatewayError.throttled(reason: "isv.BUSINESS_LIMIT_CONTROL: refused", retryAfter: nil)) {
                try await gateway(secret: Self.secret).send(message("+8613900000000"))
            }
            await #expect(throws: GatewayError.auth(reason: "SignatureDoesNotMatch: refused")) {
                try await gateway(secret: "wrong").send(message("+8613812345678"))
            }
            let unidentified = GatewayError.unanswered(
                reason: "aliyun answered 200 without BizId: it may have taken the message")
            await #expect(throws: unidentified) {
                try await gateway(secret: Self.secret).send(message("+8613700000000"))
            }
        }
    }
}

/// The calls the Dysmsapi stand-in took.
final class CallLog: Sendable {
    let entries = Mutex<[(action: String, phones: [String])]>([])
}

extension AliyunSMSGatewayTests {
    /// SendBatchSms: one call per template and up to batch_size numbers; each
    /// message's provider id is BizId:number; a batch refused for one bad
    /// number is resent one by one, so only that number fails.
    @Test func batchesGoThroughSendBatchSms() async throws {
        let calls = CallLog()
        try await withWebhookServer(routes: WebhookRoutes(signer: WebhookSigner(secret: "x"), sink: RecordingSink(), gateways: ["aliyun": .aliyun]), extra: { Self.register(on: $0, calls: calls) }) { base in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let gateway = AliyunSMSGateway(
                settings: .init(name: "aliyun", endpoint: "\(base)/aliyun", accessKeyId: "testId", accessKeySecret: Self.secret, signName: "鸿福楼", batchSize: 2),
                transport: transport)
            let numbers = ["+8613812340001", "+8613812340002", "+8613812340003"]
            let results = await gateway.send(batch: numbers.enumerated().map { message($1, id: Int64(100 + $0)) })
            let ids = results.map { try? $0.get().providerMessageId }
            #expect(ids == ["biz-batch-100:13812340001", "biz-batch-100:13812340002", "biz-102"])
            #expect(calls.entries.withLock { $0.map(\.action) }.sorted() == ["SendBatchSms", "SendSms"])

            calls.entries.withLock { $0.removeAll() }
            let mixed = await gateway.send(batch: [message("+8613812340001", id: 200), message("+8613800000000", id: 201)])
            #expect((try? mixed[0].get().providerMessageId) == "biz-200")
            #expect(throws: GatewayError.invalidAddress(reason: "isv.MOBILE_NUMBER_ILLEGAL: refused")) { try mixed[1].get() }
            #expect(calls.entries.withLock { $0.map(\.action) } == ["SendBatchSms", "SendSms", "SendSms"], "the refused batch was resent one by one")
        }
    }
}

struct AliyunWebhookTests {
    let signer = WebhookSigner(secret: "s")

    @Test func smsReportMatchesOnOutId() throws {
        // The shape of Aliyun's SmsReport push.
        let body = #"[{"phone_number":"13812345678","send_time":"2017-01-01 11:11:11","report_time":"2017-02-02 22:22:22","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"12345","out_id":"67890"},{"phone_number":"13800000000","success":false,"err_code":"MK:0001","err_msg":"MOBILE_NOT_ON_SERVICE","biz_id":"12346","out_id":"67891"}]"#
        let receipts = try AliyunWebhooks.receipts(
            query: ["token": signer.inboundToken(gateway: "ali")], body: Array(body.utf8), gateway: "ali", signer: signer)
        #expect(receipts.count == 2)
        #expect(receipts[0].messageId == 67890)
        #expect(receipts[0].outcome == .delivered)
        #expect(receipts[1].outcome == .failed)
        #expect(receipts[1].addressInvalid)
    }

    @Test func batchReportsMatchOnBizIdAndNumber() throws {
        let body = #"[{"phone_number":"13812340002","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","biz_id":"B7","out_id":"batch-100"}]"#
        let receipts = try AliyunWebhooks.receipts(
            query: ["token": signer.inboundToken(gateway: "ali")], body: Array(body.utf8), gateway: "ali", signer: signer)
        #expect(receipts.first?.messageId == nil)
        #expect(receipts.first?.providerMessageId == "B7:13812340002")
    }

    @Test func smsUpOptOutAndForgery() throws {
        let body = #"[{"phone_number":"13812345678","send_time":"2017-01-01 00:00:00","content":"退订","sign_name":"鸿福楼","dest_code":"1231231","sequence_id":1234}]"#
        let inbound = try AliyunWebhooks.inbound(query: ["token": signer.inboundToken(gateway: "ali")], body: Array(body.utf8), gateway: "ali", signer: signer)
        #expect(inbound.first?.kind == .reply && inbound.first?.body == "退订")
        #expect(inbound.first?.from == "+8613812345678")
        #expect(throws: WebhookRejection(.forbidden, "bad token")) {
            try AliyunWebhooks.inbound(query: ["token": "forged"], body: Array(body.utf8), gateway: "ali", signer: signer)
        }
        #expect(throws: WebhookRejection(.malformed, "body is not an SmsUp array")) {
            try AliyunWebhooks.inbound(query: ["token": signer.inboundToken(gateway: "ali")], body: Array("{".utf8), gateway: "ali", signer: signer)
        }
    }
}
