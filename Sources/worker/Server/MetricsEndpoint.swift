import Channels
import CoreModel
import Foundation
import HTTPTypes
import Hummingbird
import Prometheus
import Scheduler

/// GET /metrics in Prometheus text format. Queue depth per lane, the receipt
/// inbox's depth and the breakers are read at scrape time; counters and
/// histograms come from the dispatcher and the receipt drainer through
/// swift-metrics. With server.admin_token set, a scrape needs
/// `Authorization: Bearer TOKEN`.
struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    let store: any Outbox & Receipts
    let traffic: GatewayTraffic
    let adminToken: String?
    /// Queue depth is counted up to this many per lane.
    static let depthLimit = 10_000_000

    static var queueDepth: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tidings", subsystem: "queue", metricName: "depth", unitName: "",
        helpText: "Messages due now per lane, counted up to \(depthLimit)") }
    static var inboxDepth: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tidings", subsystem: "receipts", metricName: "inbox_depth", unitName: "",
        helpText: "Receipts the webhooks took that are not applied yet") }
    static var breakerState: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tidings", subsystem: "gateway", metricName: "breaker_state", unitName: "",
        helpText: "Circuit breaker per gateway: 0 closed, 1 half open, 2 open") }
    static var inFlight: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tidings", subsystem: "gateway", metricName: "in_flight", unitName: "",
        helpText: "Requests in flight per gateway") }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/metrics") { request, _ -> Response in
            if let adminToken, !constantTimeEqual(request.headers[.authorization] ?? "", "Bearer \(adminToken)") {
                return Response(status: .unauthorized, body: ResponseBody(byteBuffer: ByteBuffer(string: "needs Authorization: Bearer <server.admin_token>\n")))
            }
            let due = try await store.dueCounts(upTo: Self.depthLimit, now: Date())
            for (lane, count) in due {
                registry.makeGauge(descriptor: Self.queueDepth, labels: [("lane", lane.rawValue)]).set(Double(count))
            }
            registry.makeGauge(descriptor: Self.inboxDepth).set(Double(try await store.receiptInboxDepth()))
            let states = ["closed": 0.0, "half_open": 1, "open": 2]
            for (gateway, state) in traffic.breakerStates() {
                registry.makeGauge(descriptor: Self.breakerState, labels: [("gateway", gateway)]).set(states[state] ?? -1)
            }
            for (gateway, count) in traffic.inFlight() {
                registry.makeGauge(descriptor: Self.inFlight, labels: [("gateway", gateway)]).set(Double(count))
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
