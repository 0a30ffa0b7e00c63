import ArgumentParser
import Campaigns
import Channels
import CoreModel
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Synchronization

/// Order-confirmation latency: an order row is written, the order
/// confirmation automation notices it, the dispatcher sends the confirmation,
/// the provider accepts it — while a marketing backlog drains through the
/// same gateway. Latency is from just before the order row is written to the
/// confirmation's `submitted_at` (recorded after the gateway answered).
struct LatencyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Order row written → confirmation accepted, p50/p99, while a marketing backlog drains through the same gateway.",
        discussion: "Example: tidings bench latency --backlog 100000 --orders-per-second 20")

    @Option(help: "Marketing messages queued before the orders start.") var backlog = 100_000
    @Option(help: "Orders written per second while the backlog drains.") var ordersPerSecond = 20
    @Option(help: "Messages the simulator gateway may have in flight.") var maxInFlight = 256
    @Option(help: "Most messages leased per batch.") var batch = 64
    @Option(help: "Connections to the provider.") var connections = 64
    @Option(help: "Port for the simulator.") var port = 18_433
    @Option(help: "Templates directory.") var templates = "templates"

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bench-latency-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path)
        _ = try await store.apply(.branches([Branch(code: "B01", name: "鸿福楼总店", district: "越秀", address: "北京路1号", phone: nil, fax: nil, seats: 120)]), dryRun: false)
        let members = (0..<500).map { Member(memberNo: String(format: "M%05d", $0), name: "会员\($0)", phone: .valid("+86137\(String(format: "%08d", $0))"), branchCode: "B01") }
        _ = try await store.apply(.members(members), dryRun: false)

        let transport = CurlTransport(policy: .init(maxConnectionsPerHost: connections))
        defer { transport.shutdown() }
        let simulator = try await SimulatorProcess.start(port: port, transport: transport)
        defer { simulator.stop() }
        let gateway = SimulatorGateway(name: "sim", channels: [.sms], baseURL: simulator.base, callbackURL: nil, transport: transport, signer: WebhookSigner(secret: "x"))
        let registry = GatewayRegistry(
            gateways: [gateway],
            settings: [
                .init(
                    name: "sim", kind: .simulator, channels: [.sms], url: simulator.base, rate: 1_000_000,
                    burst: 100_000, maxInFlight: maxInFlight)
            ])

        print("queueing \(backlog) marketing SMS…")
        // Service category in the marketing lane: the backlog is sent, not held by consent or caps.
        try await SyntheticSMS.queue(backlog, into: store, prefix: "promo", lane: .marketing)

        var onlyConfirmations = AutomationSettings.defaults
        for name in [
            \AutomationSettings.reservationReminder.enabled, \.reservationCall.enabled, \.lateDeliveryApology.enabled,
            \.revisitSurvey.enabled, \.pointsExpiry.enabled, \.winBack.enabled, \.complaintWorkOrder.enabled,
            \.complaintResolution.enabled, \.branchTicket.enabled,
        ] {
            onlyConfirmations[keyPath: name] = false
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        var settings = DispatchSettings(owner: "bench")
        settings.maxBatch = batch
        // Throughput, not policy: without this the backlog is deferred between 21:00 and 09:00 in Shanghai.
        settings.policy = SendPolicy(rules: SendPolicyRules(quietHours: nil))
        let dispatcher = Dispatcher(store: store, registry: registry, settings: settings, logger: logger)
        let automations = AutomationService(
            runner: AutomationRunner(
                store: store, settings: onlyConfirmations, defaults: .defaults, brand: .defaults,
                renderer: TemplateLibrary(directory: URL(fileURLWithPath: templates)), logger: logger),
            interval: .seconds(3600), logger: logger)
        let writer = OrderWriter(store: store, members: members.map(\.memberNo), perSecond: ordersPerSecond, backlog: backlog)
        let cpuBefore = DispatchBench.cpuSeconds()
        let simulatorBefore = simulator.cpuSeconds
        let began = Date()
        try await ServiceGroup(configuration: .init(
            services: [
                .init(service: dispatcher), .init(service: automations),
                .init(service: writer, successTerminationBehavior: .gracefullyShutdownGroup),
            ], logger: logger)
        ).run()
        let drained = writer.drainedAfter ?? Date().timeIntervalSince(began)
        let cpu = DispatchBench.cpuSeconds() - cpuBefore
        let simulatorCPU = simulator.cpuSeconds - simulatorBefore

        let written = writer.written
        let states = try await store.messageStates(idempotencyKeys: written.map { "order:\($0.orderNo):confirm:sms" })
        var latencies: [Double] = []
        for order in written {
            guard let submitted = states["order:\(order.orderNo):confirm:sms"]?.submittedAt else { continue }
            latencies.append(submitted.timeIntervalSince(order.at) * 1000)
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)] }
        print(String(format: "backlog   %d marketing SMS drained in %.1f s = %.0f msgs/s through gateway sim (max in flight %d, batches of %d)",
            backlog, drained, Double(backlog) / drained, maxInFlight, batch))
        print(String(format: "orders    %d written at %d/s during the drain; %d confirmations accepted", written.count, ordersPerSecond, latencies.count))
        print(String(format: "latency   order row → gateway accepted: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms",
            percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? .nan))
        print(String(format: "cpu       tidings %.0f µs, simulator %.0f µs per message", cpu / Double(backlog + latencies.count) * 1e6, simulatorCPU / Double(backlog + latencies.count) * 1e6))
        let met = latencies.count == written.count && percentile(0.99) <= 250
        print(String(format: "target    p99 <= 250 ms: %@", met ? "met" : "MISSED"))
    }
}

/// Writes orders at a steady rate, as the call centre does, until the backlog has drained.
final class OrderWriter: Service, Sendable {
    struct Written: Sendable {
        let orderNo: String
        let at: Date
    }

    let store: SQLiteStore
    let members: [String]
    let perSecond: Int
    let backlog: Int
    private let state = Mutex<(written: [Written], drainedAfter: Double?)>(([], nil))

    init(store: SQLiteStore, members: [String], perSecond: Int, backlog: Int) {
        self.store = store
        self.members = members
        self.perSecond = perSecond
        self.backlog = backlog
    }

    var written: [Written] { state.withLock { $0.written } }
    var drainedAfter: Double? { state.withLock { $0.drainedAfter } }

    func run() async throws {
        let began = Date()
        var index = 0
        while true {
            let at = Date()
            let orderNo = String(format: "SO%07d", index)
            _ = try await store.apply(.orders([Order(
                orderNo: orderNo, memberNo: members[index % members.count], branchCode: "B01", source: .ivr, kind: .delivery, status: .placed,
                orderedAt: at, amountFen: 16_800)]), dryRun: false)
            state.withLock { $0.written.append(Written(orderNo: orderNo, at: at)) }
            index += 1
            if index % max(1, perSecond / 2) == 0 {
                let open = try await store.dueCounts(upTo: 1, now: Date())[.marketing] ?? 0
                if open == 0, try await store.leaseOwners().isEmpty {
                    state.withLock { $0.drainedAfter = Date().timeIntervalSince(began) }
                    // Let the last confirmations go out.
                    try await Task.sleep(for: .milliseconds(500))
                    return
                }
            }
            try await Task.sleep(for: .milliseconds(max(1, 1000 / perSecond)))
        }
    }
}

/// Ends when nothing is due or being sent any more: the backlog has drained.
struct QueueDrain: Service {
    let store: SQLiteStore

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            try await Task.sleep(for: .milliseconds(20))
            let due = try await store.dueCounts(upTo: 1, now: Date()).values.reduce(0, +)
            if due == 0, try await store.leaseOwners().isEmpty { return }
        }
    }
}
