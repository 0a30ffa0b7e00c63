import Channels
import CoreModel
import Demo
import Foundation
import GRDB
import Logging
import Scheduler
import TestSupport

@testable import worker

/// The real application with the admin API on a loopback port, over a real
/// SQLite file seeded with the demo group, and a token of each kind.
struct AdminApiFixture: Sendable {
    let base: String
    let store: SQLiteStore
    let config: TidingsConfig
    let setup: WebServer.Setup
    let transport: CurlTransport
    let tokens: Tokens

    struct Tokens: Sendable {
        var read: String
        var write: String
        /// write and reveal
        var reveal: String
        var revoked: String
    }

    /// One answer: status and the JSON it carried.
    struct Answer: @unchecked Sendable {
        var status: Int
        var text: String
        var json: [String: Any]

        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var field: String? { (json["error"] as? [String: Any])?["field"] as? String }
        var message: String? { (json["error"] as? [String: Any])?["message"] as? String }
        var issueFields: [String] {
            ((json["error"] as? [String: Any])?["issues"] as? [[String: Any]] ?? []).compactMap {
                $0["field"] as? String
            }
        }
    }

    static let repository = CommandLineTests.templates.deletingLastPathComponent()
    static let document = repository.appendingPathComponent("docs/openapi.json")

    static func run<T: Sendable>(
        members: Int = 300, _ body: @Sendable (AdminApiFixture) async throws -> T
    ) async throws -> T {
        try await withTemporaryDirectory("tidings-api-test") { directory in
            let path = directory.appendingPathComponent("api.sqlite").path
            let store = try SQLiteStore(path: path)
            _ = try DemoSeeder(options: .init(members: members, seed: 7, anchor: Date(), branches: 3)).run(into: store)
            var config = TidingsConfig.defaults
            config.templates = CommandLineTests.templates.path
            config.database.path = path
            func token(_ name: String, _ scopes: Set<ApiScope>) async throws -> String {
                let secret = ApiTokenSecret.generate()
                _ = try await store.createApiToken(
                    name: name, tokenHash: ApiTokenSecret.hash(secret), scopes: scopes, createdBy: "test", now: Date())
                return secret
            }
            let tokens = Tokens(
                read: try await token("reader", [.read]), write: try await token("writer", [.write]),
                reveal: try await token("revealer", [.write, .reveal]),
                revoked: try await token("gone", [.write, .reveal]))
            let gone = try require(try await store.apiTokens().first { $0.name == "gone" })
            _ = try await store.revokeApiToken(id: gone.id, now: Date())

            let port = LocalPorts.block(1)
            var setup = WebServer.Setup(
                host: "127.0.0.1", port: port, signer: WebhookSigner(secret: "s"),
                receipts: ReceiptApplier(store: store),
                gateways: [:])
            setup.api = AdminApi(store: store, config: config, logger: Logger(label: "test"))
            let app = WebServer.application(setup, logger: Logger(label: "test"))
            let base = "http://127.0.0.1:\(port)"
            let (running, settings) = (setup, config)
            return try await withRunning(app, readyAt: "\(base)/health") {
                let transport = CurlTransport()
                defer { transport.shutdown() }
                let fixture = AdminApiFixture(
                    base: base, store: store, config: settings, setup: running, transport: transport, tokens: tokens)
                return try await body(fixture)
            }
        }
    }

    func call(
        _ method: OutboundRequest.Method, _ path: String, token: String?, body: String? = nil,
        authorization: String? = nil
    ) async throws -> Answer {
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if let authorization { headers.append(("Authorization", authorization)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await transport.send(
            OutboundRequest(method: method, url: base + path, headers: headers, body: Array((body ?? "").utf8)))
        let text = String(decoding: response.body, as: UTF8.self)
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return Answer(status: response.status, text: text, json: json)
    }

    /// The repository's campaign file as JSON with the same keys.
    static func campaignJSON(_ file: String, name: String? = nil, config: TidingsConfig) throws -> String {
        var definition = try CampaignFile.load(
            repository.appendingPathComponent("campaigns/\(file)").path, environment: config.campaignEnvironment()
        ).definition
        if let name { definition.name = name }
        return definition.storedJSON()
    }

    /// What a refused request must leave as it was: every table's rows, messages by
    /// status, each campaign's status and events, each task's state.
    func snapshot() async throws -> String {
        let statistics = try await store.statistics()
        var lines = statistics.tables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lines += statistics.messagesByStatus.sorted { $0.key < $1.key }.map { "messages.\($0.key)=\($0.value)" }
        for campaign in try await store.campaigns() {
            let events = try await store.campaignEvents(id: campaign.id).count
            lines.append("campaign \(campaign.name) \(campaign.status.rawValue) \(campaign.updatedAt) events=\(events)")
        }
        for task in try await store.tasks(TaskFilter(status: nil, limit: 1000), now: Date()) {
            lines.append("task \(task.id) \(task.status.rawValue) \(task.note ?? "-")")
        }
        return lines.joined(separator: "\n")
    }

    /// An open follow-up task for the first member (tasks are otherwise opened by survey answers).
    func openTask() async throws -> Int64 {
        let queue = try DatabaseQueue(path: store.path)
        return try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO tasks (member_id, staff_id, reason, due_at, status, created_at)
                    VALUES ((SELECT MIN(id) FROM members), (SELECT MIN(id) FROM staff), 'low_survey_score', ?,
                      'open', ?)
                    """,
                arguments: [Date().unixMillis + 86_400_000, Date().unixMillis])
            return db.lastInsertedRowID
        }
    }

    /// Every operation in docs/openapi.json: method, path template, the scope it names.
    static func documentedOperations() throws -> [(method: String, path: String, scope: String)] {
        let document = try require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.document)) as? [String: Any])
        let paths = try require(document["paths"] as? [String: [String: Any]])
        return paths.sorted { $0.key < $1.key }.flatMap { path, operations in
            operations.sorted { $0.key < $1.key }.compactMap { method, operation in
                guard let operation = operation as? [String: Any] else { return nil }
                return (method.uppercased(), path, operation["x-tidings-scope"] as? String ?? "?")
            }
        }
    }
}

/// `#require` outside a test body: throws instead of recording.
private func require<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw FixtureMissing(what: what) }
    return value
}

private struct FixtureMissing: Error {
    var what: String
}
