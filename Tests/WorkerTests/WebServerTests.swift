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
                host: "127.0.0.1", port: port, signer: WebhookSigner(secret: "s"), receipts: ReceiptApplier(store: store),
                gateways: ["sms": .kannel])
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
                #expect(text.contains("tidings_receipts_inbox_depth 0"), "\(text)")
                // The adapters' webhooks are mounted: a receipt with a wrong token is refused, not unknown.
                let dlr = OutboundRequest(url: "\(base)/webhooks/kannel/sms/dlr?id=1&token=x&type=1")
                let receipt = try await transport.send(dlr)
                #expect(receipt.status == 403)
            }
        }
    }

    /// The webhook answers once the receipt is in the inbox; the drainer the
    /// application runs applies it shortly after.
    @Test func aReceiptTheWebhookTookIsAppliedShortlyAfter() async throws {
        try await withMemberStore { store in
            let id = try await Self.submitted(in: store, key: "k", gateway: "sms", providerId: nil)
            let port = LocalPorts.block(1)
            let signer = WebhookSigner(secret: "s")
            let setup = WebServer.Setup(
                host: "127.0.0.1", port: port, signer: signer, receipts: ReceiptApplier(store: store),
                gateways: ["sms": .kannel])
            let app = WebServer.application(setup, logger: Logger(label: "test"))
            let base = "http://127.0.0.1:\(port)"
            try await withRunning(app, readyAt: "\(base)/health") {
                let transport = CurlTransport()
                defer { transport.shutdown() }
                let token = signer.token(gateway: "sms", messageId: id)
                let dlr = try await transport.send(
                    OutboundRequest(url: "\(base)/webhooks/kannel/sms/dlr?id=\(id)&token=\(token)&type=1"))
                #expect(dlr.status == 200)
                var status = try await store.messageState(id: id)?.status
                for _ in 0..<250 where status != .delivered {
                    try await Task.sleep(for: .milliseconds(20))
                    status = try await store.messageState(id: id)?.status
                }
                #expect(status == .delivered)
                #expect(try await store.receiptInboxDepth() == 0)
            }
        }
    }

    /// The attack from issue 12: a Kannel gateway's inbound token, posted to
    /// the Aliyun report route under the Kannel gateway's name with the id of
    /// a message that went through Twilio. Refused at the route (403); and an
    /// Aliyun gateway's own valid token cannot settle a Twilio message either.
    @Test func aTokenForOneGatewayChangesNothingOnAnother() async throws {
        try await withMemberStore { store in
            let id = try await Self.submitted(in: store, key: "tw", gateway: "twilio", providerId: "SM1")
            let port = LocalPorts.block(1)
            let signer = WebhookSigner(secret: "s")
            let setup = WebServer.Setup(
                host: "127.0.0.1", port: port, signer: signer, receipts: ReceiptApplier(store: store),
                gateways: ["kannel": .kannel, "twilio": .twilio, "ali": .aliyun])
            let app = WebServer.application(setup, logger: Logger(label: "test"))
            let base = "http://127.0.0.1:\(port)"
            try await withRunning(app, readyAt: "\(base)/health") {
                let transport = CurlTransport()
                defer { transport.shutdown() }
                let report = Array(#"[{"success":false,"err_code":"MOBILE_NUMBER_ILLEGAL","out_id":"\#(id)"}]"#.utf8)
                func post(_ path: String) async throws -> Int {
                    try await transport.send(OutboundRequest(
                        method: .post, url: base + path, headers: [("Content-Type", "application/json")], body: report)).status
                }
                let crossRoute = try await post("/webhooks/aliyun/kannel/report?token=\(signer.inboundToken(gateway: "kannel"))")
                #expect(crossRoute == 403)
                #expect(try await post("/webhooks/aliyun/nobody/report?token=\(signer.inboundToken(gateway: "nobody"))") == 403)
                // Aliyun's own token is valid for its route: taken (Aliyun wants its 200), but it names a Twilio message.
                #expect(try await post("/webhooks/aliyun/ali/report?token=\(signer.inboundToken(gateway: "ali"))") == 200)
                for _ in 0..<250 where try await store.receiptInboxDepth() > 0 { try await Task.sleep(for: .milliseconds(20)) }
                #expect(try await store.receiptInboxDepth() == 0)
                let state = try #require(try await store.messageState(id: id))
                #expect(state.status == .submitted, "\(state)")
                #expect(state.gateway == "twilio" && state.lastErrorKind == nil)
                // Twilio-signed callbacks need Twilio's auth token: a Kannel gateway name on the Twilio route is refused too.
                let twilio = try await transport.send(OutboundRequest(
                    method: .post, url: "\(base)/webhooks/twilio/kannel/status?id=\(id)", body: Array("MessageStatus=failed".utf8)))
                #expect(twilio.status == 403)
            }
        }
    }

    /// One SMS enqueued, leased and accepted by `gateway`: what a receipt finds.
    static func submitted(in store: SQLiteStore, key: String, gateway: String, providerId: String?) async throws -> Int64 {
        let now = Date()
        _ = try await store.enqueue(
            [NewMessage(
                idempotencyKey: key, purpose: .single, channel: .sms, lane: .transactional, category: .service,
                address: "+8613800000000", payload: "{}")],
            now: now)
        let id = try #require(
            try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now + 60, now: now).first?.id)
        _ = try await store.recordSendResults(
            [SendResult(messageId: id, gateway: gateway, event: .accepted(providerMessageId: providerId))], owner: "w",
            now: now)
        return id
    }
}
