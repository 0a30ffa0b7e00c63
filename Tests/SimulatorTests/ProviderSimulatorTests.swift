import Channels
import CoreModel
import Foundation
import Logging
import Simulator
import TestSupport
import Testing

/// The built-in provider simulator, driven through its gateway over HTTP.
struct ProviderSimulatorTests {
    let signer = WebhookSigner(secret: "sim")

    /// The simulator on one loopback port, our webhooks on another, and a
    /// gateway between them.
    @discardableResult
    func withSimulator<T: Sendable>(
        _ behaviour: ProviderSimulator.Behaviour, sink: RecordingSink,
        _ body: @Sendable (SimulatorGateway, ProviderSimulator) async throws -> T
    ) async throws -> T {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let simulator = ProviderSimulator(behaviour: behaviour, transport: transport)
        let port = LocalPorts.block(1)
        var logger = Logger(label: "simulator")
        logger.logLevel = .warning
        let app = simulator.application(host: "127.0.0.1", port: port, logger: logger)
        let base = "http://127.0.0.1:\(port)"
        return try await withRunning(app, readyAt: "\(base)/health") {
            try await withWebhookServer(routes: WebhookRoutes(signer: signer, sink: sink, gateways: ["sim": .simulator])) { webhooks in
                let gateway = SimulatorGateway(
                    name: "sim", channels: [.sms, .voice, .fax, .email], baseURL: base,
                    callbackURL: "\(webhooks)/webhooks/simulator/sim/status", transport: transport, signer: signer)
                return try await body(gateway, simulator)
            }
        }
    }

    func message(
        _ id: Int64, key: String, to address: String = "+8613812345678", category: ConsentCategory = .service
    ) -> OutboundMessage {
        OutboundMessage(
            id: id, idempotencyKey: key, channel: .sms, to: address, content: MessageContent(text: "您好"),
            category: category)
    }

    /// The answer is lost (the client times out) but the provider took the
    /// message: the resend with the same key is a duplicate with the same id.
    @Test func aLostAnswerIsRecognisedOnTheResend() async throws {
        var behaviour = ProviderSimulator.Behaviour()
        behaviour.lostAnswerRate = 1
        behaviour.hangMs = 1_500
        behaviour.callbackDelayMs = nil
        try await withSimulator(behaviour, sink: RecordingSink()) { gateway, simulator in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let impatient = SimulatorGateway(
                name: "sim", channels: [.sms], baseURL: gateway.baseURL, callbackURL: nil, transport: transport, signer: signer,
                timeoutMs: 300)
            await #expect(throws: GatewayError.self) {
                try await impatient.send(message(5, key: "order:5:confirm:sms"))
            }
            let patient = SimulatorGateway(
                name: "sim", channels: [.sms], baseURL: impatient.baseURL, callbackURL: nil, transport: transport, signer: signer,
                timeoutMs: 5_000)
            let resent = try await patient.send(message(5, key: "order:5:confirm:sms"))
            #expect(resent.providerMessageId == "sim-1")
            #expect(simulator.stats.unique == 1)
            #expect(simulator.stats.duplicates == 1)
            #expect(simulator.stats.lostAnswers == 1)
            // The provider took the first request too: a provider without idempotency would have sent both.
            #expect(simulator.stats.keysSentMoreThanOnce == 1)
            #expect(simulator.stats.keysDeliveredTwice == 0)
        }
    }

    @Test func idempotencyKeysAreHonouredAndDeliveryIsReported() async throws {
        let sink = RecordingSink()
        try await withSimulator(ProviderSimulator.Behaviour(), sink: sink) { gateway, simulator in
            let first = try await gateway.send(message(1, key: "order:1:confirm:sms"))
            let again = try await gateway.send(message(1, key: "order:1:confirm:sms"))
            _ = try await gateway.send(message(2, key: "order:2:confirm:sms"))
            #expect(first.providerMessageId == again.providerMessageId)
            #expect(simulator.stats.unique == 2)
            #expect(simulator.stats.duplicates == 1)
            #expect(await sink.wait { $0.receipts.filter { $0.outcome == .delivered }.count == 2 })
            #expect(Set(sink.receipts.compactMap(\.messageId)) == [1, 2])
        }
    }

    /// A resend under the same key is counted as sent twice, but reaches the recipient once.
    @Test func aRepeatedKeyIsCountedButDeliveredOnce() async throws {
        let sink = RecordingSink()
        try await withSimulator(ProviderSimulator.Behaviour(), sink: sink) { gateway, simulator in
            _ = try await gateway.send(message(1, key: "order:1:confirm:sms"))
            _ = try await gateway.send(message(1, key: "order:1:confirm:sms"))
            let stats = simulator.stats
            #expect(stats.keysSentMoreThanOnce == 1)
            #expect(stats.keysDeliveredTwice == 0)
            #expect(stats.recipientsDeliveredTwice == 0)
            #expect(stats.recipientsWithTwoKeys == 0)
        }
    }

    /// Without deduplication the simulator is a provider that ignores keys:
    /// the resend is a second message, with its own id and its own receipt.
    @Test func withoutDeduplicationARepeatedKeyIsDeliveredTwice() async throws {
        var careless = ProviderSimulator.Behaviour()
        careless.deduplicate = false
        careless.callbackDelayMs = 10
        let sink = RecordingSink()
        try await withSimulator(careless, sink: sink) { gateway, simulator in
            let first = try await gateway.send(message(1, key: "order:1:confirm:sms"))
            let again = try await gateway.send(message(1, key: "order:1:confirm:sms"))
            #expect(first.providerMessageId != again.providerMessageId)
            let stats = simulator.stats
            #expect(stats.unique == 2)
            #expect(stats.duplicates == 0)
            #expect(stats.keysSentMoreThanOnce == 1)
            #expect(stats.keysDeliveredTwice == 1)
            #expect(stats.recipientsDeliveredTwice == 1)
            #expect(stats.recipientsWithTwoKeys == 0)
            #expect(await sink.wait { $0.receipts.filter { $0.outcome == .delivered }.count == 2 })
            let receipted = Set(sink.receipts.compactMap(\.providerMessageId))
            #expect(receipted == [first.providerMessageId, again.providerMessageId])
        }
    }

    /// Two different messages for one person are two deliveries to one address,
    /// which `recipientsWithTwoKeys` tells apart from a double send.
    @Test func twoKeysForOneAddressAreTwoMessagesNotADoubleSend() async throws {
        try await withSimulator(ProviderSimulator.Behaviour(), sink: RecordingSink()) { gateway, simulator in
            _ = try await gateway.send(message(1, key: "order:1:confirm:sms", to: "+8613900000001"))
            _ = try await gateway.send(message(2, key: "order:2:confirm:sms", to: "+8613900000001"))
            _ = try await gateway.send(message(3, key: "order:3:confirm:sms", to: "+8613900000002"))
            let stats = simulator.stats
            #expect(stats.recipientsWithTwoKeys == 1)
            #expect(stats.recipientsDeliveredTwice == 1)
            #expect(stats.keysSentMoreThanOnce == 0)
            #expect(stats.keysDeliveredTwice == 0)
        }
    }

    @Test func outagesAndThrottlingAreClassified() async throws {
        var down = ProviderSimulator.Behaviour()
        down.serverErrorRate = 1
        try await withSimulator(down, sink: RecordingSink()) { gateway, simulator in
            for _ in 0..<2 {
                await #expect(throws: GatewayError.transient(reason: "simulator HTTP 503", retryAfter: nil)) {
                    try await gateway.send(message(1, key: "a"))
                }
            }
            // Nothing was taken, so nothing could have been sent twice.
            #expect(simulator.stats.keysSentMoreThanOnce == 0)
        }
        var busy = ProviderSimulator.Behaviour()
        busy.throttleRate = 1
        busy.retryAfterSeconds = 7
        try await withSimulator(busy, sink: RecordingSink()) { gateway, _ in
            await #expect(throws: GatewayError.throttled(reason: "simulator: 429", retryAfter: 7)) {
                try await gateway.send(message(1, key: "a"))
            }
        }
    }

    /// A dropped connection takes nothing, but the client cannot know that: it
    /// sees no answer, and the simulator counts no message.
    @Test func droppedConnectionsAreUnansweredAndTakeNothing() async throws {
        var refusing = ProviderSimulator.Behaviour()
        refusing.refuseRate = 1
        try await withSimulator(refusing, sink: RecordingSink()) { gateway, simulator in
            do {
                _ = try await gateway.send(message(1, key: "a"))
                Issue.record("a dropped connection was taken as an answer")
            } catch let error as GatewayError {
                // The request went out before the connection broke: only this gateway may be asked again.
                guard case .unanswered = error else { Issue.record("got \(error)"); return }
                #expect(!error.allowsFailover)
            }
            #expect(simulator.stats.refused >= 1)
            #expect(simulator.stats.unique == 0)
        }
    }

    /// At an opt-out rate of 1, survey calls are answered with one of the
    /// question's keys (a key is no opt-out), survey and marketing SMS with
    /// 退订 — each linked to our message, and counted by what it said.
    @Test func surveysAreAnsweredAndMarketingOptedOut() async throws {
        var answering = ProviderSimulator.Behaviour()
        answering.answerRate = 1
        answering.optOutRate = 1
        answering.callbackDelayMs = 10
        let sink = RecordingSink()
        try await withSimulator(answering, sink: sink) { gateway, simulator in
            let call = OutboundMessage(
                id: 7, idempotencyKey: "survey:7:voice", channel: .voice, to: "+8613812345678",
                content: MessageContent(voice: .init(say: "请评分", gatherDigits: "12", gatherPrompt: "满意请按1")),
                category: .survey)
            _ = try await gateway.send(call)
            _ = try await gateway.send(message(8, key: "survey:8:sms", category: .survey))
            _ = try await gateway.send(message(9, key: "promo:9:sms", category: .marketing))
            _ = try await gateway.send(message(10, key: "order:10:sms", category: .service))
            #expect(await sink.wait { $0.inbound.count == 3 && $0.receipts.count == 4 })
            let byMessage = Dictionary(uniqueKeysWithValues: sink.inbound.map { ($0.inReplyTo ?? 0, $0) })
            #expect(byMessage[7]?.kind == .dtmf && ["1", "2"].contains(byMessage[7]?.body))
            #expect(byMessage[7]?.channel == .voice)
            #expect(byMessage[8]?.kind == .reply && byMessage[8]?.body == "退订")
            #expect(byMessage[9]?.kind == .reply && byMessage[9]?.body == "退订")
            #expect(byMessage[10] == nil)
            // The simulator counts an answer once our webhook has answered it, just after the sink has it.
            #expect(await sink.wait { _ in simulator.stats.answersSent == 3 })
            let key = try #require(byMessage[7]?.body)
            #expect(simulator.stats.answersByText == ["退订": 2, key: 1])
        }
    }

    /// With no opt-outs, a survey SMS gets a score and a marketing SMS nothing.
    @Test func surveySMSIsAnsweredWithAScore() async throws {
        var answering = ProviderSimulator.Behaviour()
        answering.answerRate = 1
        answering.callbackDelayMs = 10
        let sink = RecordingSink()
        try await withSimulator(answering, sink: sink) { gateway, simulator in
            _ = try await gateway.send(message(8, key: "survey:8:sms", category: .survey))
            _ = try await gateway.send(message(9, key: "promo:9:sms", category: .marketing))
            #expect(await sink.wait { $0.inbound.count == 1 && $0.receipts.count == 2 })
            let answer = try #require(sink.inbound.first)
            #expect(answer.inReplyTo == 8 && answer.kind == .reply && ["1", "2", "3", "4", "5"].contains(answer.body))
            #expect(await sink.wait { _ in simulator.stats.answersSent == 1 })
            #expect(simulator.stats.answersByText == [answer.body: 1])
        }
    }
}
