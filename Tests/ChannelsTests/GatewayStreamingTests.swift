import Channels
import CoreModel
import Foundation
import Synchronization
import TestSupport
import Testing

/// `send(batch:each:)` of the HTTP adapters and of the default (one child task
/// per message): outcomes as they come, and a cancelled batch cut and reported.
struct GatewayStreamingTests {
    /// What a streaming batch reported, by message index.
    final class Outcomes: Sendable {
        private let reports = Mutex<[(index: Int, result: Result<Submission, GatewayError>)]>([])

        func record(_ index: Int, _ result: Result<Submission, GatewayError>) {
            reports.withLock { $0.append((index, result)) }
        }

        var indices: [Int] { reports.withLock { $0.map(\.index) } }

        func result(_ index: Int) -> Result<Submission, GatewayError>? {
            reports.withLock { $0.first { $0.index == index }?.result }
        }

        func count(where matches: (Result<Submission, GatewayError>) -> Bool) -> Int {
            reports.withLock { $0.filter { matches($0.result) }.count }
        }
    }

    static let cutBeforeSent = GatewayError.transient(
        reason: "cut before it was sent (the send was cancelled)", retryAfter: nil)

    static func isUnanswered(_ result: Result<Submission, GatewayError>) -> Bool {
        if case .failure(.unanswered) = result { true } else { false }
    }

    func message(_ id: Int64, text: String = "您好") -> OutboundMessage {
        OutboundMessage(
            id: id, idempotencyKey: "k\(id)", channel: .sms, to: "+8613812345678", content: MessageContent(text: text),
            category: .service)
    }

    /// One connection per host: the first request goes out, the others wait in the transport.
    func oneConnectionTransport() -> CurlTransport {
        CurlTransport(policy: .init(maxConnectionsPerHost: 1))
    }

    @Test func aCancelledHTTPBatchSaysWhatMayHaveGoneOut() async throws {
        try await PacedServer.run { base, hits in
            let transport = oneConnectionTransport()
            defer { transport.shutdown() }
            let options = ["body": #"{"to":"{{to}}"}"#, "header.X-Text": "{{text}}", "id_field": "id"]
            let mapping = try HTTPMappedGateway.Mapping.parse(options: options, credentials: []).get()
            let gateway = HTTPMappedGateway(
                name: "acme", channels: [.sms], url: base + "/hang", mapping: mapping, credentials: [:],
                callbackURL: "", transport: transport, timeoutMs: 20_000)
            let outcomes = Outcomes()
            let messages = [message(1), message(2, text: "two\nlines"), message(3), message(4)]
            let task = Task { await gateway.send(batch: messages) { outcomes.record($0, $1) } }
            try await Task.sleep(for: .milliseconds(200))
            #expect(await hits.wait(for: "hang", count: 1))
            #expect(outcomes.indices == [1], "a request that cannot be built is reported at once, alone")
            #expect(outcomes.result(1) == .failure(.permanent(reason: "header X-Text would contain a line break")))
            task.cancel()
            try await within(.seconds(2)) { await task.value }

            #expect(outcomes.indices.sorted() == [0, 1, 2, 3])
            #expect(outcomes.result(0).map(Self.isUnanswered) == true, "the one under way may have gone out")
            #expect(outcomes.result(2) == .failure(Self.cutBeforeSent))
            #expect(outcomes.result(3) == .failure(Self.cutBeforeSent))
            #expect(hits["hang"] == 1, "the waiting ones never went out")
        }
    }

    @Test func theDefaultBatchCancelsEveryChild() async throws {
        try await PacedServer.run { base, hits in
            // No connection cap: every child's request is under way when the batch is cancelled (with a
            // cap, the children's cuts come one by one and a freed slot may start a waiting one first).
            let transport = CurlTransport()
            defer { transport.shutdown() }
            // Kannel has no batch call of its own: its batches take the protocol's default.
            let gateway = KannelGateway(
                settings: .init(
                    name: "kannel", sendsmsURL: base + "/hang", username: "u", password: "p", from: nil,
                    dlrURL: "http://127.0.0.1:1/dlr", timeoutMs: 20_000),
                transport: transport, signer: WebhookSigner(secret: "s"))
            let outcomes = Outcomes()
            let messages = [message(1), message(2), message(3)]
            let task = Task { await gateway.send(batch: messages) { outcomes.record($0, $1) } }
            try await Task.sleep(for: .milliseconds(200))
            #expect(await hits.wait(for: "hang", count: 3))
            let cancelledAt = ContinuousClock.now
            task.cancel()
            try await within(.seconds(2)) { await task.value }
            #expect(ContinuousClock.now - cancelledAt < .seconds(5), "cut well before the 10 s hang")

            #expect(outcomes.indices.sorted() == [0, 1, 2])
            #expect(outcomes.count(where: Self.isUnanswered) == 3, "each was under way: it may have gone out")
        }
    }

    @Test func theCollectingBatchKeepsTheOrderOfTheMessages() async throws {
        try await PacedServer.run { base, _ in
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let gateway = KannelGateway(
                settings: .init(
                    name: "kannel", sendsmsURL: base + "/fast", username: "u", password: "p", from: nil,
                    dlrURL: "http://127.0.0.1:1/dlr"),
                transport: transport, signer: WebhookSigner(secret: "s"))
            let results = await gateway.send(batch: [message(1), message(2, text: "")])
            #expect(results.count == 2)
            #expect((try? results[0].get())?.segments == 1)
            #expect(results[1] == .failure(.permanent(reason: "SMS without text")))
        }
    }
}
