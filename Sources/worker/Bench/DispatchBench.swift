import ArgumentParser
import Channels
import CoreModel
import Foundation
import Hummingbird
import Logging
import Scheduler

/// Dispatch: N queued SMS leased from SQLite, sent to the provider simulator
/// over loopback HTTP through the curl transport, and every outcome written
/// back durably. The ceiling is wrk POSTing the same JSON to the same
/// simulator endpoint in the same run.
struct DispatchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "SMS dispatched per second to a loopback HTTP provider, against wrk POST (needs wrk).",
        discussion: "Example: tidings bench dispatch --messages 100000")

    @Option(help: "Messages to dispatch.") var messages = 100_000
    @Option(help: "Messages leased (and in flight) per batch.") var batch = 2000
    @Option(help: "Connections to the provider (curl) and for wrk.") var connections = 64
    @Option(help: "Seconds of the wrk run.") var seconds = 10
    @Option(help: "Port for the simulator.") var port = 18_432
    @Option(help: "Sending loops running at once (each leases its own batch), so database work overlaps network work.") var loops = 3

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else { throw ValidationError("needs wrk (apt-get install wrk)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bench-dispatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path)
        let transport = CurlTransport(policy: .init(loopbackOnly: true, maxConnectionsPerHost: connections))
        defer { transport.shutdown() }
        var behaviour = ProviderSimulator.Behaviour()
        behaviour.callbackDelayMs = nil
        let simulator = ProviderSimulator(behaviour: behaviour, transport: nil)
        let router = Router()
        simulator.register(on: router)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let base = "http://127.0.0.1:\(port)"
        let gateway = SimulatorGateway(name: "sim", channels: [.sms], baseURL: base, callbackURL: nil, transport: transport, signer: WebhookSigner(secret: "x"))
        let registry = GatewayRegistry(gateways: [gateway])

        print("queueing \(messages) SMS…")
        let now = Date()
        for start in stride(from: 0, to: messages, by: 20_000) {
            _ = try await store.enqueue(
                (start..<min(start + 20_000, messages)).map {
                    NewMessage(
                        idempotencyKey: "bench:\($0)", channel: .sms, lane: .marketing, category: .marketing,
                        address: "+86138\(String(format: "%08d", $0))", payload: MessageContent(text: "【鸿福楼】冬至家宴八折，回T退订").json())
                }, now: now)
        }
        let body = directory.appendingPathComponent("post.lua")
        try """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.body = '{"channel":"sms","to":"+8613800000000","text":"【鸿福楼】冬至家宴八折，回T退订"}'
            """.write(to: body, atomically: true, encoding: .utf8)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            try await Task.sleep(for: .milliseconds(500))
            let ceiling = try DLRBench.wrk(["-t1", "-c\(connections)", "-d\(seconds)s", "-s", body.path, "\(base)/sim/messages"])
            let uniqueBefore = simulator.stats.unique
            let started = Date()
            let sent = try await withThrowingTaskGroup(of: Int.self) { loopsGroup in
                for loop in 0..<loops {
                    let sender = OutboxSender(store: store, registry: registry, owner: "bench-\(loop)", leaseSeconds: 300)
                    loopsGroup.addTask {
                        var sent = 0
                        while true {
                            let leased = try await sender.sendDue(lane: .marketing, limit: batch)
                            if leased == 0 { return sent }
                            sent += leased
                        }
                    }
                }
                return try await loopsGroup.reduce(0, +)
            }
            let elapsed = Date().timeIntervalSince(started)
            let statuses = try await store.statistics().messagesByStatus
            group.cancelAll()
            let rate = Double(sent) / elapsed
            print(String(format: "ceiling   wrk POST /sim/messages, %d connections: %.0f req/s", connections, ceiling.requestsPerSecond))
            print(String(format: "dispatch  %d SMS leased, sent over curl (%d connections) and recorded in %.1f s = %.0f msgs/s; statuses %@",
                sent, connections, elapsed, rate, statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
            print(String(format: "ratio     %.0f %% of wrk; target >= 50 %%: %@; simulator counted %d unique", 100 * rate / ceiling.requestsPerSecond,
                rate >= ceiling.requestsPerSecond / 2 ? "met" : "MISSED", simulator.stats.unique - uniqueBefore))
        }
    }
}
