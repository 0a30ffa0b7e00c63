import ArgumentParser
import Campaigns
import Channels
import CoreModel
import Foundation
import Logging
import Scheduler
import ServiceLifecycle

extension Channel: ExpressibleByArgument {}
extension Lane: ExpressibleByArgument {}

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send one message through the outbox.",
        discussion: """
            The message becomes an outbox row first (transactional lane), like every
            message Tidings sends. Without --wait it is left for `tidings run`; with
            --wait this command sends it, receives the receipt on the webhook server
            (server.bind) and exits 0 when delivered, 1 when it failed, 3 when no final
            status came within --timeout. A gateway that reports no delivery (smtp, a
            simulator with callbacks off) ends the wait at submitted, with status 0.

            Examples:
              tidings send --channel sms --to 13812345678 --text "您的订单已确认" --wait
              tidings send --channel sms --to +8613812345678 --template order-confirmation \\
                --var member_name=李女士 --var branch_name=天河店 --var order_no=SO123 --var amount=368.00 --wait
              tidings send --channel email --to li@example.com --text "Table for 4 at 19:00" --gateway smtp
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "sms, voice, fax or email.") var channel: Channel
    @Option(help: "Phone number (E.164 or national), email address or fax number.") var to: String
    @Option(help: "The message text.") var text: String?
    @Option(help: "A template under templates/NAME/ (CHANNEL.LOCALE.mustache; see README, Templates).") var template: String?
    @Option(name: .customLong("var"), help: ArgumentHelp("A template variable, key=value (repeatable).", valueName: "key=value")) var variables: [String] = []
    @Option(help: "Email subject or fax title (replaces a template's).") var subject: String?
    @Option(help: "Send through this gateway instead of the channel's first.") var gateway: String?
    @Option(help: "Link the message to this member (timeline, consent, bounces).") var member: String?
    @Option(help: "Idempotency key (default: a new one); the same key never sends twice.") var key: String?
    @Flag(help: "Send now and wait for the final status.") var wait = false
    @Option(help: "Seconds to wait for the final status with --wait.") var timeout: Double = 60

    func validate() throws {
        guard (text == nil) != (template == nil) else { throw ValidationError("give exactly one of --text or --template") }
        for variable in variables where !variable.contains("=") || variable.hasPrefix("=") { throw ValidationError("--var '\(variable)' is not key=value") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        var values: [String: String] = [:]
        for variable in variables {
            let parts = variable.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let idempotencyKey = key ?? "cli:\(UUID().uuidString.lowercased())"
        let send = SingleSend(
            channel: channel, to: to, text: text, template: template, values: values, subject: subject, gateway: gateway,
            memberNo: member, idempotencyKey: idempotencyKey)
        // Refused input is said before anything starts.
        let message: NewMessage
        do { message = try send.newMessage(config: config) } catch { throw Self.failure(error) }
        let transport = config.makeTransport()
        defer { transport.shutdown() }
        var signer = WebhookSigner(secret: config.server.webhookSecret?.value ?? "unset")
        var server: WebServer.Setup?
        if wait {
            let setup = try WebServer.setup(config: config, store: store)
            signer = setup.signer
            server = setup
        }
        let registry: GatewayRegistry
        do { registry = try GatewayRegistry.build(config: config, transport: transport, signer: signer) } catch {
            printError("config: \(error)")
            throw ExitCode.failure
        }
        let queued = try await SingleSend.enqueue(message, into: store)
        let id = queued.id
        if queued.duplicate {
            print("message \(id) already exists for key \(idempotencyKey); not sent again")
        } else {
            print("message \(id) queued (\(channel.rawValue) to \(Redaction.address(queued.address)), key \(idempotencyKey))")
        }
        guard wait, let server else { return }
        let status = try await sendAndWait(
            id: id, store: store, registry: registry, server: server, transport: transport,
            retry: config.dispatch.retry)
        print("message \(id): \(status.status.rawValue)\(status.reason.map { " (\(Redaction.text($0)))" } ?? "")\(status.gateway.map { " via \($0)" } ?? "")")
        if Self.isAsFarAsItGoes(status, registry) {
            print("  \(status.gateway ?? "the gateway") reports no delivery: submitted is as far as it goes")
            return
        }
        switch status.status {
        case .delivered: return
        case .failed, .expired, .suppressed, .cancelled: throw ExitCode.failure
        default: throw ExitCode(3)
        }
    }

    private func sendAndWait(
        id: Int64, store: SQLiteStore, registry: GatewayRegistry, server: WebServer.Setup, transport: CurlTransport,
        retry: [Channel: RetryPolicy]
    ) async throws -> MessageState {
        let owner = DispatchSettings.localOwner()
        guard let lock = try? WorkerLock(database: store.path, owner: owner) else {
            // A worker runs on this database: it sends the message and takes its receipts; we only watch.
            print("  a running worker sends it")
            return try await watch(id: id, store: store, registry: registry, sending: nil)
        }
        defer { withExtendedLifetime(lock) {} }
        let logger = Logger(label: "tidings.send")
        let app = WebServer.application(server, registry: registry, logger: logger)
        // Shut down gracefully when the wait is over: a cancelled server logs its own shutdown as two errors.
        var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(5)
        let services = ServiceGroup(configuration: configuration)
        var settings = DispatchSettings(owner: owner)
        settings.channelRetry = retry
        let dispatcher = Dispatcher(store: store, registry: registry, settings: settings)
        return try await withThrowingTaskGroup(of: MessageState?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            group.addTask {
                // Providers do not always retry a callback: send only once the webhook server listens.
                let health = "http://\(server.host.contains(":") ? "[\(server.host)]" : server.host):\(server.port)/health"
                await transport.waitUntilAnswering(health)
                return try await watch(id: id, store: store, registry: registry, sending: dispatcher)
            }
            do {
                let state = try await group.first { $0 != nil }!!
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return state
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// Submitted through a gateway that never reports a delivery (SMTP): waiting on is pointless.
    static func isAsFarAsItGoes(_ state: MessageState, _ registry: GatewayRegistry) -> Bool {
        state.status == .submitted && state.gateway.map { !registry.reportsDelivery($0) } ?? false
    }

    /// Prints each status the message passes through until it is final (or
    /// as far as its gateway reports) or --timeout passes; `sending`
    /// dispatches due transactional messages meanwhile.
    private func watch(
        id: Int64, store: SQLiteStore, registry: GatewayRegistry, sending: Dispatcher?
    ) async throws -> MessageState {
        let deadline = Date().addingTimeInterval(timeout)
        var last: MessageStatus?
        while true {
            try await sending?.sendDue(lanes: [.transactional], limit: 10)
            guard let state = try await store.messageState(id: id) else { throw CommandFailure("message \(id) vanished") }
            if state.status != last {
                print("  \(state.status.rawValue)\(state.reason.map { ": \(Redaction.text($0))" } ?? "")")
                last = state.status
            }
            if state.status.isFinal || Self.isAsFarAsItGoes(state, registry) || Date() >= deadline { return state }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The refusal in the command's own words (`--to`, `--var`).
    static func failure(_ refused: SingleSend.Refused) -> CommandFailure {
        switch refused.field {
        case "to": CommandFailure("--to \(refused.message)")
        case "values": CommandFailure("\(refused.message) (give it with --var)")
        default: CommandFailure(refused.message)
        }
    }
}
