import ArgumentParser
import Campaigns
import Channels
import CoreModel
import Foundation
import Scheduler

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with tidings.yaml.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the config and print the effective settings (secrets masked).",
            discussion: """
                Examples:
                  tidings config check
                  TIDINGS_CONFIG=prod.yaml tidings config check --json
                Errors name the file, line and key path, e.g.
                  tidings.yaml:14:5: gateways[0].rate: expected a number, found 'fast'
                Every enabled automation's template must load for each of its channels
                in defaults.locale.
                Exit status: 0 valid, 1 invalid.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the effective config as JSON.") var json = false

        func run() async throws {
            let loaded: ConfigLoader.Loaded
            do { loaded = try global.loadConfigFile(showWarnings: true) } catch let error as ConfigLoader.Located {
                printError(error.description)
                throw ExitCode.failure
            }
            let config = loaded.config
            // The gateways are built (nothing is sent) so their options are checked too.
            let transport = config.makeTransport()
            defer { transport.shutdown() }
            do {
                _ = try GatewayRegistry.build(
                    config: config, transport: transport, signer: WebhookSigner(secret: config.server.webhookSecret?.value ?? "unset"))
            } catch {
                for issue in ConfigLoader.located(error.issues, in: loaded) { printError(issue.description) }
                throw ExitCode.failure
            }
            // A missing template would otherwise show only at run time, as an automation that sends nothing.
            let library = TemplateLibrary(directory: URL(fileURLWithPath: config.templates))
            let templates = config.automations.templateIssues(
                renderer: library, locale: config.defaults.locale, path: ["automations"])
            if !templates.isEmpty {
                for issue in ConfigLoader.located(templates, in: loaded) { printError(issue.description) }
                throw ExitCode.failure
            }
            // Where each gateway's traffic goes, and whether that name resolves here (as comments: the YAML stays valid).
            var reach = config.gateways.map { gateway in
                "# gateway \(gateway.name): \(gateway.host.map { "\($0) — \(Self.resolution(of: $0))" } ?? "no host")"
            }
            if config.gateways.contains(where: { $0.channels.contains(.fax) }) {
                reach.append("# fax documents: \(Self.faxFont())")
            }
            if json {
                for line in reach { printError(line) }
                try JSONOutput.print(config)
            } else {
                for line in reach { print(line) }
                print(try YAMLOutput.text(config), terminator: "")
            }
        }

        /// Whether this host can draw fax PDFs (the font is installed), found before the first fax fails.
        static func faxFont() -> String {
            do {
                _ = try FaxDocumentPDF.render(.init(title: "传真", lines: []))
                return "drawn in \(FaxDocumentPDF.fontFamily), embedded"
            } catch {
                return "cannot be drawn here — \(error)"
            }
        }

        /// "loopback", "resolves to 1.2.3.4, …" or "does not resolve (why)".
        static func resolution(of host: String) -> String {
            if CurlTransport.Policy.isLoopback(host) { return "loopback" }
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &list)
            guard status == 0, let first = list else {
                return "does not resolve (\(String(cString: gai_strerror(status))))"
            }
            defer { freeaddrinfo(first) }
            var addresses: [String] = []
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
                    NI_NUMERICHOST) == 0
                {
                    let address = String(cString: buffer)
                    if !addresses.contains(address) { addresses.append(address) }
                }
                entry = current.pointee.ai_next
            }
            return "resolves to " + addresses.prefix(3).joined(separator: ", ")
        }
    }
}
