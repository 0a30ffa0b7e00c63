import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `tidings run` as an operator stops it: within --grace even when the
/// provider hangs, and never twice on one database.
struct RunShutdownTests {
    /// A `tidings run` in `directory`, with its output in run.log.
    static func startWorker(in directory: URL, arguments: String = "") throws -> pid_t {
        let binary = CommandLineTests.binary.path
        return try spawnDetached([
            "/bin/sh", "-c", "cd '\(directory.path)' && HOOK=run-secret-0123456789abcdef0123456789abcdef exec '\(binary)' run \(arguments) > run.log 2>&1",
        ])
    }

    static func config(simulatorPort: Int, serverPort: Int, timeoutMs: Int) -> String {
        """
        server: {bind: "127.0.0.1:\(serverPort)", webhook_secret: "${HOOK}"}
        quiet_hours: {start: "00:00", end: "00:00", lanes: []}
        gateways:
          - {name: sim, kind: simulator, channels: [sms], url: "http://127.0.0.1:\(simulatorPort)", timeout_ms: \(timeoutMs)}
        """
    }

    /// Exit status of `pid`, waiting at most `seconds`; nil if it is still running (then it is killed).
    static func exitStatus(_ pid: pid_t, within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F) }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return nil
    }

    /// One value from the worker's database, read as an operator would (python3's sqlite3: no extra package).
    static func sql(_ query: String, in directory: URL) throws -> String {
        let script = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1], timeout=30).execute(sys.argv[2]).fetchone()[0])"
        let result = try runCommand(["python3", "-c", script, directory.appendingPathComponent("tidings.sqlite").path, query])
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aHungProviderDoesNotHoldShutdownPastGrace() throws {
        try CommandLineTests.withDirectory { directory in
            let simulatorPort = LocalPorts.block(1)
            let simulator = try spawnDetached([
                CommandLineTests.binary.path, "simulator", "--bind", "127.0.0.1:\(simulatorPort)", "--lifetime", "60",
                "--lost-answer-rate", "1", "--hang-ms", "60000", "--callback-delay-ms=-1",
            ])
            defer {
                kill(simulator, SIGTERM)
                _ = Self.exitStatus(simulator, within: 5)
            }
            let listening = Date().addingTimeInterval(10)
            while LocalPorts.isFree(simulatorPort), Date() < listening { usleep(50_000) }
            try Self.config(simulatorPort: simulatorPort, serverPort: LocalPorts.block(1), timeoutMs: 30_000)
                .write(to: directory.appendingPathComponent("tidings.yaml"), atomically: true, encoding: .utf8)
            #expect(try CommandLineTests.run(["init"], in: directory).status == 0)
            #expect(try CommandLineTests.run(["demo", "queue", "--count", "20", "--prefix", "hang"], in: directory).status == 0)
            let worker = try Self.startWorker(in: directory, arguments: "--grace 3")
            // Every message handed to the hung provider.
            let sending = Date().addingTimeInterval(10)
            while try Self.sql("SELECT COUNT(*) FROM messages WHERE status = 'sending'", in: directory) != "20", Date() < sending {
                usleep(100_000)
            }
            usleep(300_000)
            let asked = Date()
            kill(worker, SIGTERM)
            let status = Self.exitStatus(worker, within: 8)
            let took = Date().timeIntervalSince(asked)
            let log = (try? String(contentsOf: directory.appendingPathComponent("run.log"), encoding: .utf8)) ?? ""
            #expect(took < 4, "stopped \(took) s after SIGTERM with --grace 3\n\(log)")
            #expect(status == 3, "the exit status says sends were cut\n\(log)")
            #expect(try Self.sql("SELECT COUNT(*) FROM messages WHERE status = 'sending'", in: directory) == "0")
            #expect(
                try Self.sql(
                    "SELECT COUNT(*) FROM messages WHERE status = 'retrying' AND last_error_kind = 'unanswered' AND pinned_gateway = 'sim'",
                    in: directory) == "20", "cut sends are recorded as unanswered, pinned to their gateway")
        }
    }

    @Test func aSecondWorkerOnTheSameDatabaseRefusesAndNamesTheFirst() throws {
        try CommandLineTests.withDirectory { directory in
            try Self.config(simulatorPort: LocalPorts.block(1), serverPort: LocalPorts.block(1), timeoutMs: 1000)
                .write(to: directory.appendingPathComponent("tidings.yaml"), atomically: true, encoding: .utf8)
            #expect(try CommandLineTests.run(["init"], in: directory).status == 0)
            let first = try Self.startWorker(in: directory)
            defer {
                kill(first, SIGTERM)
                _ = Self.exitStatus(first, within: 10)
            }
            let lock = directory.appendingPathComponent("tidings.sqlite.worker").path
            let started = Date().addingTimeInterval(10)
            while ((try? String(contentsOfFile: lock, encoding: .utf8)) ?? "").isEmpty, Date() < started { usleep(50_000) }
            let second = try CommandLineTests.run(["run", "--lifetime", "1"], in: directory, environment: ["HOOK": "second-run-0123456789abcdef0123456789abcdef"])
            #expect(second.status == 1)
            #expect(second.stderr.contains("another worker is sending from this database"), "\(second.stderr)")
            #expect(second.stderr.contains("pid \(first)"), "it names the first worker: \(second.stderr)")
        }
    }
}
