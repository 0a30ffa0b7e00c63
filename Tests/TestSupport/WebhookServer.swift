import Channels
import Foundation
import Hummingbird
import Synchronization

/// Records what the webhooks hand over.
public final class RecordingSink: ReceiptSink {
    private let state = Mutex<(receipts: [Receipt], inbound: [InboundMessage])>(([], []))

    public init() {}

    public func accept(_ receipts: [Receipt]) async throws { state.withLock { $0.receipts += receipts } }
    public func accept(_ inbound: InboundMessage) async throws { state.withLock { $0.inbound.append(inbound) } }

    public var receipts: [Receipt] { state.withLock { $0.receipts } }
    public var inbound: [InboundMessage] { state.withLock { $0.inbound } }

    /// Polls until `condition` holds or `seconds` pass.
    public func wait(seconds: Double = 10, until condition: (RecordingSink) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(self)
    }
}

/// Runs the webhook routes on a live loopback server for the body's duration.
public func withWebhookServer<T: Sendable>(
    routes: WebhookRoutes, extra: (Router<BasicRequestContext>) -> Void = { _ in },
    _ body: @Sendable (_ baseURL: String) async throws -> T
) async throws -> T {
    let port = LocalPorts.block(1)
    let router = Router()
    router.get("/ready") { _, _ in "ok" }
    routes.register(on: router)
    extra(router)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    let base = "http://127.0.0.1:\(port)"
    return try await withRunning(app, readyAt: base + "/ready") { try await body(base) }
}
