import Channels
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
        return try await withWebhookServer(routes: routes, extra: { simulator.register(on: $0) }) { base in
            let gateway = SimulatorGateway(
                name: "sim", channels: [.sms, .voice, .fax, .email], baseURL: base, callbackURL: "\(base)/webhooks/simulator/sim/status",
                transport: transport, signer: signer)
            return try await body(gateway, simulator)
        }
    }

    func message(_ id: Int64, key: String) -> OutboundMessage {
        OutboundMessage(id: id, idempotencyKey: key, channel: .sms, to: "+8613812345678", content: MessageContent(text: "您好"), category: .service)
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
        }
    }
}
