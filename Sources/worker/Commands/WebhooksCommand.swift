import ArgumentParser
import Channels
import CoreModel
import Foundation

/// `tidings webhooks`: every URL the operator must give a provider, built
/// from `server.public_url` and the gateway's token, so nobody has to read
/// the source to write Kannel's sms-service or Aliyun's callback settings.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Print, for each gateway, the URLs to give the provider (receipts, replies, unsubscribe).",
        discussion: """
            URLs start with server.public_url (else http://server.bind) and carry the
            gateway's token, derived from server.webhook_secret: a token works only on its
            own gateway's routes. URLs sent with each message (Kannel's dlr-url, Twilio's
            StatusCallback, email unsubscribe links) are listed for reference; they carry
            a per-message token and need no setup.
            Examples:
              tidings webhooks
              tidings webhooks --gateway sms-cn
              tidings webhooks --json
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this gateway.") var gateway: String?
    @Flag(help: "Print as JSON.") var json = false

    struct Endpoint: Codable, Equatable {
        var gateway: String
        var kind: String
        var purpose: String
        var method: String
        var url: String
        /// What to do with it at the provider.
        var setup: String
    }

    func run() async throws {
        let config = try global.loadConfig(showWarnings: true)
        guard let secret = config.server.webhookSecret?.value else {
            printError("error: server.webhook_secret is not set (\(config.server.webhookSecret?.variable.map { "$\($0) is empty" } ?? "add it to the config")): tokens come from it")
            throw ExitCode.failure
        }
        let gateways = config.gateways.filter { gateway == nil || $0.name == gateway }
        if let gateway, gateways.isEmpty {
            printError("error: no gateway named \(gateway) (configured: \(config.gateways.map(\.name).joined(separator: ", ")))")
            throw ExitCode.failure
        }
        let endpoints = Self.endpoints(gateways, base: config.server.callbackBase, signer: WebhookSigner(secret: secret))
        if json { return try JSONOutput.print(endpoints) }
        print("callbacks start with \(config.server.callbackBase)\(config.server.publicURL == nil ? "  (server.public_url is not set: providers on other machines cannot reach this)" : "")")
        for name in gateways.map(\.name) {
            let mine = endpoints.filter { $0.gateway == name }
            print("\n\(name) (\(mine.first?.kind ?? ""))")
            for endpoint in mine {
                print("  \(endpoint.purpose): \(endpoint.method) \(endpoint.url)")
                for line in endpoint.setup.split(separator: "\n") { print("      \(line)") }
            }
        }
    }

    static func endpoints(_ gateways: [GatewaySettings], base: String, signer: WebhookSigner) -> [Endpoint] {
        gateways.flatMap { settings -> [Endpoint] in
            let name = settings.name, kind = settings.kind.rawValue
            let token = signer.inboundToken(gateway: name)
            let root = "\(base)/webhooks/\(kind)/\(name)"
            func endpoint(_ purpose: String, _ method: String, _ url: String, _ setup: String) -> Endpoint {
                Endpoint(gateway: name, kind: kind, purpose: purpose, method: method, url: url, setup: setup)
            }
            switch settings.kind {
            case .kannel:
                let mo = "\(root)/mo?token=\(token)&from=%p&to=%P&text=%b"
                return [
                    endpoint(
                        "replies (MO)", "GET", mo,
                        """
                        smsbox config (kannel.conf), with mo-recode = true in group = smsbox so Chinese arrives as UTF-8:
                          group = sms-service
                          keyword = default
                          catch-all = true
                          get-url = "\(mo)"
                          max-messages = 0
                          omit-empty = true
                        """),
                    endpoint(
                        "delivery reports", "GET", "\(root)/dlr?id=…&token=…&type=%d&reply=%A",
                        "sent with each message as dlr-url (dlr-mask 31); nothing to set up"),
                ]
            case .aliyun:
                return [
                    endpoint(
                        "delivery reports (SmsReport)", "POST", "\(root)/report?token=\(token)",
                        "Aliyun SMS console → 国内消息 → 通用设置 → 消息回执 (HTTP 批量推送模式): 短信发送状态报告接收 URL"),
                    endpoint(
                        "replies (SmsUp)", "POST", "\(root)/reply?token=\(token)",
                        "same page: 上行短信接收 URL"),
                ]
            case .http:
                return [
                    endpoint(
                        "delivery reports", "POST", "\(root)/receipt?token=\(token)",
                        "sent to the provider as {{callback}} in each request; give it to the provider only if it wants one fixed URL")
                ]
            case .twilio:
                return [
                    endpoint(
                        "status callbacks", "POST", "\(root)/status?id=…",
                        "sent with each message as StatusCallback; checked by X-Twilio-Signature, so server.public_url must be the exact address Twilio calls"),
                    endpoint("keypad answers", "POST", "\(root)/gather?id=…", "sent with each call's <Gather action>; nothing to set up"),
                ]
            case .smtp:
                return [
                    endpoint(
                        "one-click unsubscribe (RFC 8058)", "POST", "\(root)/unsubscribe?id=…&token=…",
                        "put in each marketing or survey mail's List-Unsubscribe header; nothing to set up"),
                ]
            case .simulator:
                return [endpoint("delivery reports", "POST", "\(root)/status", "sent with each message; nothing to set up")]
            }
        }
    }
}
