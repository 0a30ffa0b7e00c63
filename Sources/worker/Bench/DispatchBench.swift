import ArgumentParser
import Channels
import CoreModel
import Foundation
import Hummingbird
import Logging
import Scheduler
import ServiceLifecycle
import Simulator

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
    @Option(help: "Most messages leased per batch (the dispatcher's max_batch).") var batch = 256
    @Option(help: "Messages the gateway may have in flight (its max_in_flight).") var maxInFlight = 1024
    @Option(help: "Connections to the provider (curl) and for wrk.") var connections = 64
    @Option(help: "Seconds of the wrk run.") var seconds = 10
    @Option(help: "Port for the simulator.") var port = 18_432
    @Flag(inversion: .prefixedNo, help: "Run the simulator as its own process, as a provider would be (else inside this one).") var separateSimulator = true
    @Flag(inversion: .prefixedNo, help: "wrk sends a unique Idempotency-Key per request, as the dispatcher does (the simulator stores each).") var uniqueKeys = true
    @Flag(help: "Measure the outbox alone: lease, a gateway that accepts at once without any I/O, record.") var storeOnly = false
    @Flag(help: "Measure the store's own lease-then-record loop, one batch at a time, without the dispatcher.") var rawStore = false
    @Flag(help: "Measure the curl transport alone (same requests, no database) instead of the dispatch.") var transportOnly = false

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else { throw CommandFailure("needs wrk (apt-get install wrk)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bench-dispatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path)
        let transport = CurlTransport(policy: .init(maxConnectionsPerHost: connections))
        defer { transport.shutdown() }
        var behaviour = ProviderSimulator.Behaviour()
        behaviour.callbackDelayMs = nil
        let simulator = ProviderSimulator(behaviour: behaviour, transport: nil)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let app = simulator.application(host: "127.0.0.1", port: port, logger: logger)
        let base = "http://127.0.0.1:\(port)"
        let gateway = SimulatorGateway(name: "sim", channels: [.sms], baseURL: base, callbackURL: nil, transport: transport, signer: WebhookSigner(secret: "x"))
        let registry = GatewayRegistry(
            gateways: [storeOnly ? InstantGateway(name: "sim") as any Gateway : gateway],
            settings: [
                .init(
                    name: "sim", kind: .simulator, channels: [.sms], url: base, rate: 1_000_000, burst: 100_000,
                    maxInFlight: maxInFlight)
            ])

        print("queueing \(messages) SMS…")
        // Service category: the dispatcher checks policy for each, and none is held by consent or caps.
        try await SyntheticSMS.queue(messages, into: store, prefix: "bench", lane: .marketing)
        if rawStore {
            // The floor under any dispatcher: lease a batch, record every message accepted, again.
            let started = Date()
            var done = 0
            while true {
                let now = Date()
                let leased = try await store.leaseDue(
                    shares: [(.marketing, batch)], capacity: batch, owner: "raw", leaseUntil: now + 300, now: now)
                if leased.isEmpty { break }
                _ = try await store.recordSendResults(
                    leased.map { SendResult(messageId: $0.id, gateway: "sim", segments: 1, event: .accepted(providerMessageId: "p-\($0.id)")) },
                    owner: "raw", now: Date())
                done += leased.count
            }
            print(String(format: "raw store %d leased and recorded, %d per batch: %.0f msgs/s", done, batch, Double(done) / Date().timeIntervalSince(started)))
            return
        }
        let body = directory.appendingPathComponent("post.lua")
        try """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.body = '{"channel":"sms","to":"+8613800000000","text":"【鸿福楼】冬至家宴八折，回T退订"}'
            \(uniqueKeys ? """
                local counter = 0
                request = function()
                  counter = counter + 1
                  wrk.headers["Idempotency-Key"] = "wrk:" .. counter
                  return wrk.format()
                end
                """ : "")
            """.write(to: body, atomically: true, encoding: .utf8)

        let child = separateSimulator ? try await SimulatorProcess.start(port: port, transport: transport) : nil
        defer { child?.stop() }
        @Sendable func uniqueCount() async -> Int {
            guard let child else { return simulator.stats.unique }
            return await child.stats(transport)?.unique ?? -1
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            if !separateSimulator { group.addTask { try await app.runService(gracefulShutdownSignals: []) } }
            guard await transport.waitUntilAnswering("\(base)/sim/stats") else { throw CommandFailure("the simulator did not start on port \(port)") }
            @Sendable func simulatorCPU() -> Double { child?.cpuSeconds ?? DispatchBench.cpuSeconds() }
            let serverCPUBefore = simulatorCPU()
            let ceiling = try DLRBench.wrk(["-t1", "-c\(connections)", "-d\(seconds)s", "-s", body.path, "\(base)/sim/messages"])
            let serverCPU = (simulatorCPU() - serverCPUBefore) / (ceiling.requestsPerSecond * Double(seconds))
            print(String(format: "ceiling   wrk POST /sim/messages, %d connections: %.0f req/s; the simulator used %.0f µs of CPU per request",
                connections, ceiling.requestsPerSecond, serverCPU * 1_000_000))
            if transportOnly {
                // Where the time goes: the same requests through the curl transport alone, no database.
                let request = try gateway.request(for: OutboundMessage(
                    id: 1, idempotencyKey: "t", channel: .sms, to: "+8613800000000", content: MessageContent(text: "【鸿福楼】冬至家宴八折，回T退订"), category: .marketing))
                let cpuStart = DispatchBench.cpuSeconds()
                let begun = Date()
                var done = 0
                while done < messages {
                    let answers = await transport.send(batch: Array(repeating: request, count: min(batch, messages - done)))
                    done += answers.count
                }
                let took = Date().timeIntervalSince(begun)
                print(String(format: "transport %d POSTs through the curl transport alone: %.0f req/s, %.0f µs CPU per request in tidings%@ (%.0f %% of wrk)",
                    done, Double(done) / took, (DispatchBench.cpuSeconds() - cpuStart) / Double(done) * 1_000_000, separateSimulator ? "" : " incl. the simulator",
                    100 * Double(done) / took / ceiling.requestsPerSecond))
                group.cancelAll()
                return
            }
            try await Task.sleep(for: .milliseconds(300))  // wrk's last answers
            let uniqueBefore = await uniqueCount()
            let cpuBefore = DispatchBench.cpuSeconds()
            let simulatorBefore = separateSimulator ? simulatorCPU() : 0
            let started = Date()
            // The worker's own dispatcher (lanes, policy, buckets, breaker), run until the queue is empty.
            var settings = DispatchSettings(owner: "bench")
            settings.maxBatch = batch
            // Throughput, not policy: without this the backlog is deferred between 21:00 and 09:00 in Shanghai.
            settings.policy = SendPolicy(rules: SendPolicyRules(quietHours: nil))
            settings.leaseSeconds = 300
            let dispatcher = Dispatcher(store: store, registry: registry, settings: settings, logger: logger)
            let drain = QueueDrain(store: store)
            try await ServiceGroup(configuration: .init(
                services: [.init(service: dispatcher), .init(service: drain, successTerminationBehavior: .gracefullyShutdownGroup)], logger: logger)
            ).run()
            let sent = messages
            let elapsed = Date().timeIntervalSince(started)
            let cpu = DispatchBench.cpuSeconds() - cpuBefore
            let simulatorUsed = separateSimulator ? simulatorCPU() - simulatorBefore : 0
            let statuses = try await store.statistics().messagesByStatus
            group.cancelAll()
            let rate = Double(sent) / elapsed
            print(String(format: "dispatch  %d SMS leased, sent over curl (%d connections) and recorded in %.1f s = %.0f msgs/s; statuses %@",
                sent, connections, elapsed, rate, statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
            print(String(format: "cpu       per message: tidings %.0f µs%@ (user+system); %.0f %% of %d cores busy", cpu / Double(sent) * 1_000_000,
                separateSimulator ? String(format: ", simulator %.0f µs", simulatorUsed / Double(sent) * 1_000_000) : " incl. the simulator",
                100 * (cpu + simulatorUsed) / elapsed / Double(ProcessInfo.processInfo.activeProcessorCount), ProcessInfo.processInfo.activeProcessorCount))
            print(String(format: "ratio     %.0f %% of wrk; target >= 50 %%: %@; simulator counted %d unique", 100 * rate / ceiling.requestsPerSecond,
                rate >= ceiling.requestsPerSecond / 2 ? "met" : "MISSED", await uniqueCount() - uniqueBefore))
        }
    }

    /// Accepts everything at once: the outbox's own cost, without the network.
    struct InstantGateway: Gateway {
        let name: String
        var channels: Set<Channel> { [.sms] }
        func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
            Submission(providerMessageId: "i-\(message.id)", segments: SMSSegmenter.count(message.content.text ?? "").segments)
        }
        func send(
            batch messages: [OutboundMessage], each: @escaping @Sendable (Int, Result<Submission, GatewayError>) -> Void
        ) async {
            for (index, message) in messages.enumerated() {
                let segments = SMSSegmenter.count(message.content.text ?? "").segments
                each(index, .success(Submission(providerMessageId: "i-\(message.id)", segments: segments)))
            }
        }
    }

    /// CPU seconds (user + system) of another process so far, from /proc.
    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU time this process used so far (all threads).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
