import ArgumentParser
import Channels
import CoreModel
import Foundation
import Logging
import Scheduler

/// DLR ingestion: wrk sends Kannel-style delivery reports (each with its own
/// message id and HMAC token) to the webhook; every receipt is durable in the
/// receipt inbox before the 200, and the drainer applies the inbox behind. The
/// ceiling is wrk against /health on the same server in the same run; the
/// bench also waits for the inbox to drain and reports receipts applied end to end.
struct DLRBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlr",
        abstract: "Receipts applied per second through the Kannel DLR webhook (needs wrk).",
        discussion: "Example: tidings bench dlr --messages 300000 --seconds 10 --connections 64")

    @Option(help: "Messages waiting for a receipt (at least what wrk can send).") var messages = 300_000
    @Option(help: "Seconds per wrk run.") var seconds = 10
    @Option(help: "wrk connections.") var connections = 64
    @Option(help: "Port for the webhook server.") var port = 18_431

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else { throw CommandFailure("needs wrk (apt-get install wrk)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bench-dlr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path)
        let secret = UUID().uuidString
        let signer = WebhookSigner(secret: secret)

        print("preparing \(messages) submitted messages…")
        let ids = try await submittedMessages(store)
        let urls = directory.appendingPathComponent("urls.txt")
        var lines = ""
        lines.reserveCapacity(ids.count * 90)
        for id in ids { lines += "/webhooks/kannel/bench/dlr?id=\(id)&token=\(signer.token(gateway: "bench", messageId: id))&type=1&reply=\n" }
        try lines.write(to: urls, atomically: true, encoding: .utf8)
        let script = directory.appendingPathComponent("dlr.lua")
        try Self.luaScript(urls: urls.path).write(to: script, atomically: true, encoding: .utf8)

        let setup = WebServer.Setup(host: "127.0.0.1", port: port, signer: signer, receipts: ReceiptApplier(store: store),
            gateways: ["bench": .kannel])
        let app = WebServer.application(setup, logger: Logger(label: "bench"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            try await Task.sleep(for: .milliseconds(500))
            let base = "http://127.0.0.1:\(port)"
            let ceiling = try Self.wrk(["-t1", "-c\(connections)", "-d\(seconds)s", "\(base)/health"])
            let before = try await store.statistics().messagesByStatus["delivered"] ?? 0
            let started = Date()
            let ingest = try Self.wrk(["-t1", "-c\(connections)", "-d\(seconds)s", "-s", script.path, base])
            let sent = Date().timeIntervalSince(started)
            // A 200 means durable in the receipt inbox; the drainer applies it behind. Wait for it to finish.
            let patience = Date().addingTimeInterval(Double(seconds) * 20)
            while try await store.receiptInboxDepth() > 0, Date() < patience { try await Task.sleep(for: .milliseconds(20)) }
            let drained = Date().timeIntervalSince(started)
            let left = try await store.receiptInboxDepth()
            let delivered = (try await store.statistics().messagesByStatus["delivered"] ?? 0) - before
            group.cancelAll()
            let taken = ingest.requestsPerSecond - Double(ingest.errors) / sent
            let applied = Double(delivered) / drained
            let ratio = 100 * taken / ceiling.requestsPerSecond
            print(String(format: "ceiling   wrk GET /health, %d connections: %.0f req/s", connections, ceiling.requestsPerSecond))
            print(String(format: "taken     wrk GET Kannel DLRs: %.0f req/s (%d non-2xx), each 200 durable in the receipt inbox",
                ingest.requestsPerSecond, ingest.errors))
            print(String(format: "applied   %d messages delivered %.1f s after the first DLR (wrk ran %.1f s; %d left in the inbox) = %.0f receipts/s end to end",
                delivered, drained, sent, left, applied))
            print(String(format: "ratio     taken %.0f %% of the /health ceiling (target >= 50 %%: %@); applied end to end %.0f receipts/s = %.0f %% of it (target >= 10,000: %@)",
                ratio, ratio >= 50 ? "met" : "MISSED", applied, 100 * applied / ceiling.requestsPerSecond, applied >= 10_000 ? "met" : "MISSED"))
        }
    }

    /// Enqueue, lease and accept: the state a message is in when its DLR arrives.
    private func submittedMessages(_ store: SQLiteStore) async throws -> [Int64] {
        var ids: [Int64] = []
        let now = Date()
        for start in stride(from: 0, to: messages, by: 20_000) {
            let batch = (start..<min(start + 20_000, messages)).map {
                NewMessage(
                    idempotencyKey: "bench:\($0)", purpose: .single, channel: .sms, lane: .transactional, category: .service,
                    address: "+861380000\(String(format: "%04d", $0 % 10_000))", payload: #"{"text":"x"}"#)
            }
            _ = try await store.enqueue(batch, now: now)
            let leased = try await store.leaseDue(lane: .transactional, limit: batch.count, owner: "bench", leaseUntil: now.addingTimeInterval(3600), now: now)
            _ = try await store.record(leased.map { .init(messageId: $0.id, event: .accepted(providerMessageId: nil), leaseOwner: "bench") }, now: now)
            ids += leased.map(\.id)
        }
        return ids
    }

    static func luaScript(urls: String) -> String {
        """
        local paths = {}
        for line in io.lines("\(urls)") do paths[#paths + 1] = line end
        local i = 0
        request = function()
          i = i + 1
          if i > #paths then i = 1 end
          return wrk.format("GET", paths[i])
        end
        """
    }

    struct WrkResult {
        var requestsPerSecond: Double
        var errors: Int
    }

    static func wrk(_ arguments: [String]) throws -> WrkResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let rate = output.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }
            .flatMap { Double($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let errors = output.split(separator: "\n").first { $0.contains("Non-2xx") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        return WrkResult(requestsPerSecond: rate, errors: errors)
    }
}
