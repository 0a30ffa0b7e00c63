import ArgumentParser
import Channels
import CoreModel
import Foundation
import Hummingbird
import Logging
import Scheduler

/// The worker's one HTTP application, assembled here and nowhere else: the
/// adapters' webhooks (from Channels), /health and, when given, /metrics and
/// the admin API (/api/v1) and the web console (/console/), `tidings run` only.
/// `tidings run`, `tidings send --wait`, bench dlr and the end-to-end tests
/// all start the application built here, and with it the drainer that
/// applies the receipts its webhooks took.
enum WebServer {
    struct Setup: Sendable {
        var host: String
        var port: Int
        var signer: WebhookSigner
        /// Takes the webhooks' receipts; its drainer runs with the application.
        var receipts: ReceiptApplier
        /// The configured gateways' kinds: each webhook route serves only its own kind.
        var gateways: [String: GatewayKind]
        var twilioTokens: [String: String] = [:]
        var publicBase: String?
        /// The admin JSON API; nil serves none (`tidings send --wait`, bench dlr).
        var api: AdminApi?
        /// The web console's files (/console/); nil serves none.
        var console: ConsoleFiles?
    }

    static func setup(config: TidingsConfig, store: any Receipts) throws -> Setup {
        guard let secret = config.server.webhookSecret?.value else {
            throw CommandFailure("server.webhook_secret is required to receive receipts (set \(config.server.webhookSecret?.variable ?? "it") in the environment)")
        }
        guard let (host, port) = ServerSettings.hostPort(config.server.bind) else {
            throw CommandFailure("server.bind '\(config.server.bind)' is not host:port")
        }
        return Setup(
            host: host, port: port, signer: WebhookSigner(secret: secret),
            receipts: ReceiptApplier(store: store, rules: config.feedbackRules),
            gateways: Dictionary(config.gateways.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first }),
            twilioTokens: GatewayRegistry.twilioTokens(config.gateways), publicBase: config.server.callbackBase)
    }

    /// The webhooks and /health; `registry` gives the `http` gateways' receipt
    /// mappings (none without it); `metrics` adds /metrics.
    static func router(
        _ setup: Setup, registry: GatewayRegistry?, metrics: MetricsEndpoint?
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ in "ok\n" }
        var routes = WebhookRoutes(signer: setup.signer, sink: setup.receipts, gateways: setup.gateways)
        routes.twilioTokens = setup.twilioTokens
        routes.httpReceipts = registry?.httpReceipts ?? [:]
        routes.publicBase = setup.publicBase
        routes.register(on: router)
        metrics?.register(on: router)
        setup.api?.register(on: router)
        setup.console?.register(on: router)
        return router
    }

    static func application(
        _ setup: Setup, registry: GatewayRegistry? = nil, metrics: MetricsEndpoint? = nil, logger: Logger
    ) -> some ApplicationProtocol {
        var logger = logger
        logger.logLevel = .warning
        // In the application's own group the drainer runs wherever the server does and stops after it (a group
        // stops in reverse); what it leaves in the inbox is applied at the next start.
        return Application(
            router: router(setup, registry: registry, metrics: metrics),
            configuration: .init(address: .hostname(setup.host, port: setup.port)),
            services: [setup.receipts.drainer], logger: logger)
    }
}
