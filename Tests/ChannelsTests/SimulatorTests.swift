@testable import Channels
import CoreModel
import Foundation
import Hummingbird
import TestSupport
import Testing

/// The built-in provider simulator, driven through its gateway over HTTP.
struct SimulatorTests {
    let signer = WebhookSigner(secret: "sim")

    func withSimulator<T: Sendable>(
        _ behaviour: ProviderSimulator.Behaviour, sink: RecordingSink, _ body: @Sendable (SimulatorGateway, ProviderSimulator) async throws -> T
    ) async throws -> T {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let simulator = ProviderSimulator(behaviour: behaviour, transport: transport)
        let routes = WebhookRoutes(signer: signer, sink: sink)
        return try await withWebhookServer(routes: routes, server: simulator.server, extra: { simulator.register(on: $0) }) { base in
            let gateway = SimulatorGateway(
                name: "sim", channels: [.sms, .voice, .fax, .email], baseURL: base, callbackURL: "\(base)/webhooks/simulator/sim/status",
                transport: transport, signer: signer)
            return try await body(gateway, simulator)
        }
    }

    func message(_ id: Int64, key: String, category: ConsentCategory = .service) -> OutboundMessage {
        OutboundMessage(id: id, idempotencyKey: key, channel: .sms, to: "+8613812345678", content: MessageContent(text: "您好"), category: category)
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
                name: "sim", channels: [.sms], baseURL: gateway.baseURL, callbackURL: nil, transport: transport, signer: signer, timeoutMs: 300)
            await #expect(throws: GatewayError.self) { try await impatient.send(message(5, key: "order:5:confirm:sms")) }
            let patient = SimulatorGateway(
                name: "sim", channels: [.sms], baseURL: impatient.baseURL, callbackURL: nil, transport: transport, signer: signer, timeoutMs: 5_000)
            let resent = try await patient.send(message(5, key: "order:5:confirm:sms"))
            #expect(resent.providerMessageId == "sim-1")
            #expect(simulator.stats.unique == 1)
            #expect(simulator.stats.duplicates == 1)
            #expect(simulator.stats.lostAnswers == 1)
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

    @Test func outagesAndThrottlingAreClassified() async throws {
        var down = ProviderSimulator.Behaviour()
        down.serverErrorRate = 1
        try await withSimulator(down, sink: RecordingSink()) { gateway, _ in
            await #expect(throws: GatewayError.transient(reason: "simulator HTTP 503", retryAfter: nil)) { try await gateway.send(message(1, key: "a")) }
        }
        var busy = ProviderSimulator.Behaviour()
        busy.throttleRate = 1
        busy.retryAfterSeconds = 7
        try await withSimulator(busy, sink: RecordingSink()) { gateway, _ in
            await #expect(throws: GatewayError.throttled(reason: "simulator: 429", retryAfter: 7)) { try await gateway.send(message(1, key: "a")) }
        }
    }

    @Test func refusedConnectionsAreTransient() async throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let gateway = SimulatorGateway(
            name: "sim", channels: [.sms], baseURL: "http://127.0.0.1:\(LocalPorts.block(1))", callbackURL: nil, transport: transport, signer: signer)
        do {
            _ = try await gateway.send(message(1, key: "a"))
            Issue.record("a refused connection was accepted")
        } catch {
            guard case .transient = error else { Issue.record("got \(error)"); return }
            #expect(error.allowsFailover, "nothing was sent: the next gateway may take it")
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

    /// Survey calls are answered with one of the question's keys, survey SMS
    /// with a score, marketing SMS with 退订 — each linked to our message.
    @Test func surveysAreAnsweredAndMarketingOptedOut() async throws {
        var answering = ProviderSimulator.Behaviour()
        answering.answerRate = 1
        answering.optOutRate = 1
        answering.callbackDelayMs = 10
        let sink = RecordingSink()
        try await withSimulator(answering, sink: sink) { gateway, simulator in
            let call = OutboundMessage(
                id: 7, idempotencyKey: "survey:7:voice", channel: .voice, to: "+8613812345678",
                content: MessageContent(voice: .init(say: "请评分", gatherDigits: "12", gatherPrompt: "满意请按1")), category: .survey)
            _ = try await gateway.send(call)
            _ = try await gateway.send(message(8, key: "survey:8:sms", category: .survey))
            _ = try await gateway.send(message(9, key: "promo:9:sms", category: .marketing))
            _ = try await gateway.send(message(10, key: "order:10:sms", category: .service))
            #expect(await sink.wait { $0.inbound.count == 3 && $0.receipts.count == 4 })
            let byMessage = Dictionary(uniqueKeysWithValues: sink.inbound.map { ($0.inReplyTo ?? 0, $0) })
            #expect(byMessage[7]?.kind == .dtmf && ["1", "2"].contains(byMessage[7]?.body))
            #expect(byMessage[7]?.channel == .voice)
            #expect(byMessage[8]?.kind == .reply && ["1", "2", "3", "4", "5"].contains(byMessage[8]?.body))
            #expect(byMessage[9]?.kind == .reply && byMessage[9]?.body == "退订")
            #expect(byMessage[10] == nil)
            // The simulator counts an answer once our webhook has answered it, just after the sink has it.
            #expect(await sink.wait { _ in simulator.stats.answersSent == 3 })
        }
    }

    @Test func answerCallbacksAreAuthenticatedAndChecked() throws {
        let token = signer.token(gateway: "sim", messageId: 4)
        func parse(_ body: String, token: String? = nil) throws(WebhookRejection) -> SimulatorWebhooks.Callback {
            var query = ["id": "4"]
            query["token"] = token
            return try SimulatorWebhooks.callback(query: query, body: Array(body.utf8), gateway: "sim", signer: signer)
        }
        guard case .inbound(let answer) = try parse(#"{"id":"sim-1","event":"dtmf","text":"2"}"#, token: token) else {
            Issue.record("an answer was not read as inbound")
            return
        }
        #expect(answer.inReplyTo == 4 && answer.body == "2" && answer.providerMessageId == "sim-1:dtmf")
        func refusal(_ body: String, token: String?) -> WebhookRejection.Status? {
            do { _ = try parse(body, token: token) } catch { return error.status }
            return nil
        }
        let dtmf = #"{"id":"sim-1","event":"dtmf","text":"2"}"#
        #expect(refusal(dtmf, token: nil) == .unauthenticated)
        #expect(refusal(dtmf, token: signer.token(gateway: "sim", messageId: 5)) == .forbidden)
        #expect(refusal(#"{"id":"sim-1","event":"dtmf","text":"x"}"#, token: token) == .malformed)
        #expect(refusal(#"{"id":"sim-1","event":"fax","text":"2"}"#, token: token) == .malformed)
        #expect(refusal(#"{"id":"sim-1","status":"delivered","event":"reply","text":"2"}"#, token: token) == .malformed)
    }

    @Test func answersAreReadWithOrWithoutTheFastPath() {
        #expect(SimulatorGateway.answerId(Array(#"{"id":"sim-42"}"#.utf8)) == "sim-42")
        #expect(SimulatorGateway.answerId(Array(#"{ "id" : "sim-43", "x": 1 }"#.utf8)) == "sim-43")
        #expect(SimulatorGateway.answerId(Array(#"{"id":"a\"b"}"#.utf8)) == "a\"b")
        #expect(SimulatorGateway.answerId(Array(#"{"id":""}"#.utf8)) == "")
        #expect(SimulatorGateway.answerId(Array(#"{"error":"x"}"#.utf8)) == nil)
    }
}
