import ArgumentParser
import Channels
import CoreModel
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Synchronization

/// Dispatch against a provider we did not write: Debian's nginx answering
/// 200 on loopback. In the same run: wrk POSTing to it (the server's
/// ceiling), our curl transport alone (one multi handle, no database), and
/// the dispatcher sending SMS through an `http` gateway with durable status;
/// then again with a share of answers late by more than the gateway timeout.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "SMS dispatched per second through an http gateway to nginx, against wrk and curl alone (needs nginx-light, wrk).",
        discussion: "Example: tidings bench http --messages 100000")

    @Option(help: "Messages to dispatch (each run).") var messages = 100_000
    @Option(help: "Connections to nginx (curl and wrk).") var connections = 64
    @Option(help: "Seconds of the wrk run.") var seconds = 5
    @Option(help: "Messages the gateway may have in flight (its max_in_flight).") var maxInFlight = 1024
    @Option(help: "Gateway timeout in milliseconds (late answers wait this long).") var timeoutMs = 1000
    @Flag(inversion: .prefixedNo, help: "Also run with 0.2 % of answers never coming (ids ending 000 or 500).") var late = true
    @Flag(help: "Only the dispatch runs, without the ceilings (for profiling).") var dispatchOnly = false

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else { throw CommandFailure("needs wrk (apt-get install wrk)") }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let port = LocalPort.free()
        let nginx = try NginxProvider.start(port: port)
        let transport = CurlTransport(policy: .init(maxConnectionsPerHost: connections))
        defer { transport.shutdown() }
        let body = #"{"mobile":"+8613800000000","content":"【鸿福楼】冬至家宴八折，回T退订","ref":"1"}"#
        var ceiling = DLRBench.WrkResult(requestsPerSecond: .nan, errors: 0)
        var multi = Double.nan
        if dispatchOnly { nginx.stop() } else {
            defer { nginx.stop() }
            guard await transport.waitUntilAnswering(nginx.url) else { throw BenchError("nginx did not start") }
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-wrk-\(UUID().uuidString).lua")
            defer { try? FileManager.default.removeItem(at: script) }
            try """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '\(body)'
                """.write(to: script, atomically: true, encoding: .utf8)
            ceiling = try DLRBench.wrk(["-t1", "-c\(connections)", "-d\(seconds)s", "-s", script.path, nginx.url])
            print(String(format: "ceiling   wrk POST → nginx, %d connections: %.0f req/s", connections, ceiling.requestsPerSecond))
            let cpuBefore = DispatchBench.cpuSeconds()
            multi = await curlAlone(transport: transport, url: nginx.url, body: body)
            let cpu = (DispatchBench.cpuSeconds() - cpuBefore) / Double(messages) * 1_000_000
            print(String(format: "ceiling   curl multi alone → nginx (our transport, no database): %.0f req/s, %.0f µs CPU per request", multi, cpu))
        }
        let plain = try await dispatch(transport: transport, lateSuffixes: [], logger: logger)
        print(String(format: "dispatch  %d SMS through an http gateway → nginx, durable status: %.0f msgs/s, %.0f µs CPU per message",
            messages, plain.rate, plain.cpuMicros))
        print(String(format: "ratio     %.1f %% of wrk, %.0f %% of curl alone; targets >= 40000 msgs/s: %@, >= 50 %% of curl alone: %@",
            100 * plain.rate / ceiling.requestsPerSecond, 100 * plain.rate / multi,
            plain.rate >= 40_000 ? "met" : "MISSED", plain.rate >= multi / 2 ? "met" : "MISSED"))
        guard late else { return }
        let slowed = try await dispatch(transport: transport, lateSuffixes: ["000", "500"], logger: logger)
        let fall = 100 * (1 - slowed.rate / plain.rate)
        print(String(format: "late      0.2 %% of answers never come (timeout %d ms): %.0f msgs/s for the rest; throughput fell %.1f %% (target <= 10 %%: %@)",
            timeoutMs, slowed.rate, fall, fall <= 10 ? "met" : "MISSED"))
    }

    /// The same POST through the transport alone, a window of requests kept in flight.
    private func curlAlone(transport: CurlTransport, url: String, body: String) async -> Double {
        let request = OutboundRequest(
            method: .post, url: url, headers: [("Content-Type", "application/json")], body: Array(body.utf8), timeoutMs: timeoutMs)
        let started = Date()
        var done = 0
        while done < messages {
            done += await transport.send(batch: Array(repeating: request, count: min(connections * 16, messages - done))).count
        }
        return Double(done) / Date().timeIntervalSince(started)
    }

    struct Figures {
        var rate: Double
        var cpuMicros: Double
    }

    /// `messages` SMS queued in a fresh store and dispatched to a fresh nginx until all that can be accepted are.
    private func dispatch(transport: CurlTransport, lateSuffixes: [String], logger: Logger) async throws -> Figures {
        let nginx = try NginxProvider.start(port: LocalPort.free(), lateSuffixes: lateSuffixes)
        defer { nginx.stop() }
        guard await transport.waitUntilAnswering(nginx.url) else { throw BenchError("nginx did not start") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bench-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path)
        try await SyntheticSMS.queue(messages, into: store, prefix: "http", lane: .transactional)
        let options = [
            "body": #"{"mobile":"{{to}}","content":"{{text}}","ref":"{{id}}"}"#, "header.X-Ref": "{{id}}",
            "id_field": "msg_id", "success": "code=0",
        ]
        guard case .success(let mapping) = HTTPMappedGateway.Mapping.parse(options: options, credentials: []) else {
            throw BenchError("the bench's http mapping does not parse")
        }
        let gateway = HTTPMappedGateway(
            name: "nginx", channels: [.sms], url: nginx.url, mapping: mapping, credentials: [:], callbackURL: "http://127.0.0.1:1/r",
            transport: transport, timeoutMs: timeoutMs)
        let registry = GatewayRegistry(
            gateways: [gateway],
            settings: [.init(name: "nginx", kind: .http, channels: [.sms], url: nginx.url, rate: 0, maxInFlight: maxInFlight, timeoutMs: timeoutMs)])
        var settings = DispatchSettings(owner: "bench")
        settings.policy = SendPolicy(rules: SendPolicyRules(quietHours: nil))
        settings.leaseSeconds = 300
        // The late messages keep timing out: their breaker must not stop the rest.
        settings.breaker = .init(failureThreshold: 1_000_000)
        let dispatcher = Dispatcher(store: store, registry: registry, settings: settings, logger: logger)
        let late = lateSuffixes.isEmpty ? 0 : (0..<messages).count { index in lateSuffixes.contains { String(index + 1).hasSuffix($0) } }
        let expected = messages - late
        let cpuBefore = DispatchBench.cpuSeconds()
        let started = Date()
        let watch = AcceptedWatch(dispatcher: dispatcher, expected: expected)
        try await ServiceGroup(configuration: .init(
            services: [.init(service: dispatcher), .init(service: watch, successTerminationBehavior: .gracefullyShutdownGroup)],
            logger: logger)
        ).run()
        let elapsed = watch.finishedAt.withLock { $0 ?? Date() }.timeIntervalSince(started)
        let cpu = DispatchBench.cpuSeconds() - cpuBefore
        return Figures(rate: Double(expected) / elapsed, cpuMicros: cpu / Double(messages) * 1_000_000)
    }
}

/// Ends the bench's service group once the dispatcher has had `expected` messages accepted.
final class AcceptedWatch: Service, Sendable {
    let dispatcher: Dispatcher
    let expected: Int
    let finishedAt = Mutex<Date?>(nil)

    init(dispatcher: Dispatcher, expected: Int) {
        self.dispatcher = dispatcher
        self.expected = expected
    }

    func run() async throws {
        while dispatcher.accepted < expected, !Task.isShuttingDownGracefully {
            try await Task.sleep(for: .milliseconds(5))
        }
        finishedAt.withLock { $0 = Date() }
    }
}

/// A free loopback port, from the kernel.
enum LocalPort {
    static func free() -> Int {
        let probe = try? BlackHole()
        return probe?.port ?? 18_434
    }
}
