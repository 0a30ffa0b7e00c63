import Channels
import CoreModel
import Foundation
import Logging
import Prometheus
import Scheduler
import TestSupport
import Testing

@testable import worker

/// The worker's one HTTP application, started the way `tidings run` starts it.
struct WebServerTests {
    @Test func servesHealthWebhooksAndMetricsBehindTheAdminToken() async throws {
        try await withMemberStore { store in
            let port = LocalPorts.block(1)
            let setup = WebServer.Setup(
                host: "127.0.0.1", port: port, signer: WebhookSigner(secret: "s"), sink: ReceiptApplier(store: store))
            let metrics = MetricsEndpoint(
                registry: PrometheusCollectorRegistry(), store: store, traffic: GatewayTraffic(settings: []),
                adminToken: "t")
            let app = WebServer.application(setup, metrics: metrics, logger: Logger(label: "test"))
            let base = "http://127.0.0.1:\(port)"
            try await withRunning(app, readyAt: "\(base)/health") {
                let transport = CurlTransport()
                defer { transport.shutdown() }
                let anonymous = try await transport.send(OutboundRequest(url: "\(base)/metrics"))
                #expect(anonymous.status == 401)
                let authorized = OutboundRequest(url: "\(base)/metrics", headers: [("Authorization", "Bearer t")])
                let scrape = try await transport.send(authorized)
                #expect(scrape.status == 200)
                let text = String(decoding: scrape.body, as: UTF8.self)
                #expect(text.contains("tidings_queue_depth{lane=\"transactional\"} 0"), "\(text)")
                #expect(text.contains("# HELP tidings_queue_depth Messages due now per lane"), "\(text)")
                // The adapters' webhooks are mounted: a receipt with a wrong token is refused, not unknown.
                let dlr = OutboundRequest(url: "\(base)/webhooks/kannel/sms/dlr?id=1&token=x&type=1")
                let receipt = try await transport.send(dlr)
                #expect(receipt.status == 403)
            }
        }
    }
}
