import ArgumentParser
import Campaigns
import Channels
import CoreModel
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Scheduler
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the worker: automations, dispatcher, webhooks, /health and /metrics, until SIGTERM or SIGINT.",
        discussion: """
            One service group: the HTTP server (provider webhooks, /health, /metrics in
            Prometheus format), the dispatcher and the automations (config: automations). On start, leases a crash left behind
            are reconciled. On SIGTERM/SIGINT leasing stops, sends in flight finish
            (up to --grace seconds), messages not yet handed to a gateway are released,
            and the command exits 0.

            Examples:
              tidings run
              tidings run --config demo/tidings.yaml --lifetime 60
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Stop after this many seconds (0: until SIGTERM/SIGINT).") var lifetime = 0.0
    @Option(help: "Seconds in-flight sends may take to finish on shutdown before they are cut.") var grace = 15.0

    func validate() throws {
        guard lifetime >= 0, grace > 0 else { throw ValidationError("--lifetime must be >= 0 and --grace > 0") }
    }

    func run() async throws {
        let config = try global.loadConfig(showWarnings: true)
        let store = try global.openStore(config)
        let logger = Logger(label: "tidings")
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))

        let transport = CurlTransport()
        defer { transport.shutdown() }
        let setup = try WebServer.setup(config: config, store: store)
        let registry: GatewayRegistry
        do { registry = try GatewayRegistry.build(config: config, transport: transport, signer: setup.signer) } catch {
            printError("config: \(error)")
            throw ExitCode.failure
        }
        var settings = DispatchSettings(owner: DispatchSettings.localOwner())
        do { settings.policy = SendPolicy(rules: try SendPolicyRules(quietHours: config.quietHours)) } catch {
            throw ValidationError("config quiet_hours: \(error)")
        }
        settings.timeZone = TimeZone(identifier: config.defaults.timezone) ?? settings.timeZone
        let dispatcher = Dispatcher(store: store, registry: registry, settings: settings, logger: logger)

        let endpoint = MetricsEndpoint(registry: metrics, store: store, traffic: dispatcher.traffic, adminToken: config.server.adminToken?.value)
        let app = WebServer.application(setup, registry: registry, metrics: endpoint, logger: logger)

        let runner = AutomationRunner(
            store: store, settings: config.automations, defaults: config.defaults, brand: config.brand,
            renderer: TemplateLibrary(directory: URL(fileURLWithPath: config.templates)), logger: logger)
        let automations = AutomationService(runner: runner, settings: config.automations, logger: logger)

        // Shut down in reverse: automations stop first, the dispatcher finishes before the server stops taking receipts.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: app, serviceName: "http"),
            .init(service: dispatcher, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "dispatcher"),
            .init(service: automations, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "automations"),
        ]
        if lifetime > 0 { services.append(.init(service: Lifetime(seconds: lifetime), successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "lifetime")) }
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(grace)
        logger.notice("tidings running", metadata: ["http": "\(setup.host):\(setup.port)", "gateways": "\(registry.gateways.keys.sorted().joined(separator: ","))"])
        try await ServiceGroup(configuration: group).run()
        logger.notice("tidings stopped")
    }
}

/// Ends the group after a while (`--lifetime`), for demos and tests.
struct Lifetime: Service {
    let seconds: Double

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(seconds)) }
    }
}
