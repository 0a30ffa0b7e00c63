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
            Prometheus format, the admin API under /api/v1: see tidings token), the dispatcher, the lease reaper and the automations
            (config: automations), and the daily RFM recompute (config: rfm). One worker per database file: a second `tidings run`
            on the same file refuses to start and names the first (host, pid, since).
            On start, leases a stopped worker left behind are taken back; while running,
            expired leases and receipts overdue by dispatch.receipt_timeout are too.
            On SIGTERM/SIGINT leasing stops, messages not yet handed to a gateway are
            released, and sends in flight may finish for up to --grace seconds; then
            they are cut and recorded as unanswered (retried later through the same
            gateway with the same key). Exit status 0 when nothing was cut, 3 when
            sends were cut or rows were left leased.

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
        let owner = DispatchSettings.localOwner()
        // Held until the command returns: the kernel drops it if the process dies.
        let lock: WorkerLock
        do { lock = try WorkerLock(database: store.path, owner: owner) } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))

        let transport = config.makeTransport()
        defer { transport.shutdown() }
        var setup = try WebServer.setup(config: config, store: store)
        setup.api = AdminApi(store: store, config: config, logger: logger)
        let registry: GatewayRegistry
        do { registry = try GatewayRegistry.build(config: config, transport: transport, signer: setup.signer) } catch {
            printError("config: \(error)")
            throw ExitCode.failure
        }
        var settings = DispatchSettings(owner: owner)
        settings.soleWorker = true
        settings.shutdownGrace = .milliseconds(Int(grace * 1000))
        settings.leaseSeconds = config.dispatch.leaseSeconds
        settings.receiptTimeouts = config.dispatch.receiptTimeouts
        settings.failoverAfterUnanswered = config.dispatch.failoverAfterUnanswered
        settings.channelRetry = config.dispatch.retry
        do { settings.policy = SendPolicy(rules: try SendPolicyRules(quietHours: config.quietHours)) } catch {
            throw CommandFailure("config quiet_hours: \(error)")
        }
        settings.timeZone = TimeZone(identifier: config.defaults.timezone) ?? settings.timeZone
        let environment = config.campaignEnvironment()
        let gate = CampaignSendGate(store: store, templates: environment.templates, timeZone: environment.timeZone, logger: logger)
        let dispatcher = Dispatcher(store: store, registry: registry, settings: settings, campaigns: gate, logger: logger)
        setup.api?.dispatcher = dispatcher
        switch ConsoleFiles.bundled() {
        case .success(let files): setup.console = files
        case .failure(let missing): logger.warning("no web console: \(missing)")
        }
        let campaigns = CampaignService(
            launcher: CampaignLauncher(store: store, planner: CampaignPlanner(environment: environment)), gate: gate, logger: logger)

        let endpoint = MetricsEndpoint(registry: metrics, store: store, traffic: dispatcher.traffic, adminToken: config.server.adminToken?.value)
        let app = WebServer.application(setup, registry: registry, metrics: endpoint, logger: logger)

        let runner = AutomationRunner(
            store: store, settings: config.automations, defaults: config.defaults, brand: config.brand,
            departments: config.departments, renderer: TemplateLibrary(directory: URL(fileURLWithPath: config.templates)),
            logger: logger)
        let automations = AutomationService(runner: runner, settings: config.automations, logger: logger)

        // Shut down in reverse: automations stop first, the dispatcher finishes before the server stops taking receipts.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: app, serviceName: "http"),
            .init(service: dispatcher, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "dispatcher"),
            .init(service: LeaseReaper(store: store, settings: settings, logger: logger), serviceName: "reaper"),
            .init(service: automations, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "automations"),
            .init(service: campaigns, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "campaigns"),
        ]
        services.append(
            .init(
                service: TaskEscalationService(store: store, rules: config.feedbackRules, logger: logger),
                successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "tasks"))
        services.append(
            .init(service: RollupService(store: store, logger: logger), successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "reports"))
        if let rfm = RFMService(store: store, settings: config.rfm, logger: logger) {
            services.append(.init(service: rfm, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "rfm"))
        }
        if lifetime > 0 { services.append(.init(service: Lifetime(seconds: lifetime), successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "lifetime")) }
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // The dispatcher cuts its sends at --grace and records them; the group waits a little longer for that.
        group.maximumGracefulShutdownDuration = .milliseconds(Int(grace * 1000) + 700)
        logger.notice(
            "tidings running",
            metadata: [
                "http": "\(setup.host):\(setup.port)", "gateways": "\(registry.gateways.keys.sorted().joined(separator: ","))",
                "owner": "\(lock.holder.owner)",
            ])
        try await ServiceGroup(configuration: group).run()
        let left = try await store.leaseOwners().contains(owner)
        if dispatcher.cutAtShutdown > 0 || left {
            logger.warning(
                "tidings stopped with work left",
                metadata: ["cut_at_grace": "\(dispatcher.cutAtShutdown)", "rows_still_leased": "\(left)"])
            throw ExitCode(3)
        }
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
