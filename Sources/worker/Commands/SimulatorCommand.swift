import ArgumentParser
import Channels
import CoreModel
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Simulator

struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Run the built-in provider simulator (SMS, voice, fax and email semantics) on loopback.",
        discussion: """
            Accepts POST /sim/messages like a provider API, honours Idempotency-Key
            headers (--no-deduplicate: ignores them, as a provider without
            idempotency would), fails on purpose at the given rates, and reports
            delivery to each message's callback URL. GET /sim/stats counts unique
            messages, and keys and recipients sent or delivered twice.
            Point a gateway of kind `simulator` at it.

            Examples:
              tidings simulator --bind 127.0.0.1:8787
              tidings simulator --error-rate 0.1 --throttle-rate 0.05 --latency-ms 20 --undelivered-rate 0.02
              tidings simulator --refuse-rate 0.05 --answer-rate 0.6 --opt-out-rate 0.01
              tidings simulator --no-deduplicate --lost-answer-rate 0.01 --hang-ms 2500
            """)

    @Option(help: "host:port to listen on (loopback).") var bind = "127.0.0.1:8787"
    @Option(help: "Milliseconds added to every answer.") var latencyMs = 0
    @Option(help: "Share of requests answered 503.") var errorRate = 0.0
    @Option(help: "Share of requests answered 429 with Retry-After.") var throttleRate = 0.0
    @Option(help: "Retry-After seconds on a 429.") var retryAfter = 1
    @Option(help: "Share of accepted messages reported failed.") var undeliveredRate = 0.0
    // Unconditional: ArgumentParser would take "-1" for an option name and report the value missing.
    @Option(parsing: .unconditional, help: "Milliseconds before the delivery callback (negative, e.g. -1: none).")
    var callbackDelayMs = 200
    @Option(help: "Share of messages accepted but answered only after --hang-ms (the client times out; its resend must be a duplicate).") var lostAnswerRate = 0.0
    @Option(help: "How long a lost answer is held back, milliseconds.") var hangMs = 30_000
    @Option(help: "Share of requests whose connection is dropped unanswered (nothing taken).") var refuseRate = 0.0
    @Option(help: "Share of delivered survey calls/SMS answered (keys pressed, or a 1-5 reply).") var answerRate = 0.0
    @Option(help: "Share of delivered marketing and survey SMS answered 退订 (a survey SMS not answered so gets a score at --answer-rate).") var optOutRate = 0.0
    @Option(help: "Stop after this many seconds (0: run until interrupted).") var lifetime = 0.0
    @Flag(inversion: .prefixedNo, help: "Answer a repeated Idempotency-Key with the first answer (no: deliver again).")
    var deduplicate = true

    func validate() throws {
        for (name, rate) in [
            ("--error-rate", errorRate), ("--throttle-rate", throttleRate), ("--undelivered-rate", undeliveredRate), ("--lost-answer-rate", lostAnswerRate),
            ("--refuse-rate", refuseRate), ("--answer-rate", answerRate), ("--opt-out-rate", optOutRate),
        ]
        where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        guard ServerSettings.hostPort(bind) != nil else { throw ValidationError("--bind '\(bind)' is not host:port") }
    }

    func run() async throws {
        let (host, port) = ServerSettings.hostPort(bind)!
        var behaviour = ProviderSimulator.Behaviour()
        behaviour.latencyMs = latencyMs
        behaviour.serverErrorRate = errorRate
        behaviour.throttleRate = throttleRate
        behaviour.retryAfterSeconds = retryAfter
        behaviour.undeliveredRate = undeliveredRate
        behaviour.callbackDelayMs = callbackDelayMs < 0 ? nil : callbackDelayMs
        behaviour.lostAnswerRate = lostAnswerRate
        behaviour.hangMs = hangMs
        behaviour.refuseRate = refuseRate
        behaviour.answerRate = answerRate
        behaviour.optOutRate = optOutRate
        behaviour.deduplicate = deduplicate
        // Callbacks go out over a bounded set of connections, as providers' do: thousands held back while the
        // worker was down would otherwise arrive at once, beyond its listen backlog, and all be refused.
        let transport = CurlTransport(policy: .init(maxConnectionsPerHost: 64))
        defer { transport.shutdown() }
        let simulator = ProviderSimulator(behaviour: behaviour, transport: transport)
        var logger = Logger(label: "tidings.simulator")
        logger.logLevel = .warning
        let app = simulator.application(host: host, port: port, logger: logger)
        print("simulator listening on http://\(bind)")
        if lifetime > 0 {
            // Shut down gracefully at the end of its lifetime: a cancelled server logs its shutdown as errors.
            let services = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(service: app),
                        .init(
                            service: Lifetime(seconds: lifetime), successTerminationBehavior: .gracefullyShutdownGroup),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await services.run()
        } else {
            try await app.runService()
        }
    }
}
