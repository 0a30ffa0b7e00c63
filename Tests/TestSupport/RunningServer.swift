import Channels
import Hummingbird

/// Runs `app` on loopback for the body's duration, once `readyAt` answers 200.
public func withRunning<App: ApplicationProtocol, T: Sendable>(
    _ app: App, readyAt url: String, _ body: @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.runService(gracefulShutdownSignals: [])
            return nil
        }
        let transport = CurlTransport()
        defer { transport.shutdown() }
        await transport.waitUntilAnswering(url)
        let result = try await body()
        group.cancelAll()
        return result
    }
}
