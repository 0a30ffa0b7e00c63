import Channels
import TestSupport
import CoreModel
import Foundation
import Synchronization
import Testing

/// SMS through a real Kannel (bearerbox + smsbox + fakesmsc from Debian's
/// kannel and kannel-extras packages), started by scripts/kannel/start.sh.
@Suite(.serialized, .enabled(if: FileManager.default.fileExists(atPath: "/usr/sbin/bearerbox"), "needs kannel (make test installs it)"))
struct KannelGatewayTests {
    let signer = WebhookSigner(secret: "test-secret")

    @Test func chineseTextArrivesIntactAndTheDLRComesBack() async throws {
        let sink = RecordingSink()
        // Kannel is stopped once the webhook server has closed its connections: killed while its DLR and MO
        // connections were open, it made NIO trap on a connection torn down mid-request.
        let started = Mutex<KannelPeer?>(nil)
        defer { started.withLock { $0 }?.stop() }
        try await withWebhookServer(routes: WebhookRoutes(signer: signer, sink: sink, gateways: ["kannel": .kannel])) { base in
            let mo = "\(base)/webhooks/kannel/kannel/mo?token=\(signer.inboundToken(gateway: "kannel"))&from=%p&to=%P&text=%b"
            let kannel = try KannelPeer.start(moURL: mo)
            started.withLock { $0 = kannel }
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let gateway = KannelGateway(
                settings: .init(
                    name: "kannel", sendsmsURL: kannel.sendsmsURL, username: "tidings", password: KannelPeer.password, from: "10690000",
                    dlrURL: "\(base)/webhooks/kannel/kannel/dlr", smsc: "fake"),
                transport: transport, signer: signer)
            let text = "【鸿福楼】王先生您好，您的订单SO123已确认，预计18:30送达。回T退订"
            let submission = try await gateway.send(OutboundMessage(
                id: 42, idempotencyKey: "order:SO123:confirm:sms", channel: .sms, to: "+8613812345678",
                content: MessageContent(text: text), category: .service))
            #expect(submission.segments == 1)

            let delivered = await sink.wait { $0.receipts.contains { $0.messageId == 42 && $0.outcome == .delivered } }
            #expect(delivered, "a type-1 DLR came back through dlr-url")
            #expect(sink.receipts.contains { $0.messageId == 42 && $0.outcome == .intermediate }, "and the SMSC ack (type 8)")
            let received = kannel.receivedTexts()
            #expect(received.contains { $0.to == "+8613812345678" && $0.text == text }, "fake SMSC got: \(received)")

            try kannel.injectMO(from: "8613812345678", to: "10690000", text: "退订")
            // Parsed as a reply: that 退订 means an opt-out is for the feedback rules to decide.
            let replied = await sink.wait { $0.inbound.contains { $0.kind == .reply } }
            #expect(replied)
            let inbound = try #require(sink.inbound.first)
            #expect(inbound.body == "退订")
            #expect(inbound.from == "+8613812345678")
            #expect(inbound.channel == .sms)
        }
    }

    @Test func postModeAndWrongPasswordAreClassified() async throws {
        let sink = RecordingSink()
        let started = Mutex<KannelPeer?>(nil)
        defer { started.withLock { $0 }?.stop() }
        try await withWebhookServer(routes: WebhookRoutes(signer: signer, sink: sink, gateways: ["kannel": .kannel])) { base in
            let kannel = try KannelPeer.start(moURL: "\(base)/unused")
            started.withLock { $0 = kannel }
            let transport = CurlTransport()
            defer { transport.shutdown() }
            func gateway(password: String, post: Bool) -> KannelGateway {
                KannelGateway(
                    settings: .init(
                        name: "kannel", sendsmsURL: kannel.sendsmsURL, username: "tidings", password: password, from: "10690000",
                        dlrURL: "\(base)/webhooks/kannel/kannel/dlr", smsc: "fake", usePOST: post),
                    transport: transport, signer: signer)
            }
            let message = OutboundMessage(
                id: 7, idempotencyKey: "k7", channel: .sms, to: "+8613900000000", content: MessageContent(text: "Table for 4 at 19:00 confirmed"),
                category: .service)
            _ = try await gateway(password: KannelPeer.password, post: true).send(message)
            #expect(await sink.wait { $0.receipts.contains { $0.messageId == 7 && $0.outcome == .delivered } })
            await #expect(throws: GatewayError.auth(reason: "Kannel refused the credentials: Authorization failed for sendsms")) {
                try await gateway(password: "wrong", post: false).send(message)
            }
        }
    }
}

struct KannelWebhookTests {
    let signer = WebhookSigner(secret: "s")

    @Test func forgedOrMalformedDLRsAreRefused() {
        let token = signer.token(gateway: "k", messageId: 5)
        #expect(throws: WebhookRejection(.forbidden, "token does not match message 6")) {
            try KannelWebhooks.receipt(query: ["id": "6", "token": token, "type": "1"], gateway: "k", signer: signer)
        }
        #expect(throws: WebhookRejection(.unauthenticated, "missing token")) {
            try KannelWebhooks.receipt(query: ["id": "5", "type": "1"], gateway: "k", signer: signer)
        }
        #expect(throws: WebhookRejection(.malformed, "missing or bad id")) {
            try KannelWebhooks.receipt(query: ["id": "x", "token": token, "type": "1"], gateway: "k", signer: signer)
        }
        #expect(throws: WebhookRejection(.malformed, "unknown DLR type 3")) {
            try KannelWebhooks.receipt(query: ["id": "5", "token": token, "type": "3"], gateway: "k", signer: signer)
        }
    }

    @Test(arguments: [(1, ReceiptOutcome.delivered), (2, .failed), (4, .intermediate), (8, .intermediate), (16, .failed)])
    func dlrTypes(_ type: Int, _ outcome: ReceiptOutcome) throws {
        let token = signer.token(gateway: "k", messageId: 5)
        let receipt = try KannelWebhooks.receipt(query: ["id": "5", "token": token, "type": String(type), "reply": "x"], gateway: "k", signer: signer)
        #expect(receipt.outcome == outcome)
    }

    @Test func unknownSubscriberFlagsTheAddress() throws {
        let token = signer.token(gateway: "k", messageId: 5)
        let receipt = try KannelWebhooks.receipt(
            query: ["id": "5", "token": token, "type": "2", "reply": "NACK/0x0000000b/Unknown Subscriber"], gateway: "k", signer: signer)
        #expect(receipt.addressInvalid)
    }
}

struct SMSSegmenterTests {
    @Test(arguments: [
        ("Hello", SMSSegmenter.Encoding.gsm7, 5, 1), (String(repeating: "a", count: 160), .gsm7, 160, 1),
        (String(repeating: "a", count: 161), .gsm7, 161, 2), (String(repeating: "a", count: 306), .gsm7, 306, 2),
        (String(repeating: "a", count: 307), .gsm7, 307, 3), ("€", .gsm7, 2, 1), (String(repeating: "{", count: 80), .gsm7, 160, 1),
        (String(repeating: "{", count: 81), .gsm7, 162, 2), ("您好", .ucs2, 2, 1), (String(repeating: "好", count: 70), .ucs2, 70, 1),
        (String(repeating: "好", count: 71), .ucs2, 71, 2), (String(repeating: "好", count: 100), .ucs2, 100, 2),
        (String(repeating: "好", count: 135), .ucs2, 135, 3), ("😀", .ucs2, 2, 1),
    ])
    func counts(_ text: String, _ encoding: SMSSegmenter.Encoding, _ units: Int, _ segments: Int) {
        let count = SMSSegmenter.count(text)
        #expect(count.encoding == encoding)
        #expect(count.units == units)
        #expect(count.segments == segments)
    }
}
