import Channels
import Foundation
import TestSupport
import Testing

/// Runs the built `tidings` binary the way a user does.
struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test bundle sits beside the product in .build/<config>/.
        let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var directory = me.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("tidings")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/tidings")
    }

    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], executable: URL = binary
    ) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["TIDINGS_CONFIG"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// `tidings simulator` on a loopback port for up to a minute, calling back after 100 ms.
    static func startSimulator(port: Int, extra: [String] = []) throws -> Process {
        let simulator = Process()
        simulator.executableURL = binary
        simulator.arguments = ["simulator", "--bind", "127.0.0.1:\(port)", "--lifetime", "60", "--callback-delay-ms", "100"] + extra
        simulator.standardOutput = FileHandle.nullDevice
        try simulator.run()
        return simulator
    }

    static func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CoreModelTests/Fixtures")

    /// The repository's templates/, which the starter config's automations need.
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates")

    @Test func importReportsBadRowsAndExitsOne() throws {
        try Self.withDirectory { directory in
            #expect(try Self.run(["init"], in: directory).status == 0)
            let file = Self.fixtures.appendingPathComponent("members-10-good-3-bad.csv").path
            let first = try Self.run(["import", "members", file], in: directory)
            #expect(first.status == 1)
            #expect(first.stderr.contains("members-10-good-3-bad.csv:12: column phone:"))
            #expect(first.stderr.contains("members-10-good-3-bad.csv:13: column member_no: is required but empty"))
            #expect(first.stderr.contains("members-10-good-3-bad.csv:14: column joined_on:"))
            let summary = try Self.run(["import", "members", file, "--json"], in: directory)
            #expect(summary.status == 1)
            let json = try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any]
            #expect(json?["inserted"] as? Int == 0)
            #expect(json?["unchanged"] as? Int == 10)
            #expect(json?["rejected"] as? Int == 3)
            let stats = try Self.run(["db", "stats", "--json"], in: directory)
            let tables = (try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])?["tables"] as? [String: Int]
            #expect(tables?["members"] == 10)
        }
    }

    @Test func brokenConfigFailsWithLineAndKeyPath() throws {
        try Self.withDirectory { directory in
            try "server:\n  bind: 127.0.0.1:8080\n  colour: blue\n".write(to: directory.appendingPathComponent("tidings.yaml"), atomically: true, encoding: .utf8)
            let unknown = try Self.run(["config", "check"], in: directory)
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("tidings.yaml:3:3: server.colour: unknown key 'colour'"))
            try "gateways:\n  - name: a\n    kind: kannel\n    channels: [sms]\n    burst: lots\n".write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
            let wrongType = try Self.run(["config", "check", "--config", "bad.yaml"], in: directory)
            #expect(wrongType.status == 1)
            #expect(wrongType.stderr.contains("bad.yaml:5:12: gateways[0].burst: expected a whole number, found 'lots'"))
        }
    }

    @Test func configCheckPrintsEffectiveConfigWithSecretsMasked() throws {
        try Self.withDirectory { directory in
            _ = try Self.run(["init", "--templates", Self.templates.path], in: directory)
            let check = try Self.run(["config", "check"], in: directory, environment: ["TIDINGS_ADMIN_TOKEN": "abc-very-secret"])
            #expect(check.status == 0)
            #expect(check.stdout.contains("max_in_flight: 64"))
            #expect(check.stdout.contains("${TIDINGS_ADMIN_TOKEN} (set)"))
            #expect(!check.stdout.contains("abc-very-secret"))
            #expect(check.stderr.contains("TIDINGS_WEBHOOK_SECRET is not set"))
        }
    }

    @Test func seedThenShowAMember() throws {
        try Self.withDirectory { directory in
            _ = try Self.run(["init"], in: directory)
            let seed = try Self.run(["demo", "seed", "--members", "200", "--anchor", "2026-11-20"], in: directory)
            #expect(seed.status == 0, "\(seed.stderr)")
            #expect(seed.stdout.contains("members"))
            let show = try Self.run(["member", "show", "M00000005"], in: directory)
            #expect(show.status == 0)
            #expect(show.stdout.contains("M00000005"))
            #expect(show.stdout.contains("****"), "contacts are masked by default")
            let missing = try Self.run(["member", "show", "NOPE"], in: directory)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no member NOPE"))
        }
    }

    /// Consent by hand and from a file, the blacklist with its reasons: what
    /// an operator types, with addresses masked unless --reveal.
    @Test func consentAndBlacklistByHand() throws {
        try Self.withDirectory { directory in
            _ = try Self.run(["init"], in: directory)
            _ = try Self.run(["demo", "seed", "--members", "50", "--anchor", "2026-11-20"], in: directory)
            let grant = try Self.run(
                ["consent", "grant", "M00000007", "--channel", "sms", "--category", "marketing", "--category", "survey",
                 "--source", "agent", "--evidence", "call 11-26", "--by", "li.na"], in: directory)
            #expect(grant.status == 0, "\(grant.stderr)")
            let revoke = try Self.run(["consent", "revoke", "+86 137 0000 0001", "--channel", "sms"], in: directory)
            #expect(revoke.stdout.contains("+86137****0001 sms marketing: now revoked"), "\(revoke.stdout)\(revoke.stderr)")
            let address = try Self.run(["consent", "show", "+8613700000001"], in: directory)
            #expect(address.stdout.hasPrefix("address +86137****0001: current consent"), "\(address.stdout)")
            let revealed = try Self.run(["consent", "show", "+8613700000001", "--reveal"], in: directory)
            #expect(revealed.stdout.hasPrefix("address +8613700000001: current consent"), "\(revealed.stdout)")
            let show = try Self.run(["consent", "show", "M00000007"], in: directory)
            #expect(show.stdout.contains("call 11-26") && show.stdout.contains("li.na"), "\(show.stdout)")
            let unknown = try Self.run(["consent", "grant", "NOPE", "--channel", "sms"], in: directory)
            #expect(unknown.status == 1 && unknown.stderr.contains("no member NOPE"))

            try "member_no,channel,category,granted\nM00000008,email,marketing,yes\nM99999999,sms,marketing,yes\n"
                .write(to: directory.appendingPathComponent("consents.csv"), atomically: true, encoding: .utf8)
            let imported = try Self.run(["import", "consents", "consents.csv"], in: directory)
            #expect(imported.status == 1 && imported.stderr.contains("consents.csv:3: column member_no: unknown member"))
            let timeline = try Self.run(["member", "show", "M00000008"], in: directory)
            #expect(timeline.stdout.contains("email marketing granted via import (consents.csv row 2)"), "\(timeline.stdout)")

            let add = try Self.run(["blacklist", "add", "13800138000", "--reason", "complained to 12321", "--by", "li.na"], in: directory)
            #expect(add.stdout.contains("added +86138****8000"))
            let list = try Self.run(["blacklist", "list"], in: directory)
            #expect(list.stdout.contains("+86138****8000") && list.stdout.contains("complained to 12321"))
            #expect(try Self.run(["blacklist", "list", "--reveal"], in: directory).stdout.contains("+8613800138000"))
            let bad = try Self.run(["blacklist", "add", "hello", "--reason", "x"], in: directory)
            #expect(bad.status == 1 && bad.stderr.contains("'hello' is not a phone number or email address"))
            #expect(try Self.run(["blacklist", "remove", "13800138000", "--reason", "restored"], in: directory).status == 0)
            #expect(try Self.run(["blacklist", "remove", "13800138000", "--reason", "again"], in: directory).status == 1)
        }
    }

    /// An audience by expression or by its saved name; a mistake is shown
    /// with a caret under its column and exits 1.
    @Test func segmentsAreCountedSampledAndExplained() throws {
        try Self.withDirectory { directory in
            _ = try Self.run(["init"], in: directory)
            _ = try Self.run(["demo", "seed", "--members", "300", "--anchor", "2026-11-20"], in: directory)
            let all = try Self.run(["segment", "count", ""], in: directory)
            #expect(all.stdout.hasPrefix("300 members match"), "\(all.stdout)\(all.stderr)")
            let saved = try Self.run(["segment", "count", "high_value", "--json"], in: directory)
            #expect(saved.status == 0 && saved.stdout.contains("\"members\""), "\(saved.stderr)")
            let sample = try Self.run(["segment", "sample", "has_phone", "--limit", "2"], in: directory)
            #expect(sample.stdout.contains("M00000001") && sample.stdout.contains("****"), "\(sample.stdout)")
            let bad = try Self.run(["segment", "count", "points > 3; DROP TABLE members"], in: directory)
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("points > 3; DROP TABLE members\n          ^ unexpected character ';'"), "\(bad.stderr)")
            let rfm = try Self.run(["rfm", "--json"], in: directory)
            #expect(rfm.status == 0 && rfm.stdout.contains("\"champions\""), "\(rfm.stderr)")
            let dormant = try Self.run(["segment", "count", "rfm_segment IN (at_risk, hibernating)"], in: directory)
            #expect(dormant.status == 0 && !dormant.stdout.hasPrefix("0 members"), "\(dormant.stdout)\(dormant.stderr)")
            #expect(try Self.run(["rfm", "--window", "forever"], in: directory).status == 1)
        }
    }

    /// Every URL an operator gives a provider, with the public URL and the
    /// gateway's token: the Kannel MO get-url, Aliyun's two callbacks.
    @Test func webhooksPrintsWhatToGiveEachProvider() throws {
        try Self.withDirectory { directory in
            let secret = "s3cret-0123456789abcdef0123456789abcdef"
            try """
                server:
                  bind: 127.0.0.1:8080
                  public_url: https://hooks.example.com/tidings/
                  webhook_secret: ${HOOK}
                gateways:
                  - {name: sms-cn, kind: kannel, channels: [sms], url: "http://127.0.0.1:13013/cgi-bin/sendsms", options: {from: "10690000"}}
                  - {name: ali, kind: aliyun, channels: [sms], url: "https://dysmsapi.aliyuncs.com/", credentials: {access_key_id: x, access_key_secret: y}, options: {sign_name: 鸿福楼}}
                """.write(to: directory.appendingPathComponent("tidings.yaml"), atomically: true, encoding: .utf8)
            let run = try Self.run(["webhooks"], in: directory, environment: ["HOOK": secret])
            #expect(run.status == 0, "\(run.stderr)")
            let token = WebhookSigner(secret: secret).inboundToken(gateway: "sms-cn")
            #expect(run.stdout.contains("get-url = \"https://hooks.example.com/tidings/webhooks/kannel/sms-cn/mo?token=\(token)&from=%p&to=%P&text=%b\""), "\(run.stdout)")
            let aliToken = WebhookSigner(secret: secret).inboundToken(gateway: "ali")
            #expect(run.stdout.contains("POST https://hooks.example.com/tidings/webhooks/aliyun/ali/report?token=\(aliToken)"))
            #expect(run.stdout.contains("POST https://hooks.example.com/tidings/webhooks/aliyun/ali/reply?token=\(aliToken)"))
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret), "the secret itself is never printed")
            let one = try Self.run(["webhooks", "--gateway", "nope"], in: directory, environment: ["HOOK": secret])
            #expect(one.status == 1 && one.stderr.contains("no gateway named nope"))
            let unset = try Self.run(["webhooks"], in: directory)
            #expect(unset.status == 1 && unset.stderr.contains("server.webhook_secret"))
        }
    }

    @Test func everyCommandHasHelpWithExamples() throws {
        try Self.withDirectory { directory in
            for command in [
                ["init"], ["import"], ["member", "show"], ["db", "stats"], ["demo", "seed"], ["config", "check"], ["consent"],
                ["blacklist"], ["webhooks"], ["segment"], ["rfm"],
            ] {
                let help = try Self.run(command + ["--help"], in: directory)
                #expect(help.status == 0)
                #expect(help.stdout.contains("Example"), "\(command) --help has examples")
            }
        }
    }
}

/// `tidings send --wait` end to end with `tidings simulator` in another process.
struct SendCommandTests {
    @Test func sendWaitsForTheDeliveryReport() throws {
        try CommandLineTests.withDirectory { directory in
            let simulatorPort = LocalPorts.block(1)
            let serverPort = LocalPorts.block(1)
            let simulator = try CommandLineTests.startSimulator(port: simulatorPort)
            defer { simulator.terminate() }
            try """
                server: {bind: "127.0.0.1:\(serverPort)", webhook_secret: "${HOOK}"}
                gateways:
                  - {name: sim, kind: simulator, channels: [sms, email], url: "http://127.0.0.1:\(simulatorPort)"}
                """.write(to: directory.appendingPathComponent("tidings.yaml"), atomically: true, encoding: .utf8)
            _ = try CommandLineTests.run(["init"], in: directory)
            let send = try CommandLineTests.run(
                ["send", "--channel", "sms", "--to", "138 1234 5678", "--text", "您的订单已确认", "--key", "order:1:confirm:sms", "--wait", "--timeout", "20"],
                in: directory, environment: ["HOOK": "cli-secret-0123456789abcdef0123456789abcdef"])
            #expect(send.status == 0, "\(send.stdout)\(send.stderr)")
            #expect(send.stdout.contains("message 1: delivered (delivered) via sim"))
            #expect(send.stdout.contains("+86138****5678"), "the number is masked")
            #expect(!send.stdout.contains("13812345678"))
            let again = try CommandLineTests.run(
                ["send", "--channel", "sms", "--to", "13812345678", "--text", "您的订单已确认", "--key", "order:1:confirm:sms"],
                in: directory, environment: ["HOOK": "cli-secret-0123456789abcdef0123456789abcdef"])
            #expect(again.stdout.contains("already exists"), "the same key is not sent twice")
            let bad = try CommandLineTests.run(["send", "--channel", "sms", "--to", "12345", "--text", "x"], in: directory)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("--to '12345'"))
        }
    }
}
