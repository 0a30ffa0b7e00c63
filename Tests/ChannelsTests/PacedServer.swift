import Foundation
import Hummingbird
import Synchronization
import TestSupport

/// A live loopback server for streaming and cancellation tests: GET /fast
/// answers at once, GET /slow after 1.5 s, GET or POST /hang after 10 s (so it
/// stops by itself even if nothing cuts the request).
enum PacedServer {
    /// Requests the server received, by path.
    final class Hits: Sendable {
        private let counts = Mutex([String: Int]())
        func add(_ path: String) { counts.withLock { $0[path, default: 0] += 1 } }
        subscript(path: String) -> Int { counts.withLock { $0[path] ?? 0 } }

        /// Waits until `path` got `count` requests (true), or 5 s pass (false): a test
        /// cancels a send only once it is surely under way, however loaded the machine.
        func wait(for path: String, count: Int) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(5)
            while self[path] < count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
            return self[path] >= count
        }
    }

    static func run<T: Sendable>(_ body: @Sendable (_ base: String, _ hits: Hits) async throws -> T) async throws -> T {
        let hits = Hits()
        let router = Router()
        router.get("/ready") { _, _ in "ok" }
        router.get("/fast") { _, _ in
            hits.add("fast")
            return "fast"
        }
        router.get("/slow") { _, _ in
            hits.add("slow")
            try await Task.sleep(for: .milliseconds(1500))
            return "slow"
        }
        @Sendable func hang(_: Request, _: BasicRequestContext) async throws -> String {
            hits.add("hang")
            try await Task.sleep(for: .seconds(10))
            return "late"
        }
        router.get("/hang", use: hang)
        router.post("/hang", use: hang)
        let port = LocalPorts.block(1)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        let base = "http://127.0.0.1:\(port)"
        return try await withRunning(app, readyAt: base + "/ready") { try await body(base, hits) }
    }
}

/// The deadline of `within` passed.
struct DeadlinePassed: Error {}

/// The body's result, or `DeadlinePassed` once `limit` passes (the body is then
/// cancelled): a test of something that might hang fails instead.
func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlinePassed() }
        return value
    }
}
