import ArgumentParser
import Channels
import CoreModel
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Synchronization

/// The console's dashboard under load: the dispatcher drains a backlog to
/// the simulator while GET /api/v1/dashboard is polled about 20 times a
/// second; GET /health on the same server, polled alongside, is the ceiling
/// (what any answer costs on that loaded server at that moment).
struct DashboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "GET /api/v1/dashboard p50/p99 while a backlog drains, against GET /health on the same server.",
        discussion: "Example: tidings bench dashboard --messages 100000")

    @Option(help: "Marketing messages to drain.") var messages = 100_000
    @Option(help: "Dashboard requests per second (each with a /health request).") var pollsPerSecond = 20
    @Option(help: "Messages the simulator gateway may have in flight.") var maxInFlight = 256
    @Option(help: "Most messages leased per batch.") var batch = 256
    @Option(help: "Port for the simulator.") var port = 18_436
    @Option(help: "Port for the worker's HTTP server.") var httpPort = 18_437

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bench-dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path)
        print("queueing \(messages) marketing SMS…")
        _ = try await SyntheticSMS.queue(messages, into: store, prefix: "promo", lane: .marketing)
        let secret = ApiTokenSecret.generate()
        _ = try await store.createApiToken(
            name: "bench", tokenHash: ApiTokenSecret.hash(secret), scopes: [.read], createdBy: "bench", now: Date())

        let transport = CurlTransport(policy: .init(maxConnectionsPerHost: 64))
        defer { transport.shutdown() }
        let simulator = try await SimulatorProcess.start(port: port, transport: transport)
        defer { simulator.stop() }
        let settings = GatewaySettings(
            name: "sim", kind: .simulator, channels: [.sms], url: simulator.base, rate: 1_000_000, burst: 100_000,
            maxInFlight: maxInFlight)
        let gateway = SimulatorGateway(
            name: "sim", channels: [.sms], baseURL: simulator.base, callbackURL: nil, transport: transport,
            signer: WebhookSigner(secret: "x"))
        let registry = GatewayRegistry(gateways: [gateway], settings: [settings])
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        var dispatch = DispatchSettings(owner: "bench")
        dispatch.maxBatch = batch
        // Throughput, not policy: without this the backlog is deferred between 21:00 and 09:00 in Shanghai.
        dispatch.policy = SendPolicy(rules: SendPolicyRules(quietHours: nil))
        dispatch.leaseSeconds = 300
        let dispatcher = Dispatcher(store: store, registry: registry, settings: dispatch, logger: logger)
        var config = TidingsConfig.defaults
        config.gateways = [settings]
        var setup = WebServer.Setup(
            host: "127.0.0.1", port: httpPort, signer: WebhookSigner(secret: "x"), receipts: ReceiptApplier(store: store),
            gateways: [:])
        setup.api = AdminApi(store: store, config: config, logger: logger, dispatcher: dispatcher)
        let app = WebServer.application(setup, logger: logger)
        // Its own transport (its own curl thread): the dispatcher's would queue the polls behind its sends.
        let browser = CurlTransport()
        defer { browser.shutdown() }
        let poller = DashboardPoller(
            base: "http://127.0.0.1:\(httpPort)", token: secret, interval: .milliseconds(1000 / max(1, pollsPerSecond)),
            transport: browser)

        let started = Date()
        try await ServiceGroup(configuration: .init(
            services: [
                .init(service: app), .init(service: dispatcher), .init(service: poller),
                .init(service: QueueDrain(store: store), successTerminationBehavior: .gracefullyShutdownGroup),
            ], logger: logger)
        ).run()
        let elapsed = Date().timeIntervalSince(started)
        let (dashboard, health, failures) = poller.results
        func percentile(_ values: [Double], _ p: Double) -> Double {
            values.isEmpty ? .nan : values[min(values.count - 1, Int((Double(values.count) * p).rounded(.up)) - 1)]
        }
        print(String(format: "drain     %d SMS in %.1f s = %.0f msgs/s while polling (%d dashboard answers, %d failed)",
            messages, elapsed, Double(messages) / elapsed, dashboard.count, failures))
        print(String(format: "dashboard GET /api/v1/dashboard: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
            percentile(dashboard, 0.5), percentile(dashboard, 0.99), dashboard.last ?? .nan))
        print(String(format: "ceiling   GET /health, same server, same moments: p50 %.1f ms, p99 %.1f ms",
            percentile(health, 0.5), percentile(health, 0.99)))
        print(String(format: "ratio     dashboard p99 / health p99 = %.1f", percentile(dashboard, 0.99) / percentile(health, 0.99)))
        let met = failures == 0 && !dashboard.isEmpty && percentile(dashboard, 0.99) <= 50
        print("target    p99 <= 50 ms: \(met ? "met" : "MISSED")")
    }
}

/// Polls /api/v1/dashboard and /health in turn until the group shuts down, timing each answer.
final class DashboardPoller: Service, Sendable {
    let base: String
    let token: String
    let interval: Duration
    let transport: CurlTransport
    private let timings = Mutex<(dashboard: [Double], health: [Double], failures: Int)>(([], [], 0))

    init(base: String, token: String, interval: Duration, transport: CurlTransport) {
        self.base = base
        self.token = token
        self.interval = interval
        self.transport = transport
    }

    /// Both timings sorted, in milliseconds, and how many dashboard answers were not 200.
    var results: (dashboard: [Double], health: [Double], failures: Int) {
        timings.withLock { ($0.dashboard.sorted(), $0.health.sorted(), $0.failures) }
    }

    func run() async throws {
        guard await transport.waitUntilAnswering("\(base)/health") else { throw BenchError("the worker did not start") }
        let dashboard = OutboundRequest(url: "\(base)/api/v1/dashboard", headers: [("Authorization", "Bearer \(token)")])
        let health = OutboundRequest(url: "\(base)/health")
        while !Task.isShuttingDownGracefully {
            let clock = ContinuousClock()
            var status = 0
            let took = try await clock.measure { status = try await transport.send(dashboard).status }
            let ceiling = try await clock.measure { _ = try await transport.send(health) }
            timings.withLock {
                $0.dashboard.append(Self.milliseconds(took))
                $0.health.append(Self.milliseconds(ceiling))
                if status != 200 { $0.failures += 1 }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
