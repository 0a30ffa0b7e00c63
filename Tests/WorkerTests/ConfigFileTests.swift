import Channels
import CoreModel
import Foundation
import TestSupport
import Testing

@testable import worker

/// Where the config's paths point, which channels a gateway kind may carry,
/// where a YAML mistake is, and how the effective config prints.
struct ConfigFileTests {
    @Test func theDatabasePathIsReadBesideTheConfigFile() async throws {
        try await withTemporaryDirectory("tidings-config") { directory in
            let sub = directory.appendingPathComponent("etc")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let file = sub.appendingPathComponent("tidings.yaml").path
            try "database:\n  path: data/t.sqlite\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(
                try ConfigLoader.load(path: file, environment: [:]).config.database.path == sub.path + "/data/t.sqlite")
            try "database:\n  path: /var/lib/t.sqlite\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(try ConfigLoader.load(path: file, environment: [:]).config.database.path == "/var/lib/t.sqlite")
        }
        #expect(
            ConfigLoader.resolve("t.sqlite", besides: "tidings.yaml") == "t.sqlite",
            "a config here: the path as written")
        #expect(ConfigLoader.resolve("t.sqlite", besides: "./tidings.yaml") == "t.sqlite")
        #expect(ConfigLoader.resolve("t.sqlite", besides: "demo/tidings.yaml") == "demo/t.sqlite")
    }

    @Test func aGatewayCarriesOnlyChannelsItsKindSupports() throws {
        func load(_ yaml: String) throws -> ConfigLoader.Loaded {
            try ConfigLoader.parse(yaml, file: "tidings.yaml", environment: ["SID": "AC1", "TOKEN": "t"])
        }
        let twilio = """
            gateways:
              - name: tw
                kind: twilio
                channels: CHANNELS
                url: http://127.0.0.1:9/twilio
                credentials: {account_sid: "${SID}", auth_token: "${TOKEN}"}
                options: {from: "+15550001111"}
            """
        let smsOnly = try load(twilio.replacingOccurrences(of: "CHANNELS", with: "[sms]")).config
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let registry = try GatewayRegistry.build(
            config: smsOnly, transport: transport, signer: WebhookSigner(secret: "s"))
        #expect(registry.gateways["tw"]?.channels == [.sms])
        #expect(registry.order[.voice] == nil, "voice goes to no twilio gateway that does not list it")
        do {
            _ = try load(twilio.replacingOccurrences(of: "CHANNELS", with: "[sms, fax]"))
            Issue.record("a twilio gateway cannot carry fax")
        } catch let error as ConfigLoader.Located {
            #expect(error.keyPath == "gateways[0].channels[1]" && error.line == 4, "\(error)")
            #expect(error.message == "a twilio gateway carries sms and voice, not fax")
        }
        #expect(throws: ConfigLoader.Located.self) {
            try load("gateways:\n  - {name: k, kind: kannel, channels: [voice]}\n")
        }
        #expect(throws: ConfigLoader.Located.self) {
            try load("gateways:\n  - {name: m, kind: smtp, channels: [sms]}\n")
        }
    }

    /// libyaml's own mark: the line and column where it gave up.
    @Test func aYAMLSyntaxErrorPointsAtLineAndColumn() throws {
        do {
            _ = try ConfigLoader.parse(
                "database:\n  path: a.sqlite\n  bad: [1, 2\nserver: {}\n", file: "tidings.yaml", environment: [:])
            Issue.record("not refused")
        } catch let error as ConfigLoader.Located {
            #expect(error.description.hasPrefix("tidings.yaml:4:7: YAML syntax: "), "\(error)")
        }
        for (yaml, place) in [
            ("server:\n  bind: a\n  bind: b\n", "tidings.yaml:2:"), ("brand:\n  name: x\u{7}y\n", "tidings.yaml:2:10:"),
        ] {
            do {
                _ = try ConfigLoader.parse(yaml, file: "tidings.yaml", environment: [:])
                Issue.record("not refused: \(yaml)")
            } catch let error as ConfigLoader.Located {
                #expect(error.description.hasPrefix(place), "\(error)")
            }
        }
    }

    @Test func numbersPrintAsPeopleWriteThem() throws {
        var config = TidingsConfig.defaults
        config.gateways = [GatewaySettings(name: "g", kind: .simulator, channels: [.sms], url: nil, rate: 100)]
        let text = try YAMLOutput.text(config)
        #expect(text.contains("rate: 100\n"), "\(text)")
        #expect(!text.contains("e+"), "\(text)")
        #expect(YAMLOutput.human(0.5) == "0.5")
        #expect(YAMLOutput.human(2.75) == "2.75")
        #expect(YAMLOutput.human(-3) == "-3")
    }
}
