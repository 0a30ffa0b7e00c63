import Hummingbird
import Logging

extension ProviderSimulator {
    /// The simulator as a provider on `host:port`: POST /sim/messages, GET
    /// /sim/stats and /health, on the server that drops `refuseRate` of the
    /// submissions' connections. `tidings simulator`, the dispatch benchmark
    /// and the tests all run the simulator built here.
    public func application(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/health") { _, _ in "ok\n" }
        register(on: router)
        return Application(
            router: router, server: server, configuration: .init(address: .hostname(host, port: port)), logger: logger)
    }
}
