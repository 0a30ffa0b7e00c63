import Foundation
import TestSupport
import Testing

/// What the CLI says, and exits with, when its input is wrong; where its paths point.
struct CommandLineInputTests {
    typealias CLI = CommandLineTests

    @Test func inputErrorsExitOneWithoutTheUsage() throws {
        try CLI.withDirectory { directory in
            _ = try CLI.run(["init", "--templates", CLI.templates.path], in: directory)
            let bad = try CLI.run(["send", "--channel", "sms", "--to", "12345", "--text", "x"], in: directory)
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("--to '12345'"))
            #expect(!bad.stderr.contains("Usage:"), "\(bad.stderr)")
            let members = CLI.fixtures.appendingPathComponent("members-bom.csv").path
            let rejects = try CLI.run(
                ["import", "members", members, "--errors", "/no/such/dir/rejects.csv"], in: directory)
            #expect(
                rejects.status == 1 && rejects.stderr.contains("cannot write") && !rejects.stderr.contains("Usage:"),
                "\(rejects.stderr)")
            // A command line that is itself wrong still gets the usage.
            let both = try CLI.run(
                ["send", "--channel", "sms", "--to", "1", "--text", "x", "--template", "t"], in: directory)
            #expect(both.status == 64 && both.stderr.contains("Usage:"))
        }
    }

    @Test func configCheckNeedsEveryEnabledAutomationsTemplates() throws {
        try CLI.withDirectory { directory in
            let templates = directory.appendingPathComponent("tpl")
            try FileManager.default.copyItem(at: CLI.templates, to: templates)
            try FileManager.default.removeItem(
                at: templates.appendingPathComponent("reservation-call/voice.zh-CN.mustache"))
            #expect(try CLI.run(["init", "--templates", "tpl"], in: directory).status == 0)
            let check = try CLI.run(["config", "check"], in: directory)
            #expect(check.status == 1)
            let config = try String(contentsOf: directory.appendingPathComponent("tidings.yaml"), encoding: .utf8)
            let line =
                try #require(
                    config.components(separatedBy: "\n").firstIndex { $0.contains("template: reservation-call") }) + 1
            let expected =
                "tidings.yaml:\(line):15: automations.reservation_call.template: 'reservation-call' has no voice template "
                + "for zh-CN (tpl/reservation-call/voice.zh-CN.mustache: no such template file); add it, or set reservation_call.enabled: false"
            #expect(check.stderr.contains(expected), "\(check.stderr)")
            #expect(check.stdout.isEmpty)
            try "x\n".write(
                to: templates.appendingPathComponent("reservation-call/voice.zh-CN.mustache"), atomically: true,
                encoding: .utf8)
            let fixed = try CLI.run(["config", "check"], in: directory)
            #expect(fixed.status == 0, "\(fixed.stderr)")
            // Numbers as they are written in the file, not 5e+2.
            #expect(fixed.stdout.contains("  rate: 500\n") && !fixed.stdout.contains("e+"), "\(fixed.stdout)")
        }
    }

    @Test func theDatabaseIsBesideTheConfigFile() throws {
        try CLI.withDirectory { directory in
            let elsewhere = directory.appendingPathComponent("elsewhere")
            for folder in ["etc", "elsewhere"] {
                try FileManager.default.createDirectory(
                    at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let made = try CLI.run(
                ["init", "--config", "etc/tidings.yaml", "--templates", CLI.templates.path], in: directory)
            #expect(made.status == 0, "\(made.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("etc/tidings.sqlite").path))
            let stats = try CLI.run(["db", "stats", "--config", "../etc/tidings.yaml"], in: elsewhere)
            #expect(stats.status == 0, "\(stats.stderr)")
            #expect(stats.stdout.contains("database ../etc/tidings.sqlite"), "\(stats.stdout)")
            // --database is read from where the command runs, and init writes it so that the config finds it too.
            let own = try CLI.run(["init", "--config", "etc/other.yaml", "--database", "data.sqlite"], in: directory)
            #expect(own.status == 0, "\(own.stderr)")
            let written = try String(contentsOf: directory.appendingPathComponent("etc/other.yaml"), encoding: .utf8)
            #expect(
                written.contains("path: \(directory.standardizedFileURL.path)/data.sqlite"), "\(written.prefix(80))")
        }
    }

    @Test func anUnterminatedQuoteIsNamedWithItsLine() throws {
        try CLI.withDirectory { directory in
            _ = try CLI.run(["init", "--templates", CLI.templates.path], in: directory)
            try "member_no,name\nM1,王伟\nM2,\"李娜\nM3,张敏\n".write(
                to: directory.appendingPathComponent("broken.csv"), atomically: true, encoding: .utf8)
            let result = try CLI.run(["import", "members", "broken.csv"], in: directory)
            #expect(result.status == 1)
            #expect(
                result.stderr.contains("broken.csv:3: unterminated quoted field starting at line 3"), "\(result.stderr)"
            )
        }
    }

    /// `-1` is a value here, not an option; and the end of --lifetime is no error.
    @Test func theSimulatorTakesANegativeCallbackDelay() throws {
        try CLI.withDirectory { directory in
            let port = LocalPorts.block(1)
            let run = try CLI.run(
                ["simulator", "--bind", "127.0.0.1:\(port)", "--callback-delay-ms", "-1", "--lifetime", "0.3"],
                in: directory)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.isEmpty, "\(run.stderr)")
        }
    }

    @Test func aReadOnlyDatabaseSaysSo() throws {
        try CLI.withDirectory { directory in
            #expect(try CLI.run(["init", "--templates", CLI.templates.path], in: directory).status == 0)
            try "member_no,name\nM1,王伟\n".write(
                to: directory.appendingPathComponent("m.csv"), atomically: true, encoding: .utf8)
            let database = directory.appendingPathComponent("tidings.sqlite").path
            let result: CLI.Run
            if getuid() == 0 {
                // Root may write anything: the command runs as nobody, for whom the root-owned file is read-only.
                guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
                for file in ["tidings.sqlite", "tidings.yaml", "m.csv"] {
                    try FileManager.default.setAttributes(
                        [.posixPermissions: 0o644], ofItemAtPath: directory.appendingPathComponent(file).path)
                }
                result = try Self.run(
                    "/usr/bin/setpriv",
                    [
                        "--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary.path, "import", "members",
                        "m.csv",
                    ],
                    in: directory)
            } else {
                try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database)
                defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: database) }
                result = try CLI.run(["import", "members", "m.csv"], in: directory)
            }
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "database tidings.sqlite is read-only (the file is not writable: Permission denied)"),
                "\(result.stderr)")
        }
    }

    static func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> CLI.Run {
        try CLI.run(arguments, in: directory, executable: URL(fileURLWithPath: executable))
    }
}

/// `tidings send --wait` against `tidings simulator` in another process.
struct SendWaitTests {
    @Test func successIsQuietAndAGatewayWithoutReceiptsEndsTheWaitAtSubmitted() throws {
        try CommandLineTests.withDirectory { directory in
            let simulatorPort = LocalPorts.block(1)
            let serverPort = LocalPorts.block(1)
            let simulator = try CommandLineTests.startSimulator(port: simulatorPort)
            defer { simulator.terminate() }
            try """
            server: {bind: "127.0.0.1:\(serverPort)", webhook_secret: "${HOOK}"}
            gateways:
              - {name: sim, kind: simulator, channels: [sms], url: "http://127.0.0.1:\(simulatorPort)"}
              - {name: quiet, kind: simulator, channels: [email], url: "http://127.0.0.1:\(simulatorPort)", options: {callbacks: "off"}}
            """.write(to: directory.appendingPathComponent("tidings.yaml"), atomically: true, encoding: .utf8)
            _ = try CommandLineTests.run(["init"], in: directory)
            let hook = ["HOOK": "cli-secret-0123456789abcdef0123456789abcdef"]
            let sms = try CommandLineTests.run(
                ["send", "--channel", "sms", "--to", "13812345678", "--text", "您好", "--wait", "--timeout", "20"],
                in: directory,
                environment: hook)
            #expect(sms.status == 0, "\(sms.stdout)\(sms.stderr)")
            #expect(sms.stdout.contains("delivered"))
            #expect(sms.stderr.isEmpty, "a success prints no error lines: \(sms.stderr)")
            let started = Date()
            let email = try CommandLineTests.run(
                ["send", "--channel", "email", "--to", "li@example.com", "--text", "您好", "--wait", "--timeout", "30"],
                in: directory,
                environment: hook)
            #expect(email.status == 0, "\(email.stdout)\(email.stderr)")
            #expect(email.stdout.contains("message 2: submitted"), "\(email.stdout)")
            #expect(email.stdout.contains("quiet reports no delivery"))
            #expect(Date().timeIntervalSince(started) < 15, "it does not wait out --timeout")
            #expect(email.stderr.isEmpty, "\(email.stderr)")
        }
    }
}
