import Channels
import CoreModel
import Foundation
import Hummingbird
import TestSupport
import Testing

/// Twilio-compatible Messages and Calls against a loopback stand-in of the
/// REST API, and signed callbacks posted to our webhooks the way Twilio does.
struct TwilioGatewayTests {
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let token = "twilio-auth-token"

    static func register(on router: Router<BasicRequestContext>) {
        for resource in ["Messages", "Calls"] {
            router.post("/2010-04-01/Accounts/\(sid)/\(resource).json") { request, _ -> Response in
                let expected = "Basic " + Data("\(sid):\(token)".utf8).base64EncodedString()
                guard request.headers[.authorization] == expected else {
                    return Response(status: .unauthorized, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"code":20003,"message":"Authenticate"}"#)))
                }
                let form = FormEncoding.decode(String(buffer: try await request.body.collect(upTo: 65536))[...])
                if form["To"] == "+8613800000000" {
                    return Response(status: .badRequest, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"code":21211,"message":"Invalid 'To' Phone Number"}"#)))
                }
                if resource == "Calls", !(form["Twiml"] ?? "").contains(#"<Say language="zh-CN">"#) {
                    return Response(status: .badRequest, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"code":21205,"message":"no TwiML"}"#)))
                }
                if form["To"] == "+8613700000000" {  // taken, but the answer lost its sid
                    let body = ByteBuffer(string: #"{"status":"queued"}"#)
                    return Response(status: .created, body: ResponseBody(byteBuffer: body))
                }
                let prefix = resource == "Messages" ? "SM" : "CA"
                return Response(status: .created, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"sid":"\#(prefix)42","status":"queued"}"#)))
            }
        }
    }

    @Test func messagesCallsAndSignedCallbacks() async throws {
        let sink = RecordingSink()
        var routes = WebhookRoutes(signer: WebhookSigner(secret: "x"), sink: sink, gateways: ["tw": .twilio])
        routes.twilioTokens = ["tw": Self.token]
        try await withWebhookServer(routes: routes, extra: Self.register) { base in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            func gateway(token: String) -> TwilioGateway {
                TwilioGateway(
                    settings: .init(name: "tw", apiBase: base, accountSid: Self.sid, authToken: token, from: "+14155550100", callbackBase: "\(base)/webhooks/twilio/tw"),
                    transport: transport)
            }
            let sms = OutboundMessage(id: 5, idempotencyKey: "k5", channel: .sms, to: "+8613812345678", content: MessageContent(text: "您好"), category: .service)
            #expect(try await gateway(token: Self.token).send(sms).providerMessageId == "SM42")
            let call = OutboundMessage(
                id: 6, idempotencyKey: "k6", channel: .voice, to: "+8613812345678",
                content: MessageContent(voice: .init(say: "您预订的包间已确认", gatherDigits: "12", gatherPrompt: "确认请按1，取消请按2")), category: .service)
            #expect(try await gateway(token: Self.token).send(call).providerMessageId == "CA42")
            await #expect(throws: GatewayError.invalidAddress(reason: "Twilio 400 21211: Invalid 'To' Phone Number")) {
                try await gateway(token: Self.token).send(OutboundMessage(
                    id: 7, idempotencyKey: "k7", channel: .sms, to: "+8613800000000", content: MessageContent(text: "x"), category: .service))
            }
            await #expect(throws: GatewayError.auth(reason: "Twilio 401 20003: Authenticate")) { try await gateway(token: "wrong").send(sms) }
            let lost = OutboundMessage(
                id: 8, idempotencyKey: "k8", channel: .sms, to: "+8613700000000", content: MessageContent(text: "x"),
                category: .service)
            let unidentified = GatewayError.unanswered(
                reason: "tw answered 201 without sid: it may have taken the message")
            await #expect(throws: unidentified) { try await gateway(token: Self.token).send(lost) }

            func post(_ path: String, _ form: [(String, String)], signature: String?) async throws -> OutboundResponse {
                var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded")]
                if let signature { headers.append(("X-Twilio-Signature", signature)) }
                return try await transport.send(OutboundRequest(method: .post, url: base + path, headers: headers, body: Array(FormEncoding.encode(form).utf8)))
            }
            let status = [("MessageSid", "SM42"), ("MessageStatus", "delivered"), ("To", "+8613812345678")]
            let statusPath = "/webhooks/twilio/tw/status?id=5"
            let good = TwilioSignature.compute(authToken: Self.token, url: base + statusPath, parameters: status)
            #expect(try await post(statusPath, status, signature: good).status == 200)
            #expect(try await post(statusPath, status, signature: TwilioSignature.compute(authToken: "guess", url: base + statusPath, parameters: status)).status == 403)
            #expect(try await post(statusPath, status, signature: nil).status == 401)
            #expect(sink.receipts.count == 1)
            #expect(sink.receipts.first?.messageId == 5)
            #expect(sink.receipts.first?.outcome == .delivered)

            let gather = [("CallSid", "CA42"), ("Digits", "1"), ("To", "+8613812345678"), ("From", "+14155550100")]
            let gatherPath = "/webhooks/twilio/tw/gather?id=6"
            let answer = try await post(gatherPath, gather, signature: TwilioSignature.compute(authToken: Self.token, url: base + gatherPath, parameters: gather))
            #expect(answer.status == 200)
            #expect(answer.text.contains("<Response>"))
            #expect(sink.inbound.first?.kind == .dtmf)
            #expect(sink.inbound.first?.body == "1")
            #expect(sink.inbound.first?.inReplyTo == 6)
        }
    }

    @Test func twimlSaysInChineseAndGathersOneDigit() {
        let twiml = TwilioGateway.twiml(
            .init(say: "您预订的包间已确认 & 欢迎", playURL: "http://127.0.0.1/a.wav", gatherDigits: "12", gatherPrompt: "确认请按1"), gatherURL: "http://h/g?id=1&x=2")
        #expect(twiml.contains(#"<Say language="zh-CN">您预订的包间已确认 &amp; 欢迎</Say>"#))
        #expect(twiml.contains("<Play>http://127.0.0.1/a.wav</Play>"))
        #expect(twiml.contains(#"<Gather input="dtmf" numDigits="1""#))
        #expect(twiml.contains(#"action="http://h/g?id=1&amp;x=2""#))
    }
}
