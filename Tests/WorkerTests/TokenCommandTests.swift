import Channels
import Foundation
import TestSupport
import Testing

@testable import worker

#if canImport(Glibc)
import Glibc
#endif

/// `tidings token …` on the built binary, and the API that `tidings run` serves with those tokens.
struct TokenCommandTests {
    typealias CLI = CommandLineTests

    static func secret(in output: String) -> String? {
        output.split(separator: "\n").map(String.init).first { $0.hasPrefix("tdg_") }
    }

    @Test func tokensAreShownOnceKeptHashedListedRevokedAndServedByRun() async throws {
        try await CLI.withDirectory { directory in
            let port = LocalPorts.block(1)
            try RunShutdownTests.config(simulatorPort: LocalPorts.block(1), serverPort: port, timeoutMs: 1000)
                .write(to: directory.appendingPathComponent("tidings.yaml"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["init"], in: directory).status == 0)

            let read = try CLI.run(["token", "create", "--name", "dashboard", "--scope", "read"], in: directory)
            #expect(read.status == 0, "\(read.stderr)")
            #expect(read.stdout.contains("'dashboard' (read) created"), "\(read.stdout)")
            let reader = try #require(Self.secret(in: read.stdout))
            #expect(ApiTokenSecret.isWellFormed(reader))
            let write = try CLI.run(
                ["token", "create", "--name", "crm", "--scope", "write", "--reveal"], in: directory)
            #expect(write.stdout.contains("'crm' (write,reveal) created"), "\(write.stdout)")
            let writer = try #require(Self.secret(in: write.stdout))
            #expect(reader != writer)

            let taken = try CLI.run(["token", "create", "--name", "dashboard", "--scope", "write"], in: directory)
            #expect(taken.status == 1 && taken.stderr.contains("exists already"), "\(taken.stderr)")
            #expect(try CLI.run(["token", "create", "--name", "x", "--scope", "admin"], in: directory).status == 64)
            #expect(try CLI.run(["token", "create", "--name", "12", "--scope", "read"], in: directory).status == 64)

            let list = try CLI.run(["token", "list"], in: directory)
            #expect(list.status == 0)
            #expect(list.stdout.contains("dashboard") && list.stdout.contains("write,reveal"), "\(list.stdout)")
            #expect(!list.stdout.contains(reader) && !list.stdout.contains(writer), "no secret is listed")
            #expect(
                try RunShutdownTests.sql("SELECT token_hash FROM api_tokens WHERE name = 'dashboard'", in: directory)
                    == ApiTokenSecret.hash(reader))

            // `tidings run` serves the API with them.
            let worker = try RunShutdownTests.startWorker(in: directory)
            var running = true
            defer {
                if running {
                    kill(worker, SIGTERM)
                    _ = RunShutdownTests.exitStatus(worker, within: 10)
                }
            }
            let base = "http://127.0.0.1:\(port)"
            let transport = CurlTransport()
            defer { transport.shutdown() }
            await transport.waitUntilAnswering("\(base)/health")
            func call(
                _ method: OutboundRequest.Method, _ path: String, _ token: String, body: String = ""
            ) async throws -> Int {
                try await transport.send(
                    OutboundRequest(
                        method: method, url: base + path,
                        headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                        body: Array(body.utf8))
                ).status
            }
            #expect(try await call(.get, "/api/v1/campaigns", reader) == 200)
            let send = #"{"channel": "sms", "to": "13812345678", "text": "hi", "idempotency_key": "k1"}"#
            #expect(try await call(.post, "/api/v1/sends", reader, body: send) == 403)
            #expect(try RunShutdownTests.sql("SELECT COUNT(*) FROM messages", in: directory) == "0")

            let revoke = try CLI.run(["token", "revoke", "dashboard"], in: directory)
            #expect(
                revoke.status == 0 && revoke.stdout.contains("'dashboard' revoked"), "\(revoke.stdout)\(revoke.stderr)")
            #expect(try await call(.get, "/api/v1/campaigns", reader) == 401, "refused from the next request on")
            #expect(try await call(.get, "/api/v1/campaigns", writer) == 200)
            #expect(
                try CLI.run(["token", "revoke", "dashboard"], in: directory).status == 1, "no active token has the name"
            )
            #expect(
                try CLI.run(["token", "create", "--name", "dashboard", "--scope", "read"], in: directory).status == 0)

            kill(worker, SIGTERM)
            running = false
            #expect(RunShutdownTests.exitStatus(worker, within: 10) == 0)
            // Neither token is anywhere in the database's files: only their hashes are.
            for file in ["tidings.sqlite", "tidings.sqlite-wal"] {
                let bytes = (try? Data(contentsOf: directory.appendingPathComponent(file))) ?? Data()
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(!text.contains(reader) && !text.contains(writer), "\(file) holds a token")
                #expect(!text.contains(String(reader.dropFirst(4))), "\(file) holds a token's digits")
            }
        }
    }
}
