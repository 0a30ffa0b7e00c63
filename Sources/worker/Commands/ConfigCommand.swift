import ArgumentParser
import Channels
import CoreModel
import Foundation
import Yams

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
                Exit status: 0 valid, 1 invalid.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the effective config as JSON.") var json = false

        func run() async throws {
            let config: TidingsConfig
            do { config = try global.loadConfig(showWarnings: true) } catch let error as ConfigLoader.Located {
                printError(error.description)
                throw ExitCode.failure
            }
            // The gateways are built (nothing is sent) so their options are checked too.
            let transport = CurlTransport()
            defer { transport.shutdown() }
            do {
                _ = try GatewayRegistry.build(
                    config: config, transport: transport, signer: WebhookSigner(secret: config.server.webhookSecret?.value ?? "unset"))
            } catch {
                for issue in error.issues { printError("\(global.configPathDescription): \(issue)") }
                throw ExitCode.failure
            }
            if json {
                try JSONOutput.print(config)
            } else {
                let encoder = YAMLEncoder()
                encoder.options.allowUnicode = true
                print(try encoder.encode(config), terminator: "")
            }
        }
    }
}
