import ArgumentParser
import CoreModel
import Foundation

/// `tidings token create|list|revoke`: bearer tokens for the admin API.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke bearer tokens for the admin API (/api/v1).",
        discussion: """
            A token is shown once, when it is created; the database keeps only its SHA-256.
            Scopes: read (every GET, previews, segment counts), write (read, and everything
            that changes data: campaigns, task closing, sends), and --reveal for full phone
            numbers and emails in answers (masked otherwise). `tidings run` serves the API on
            server.bind; see docs/openapi.json.
            Examples:
              tidings token create --name dashboard --scope read
              tidings token create --name crm --scope write --reveal
              tidings token list
              tidings token revoke crm
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case read, write
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A new token, printed once.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "What the token is for (letters, digits, '-', '_', '.'; unique among tokens not revoked).")
        var name: String
        @Option(help: "read or write (write includes read).") var scope: Scope
        @Flag(help: "Answers show full phone numbers and emails.") var reveal = false

        func validate() throws {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
            guard (1...64).contains(name.count), name.allSatisfy(allowed.contains), Int64(name) == nil else {
                throw ValidationError("--name must be 1–64 letters, digits, '-', '_' or '.', and not a number")
            }
        }

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            var scopes: Set<ApiScope> = [scope == .write ? .write : .read]
            if reveal { scopes.insert(.reveal) }
            let secret = ApiTokenSecret.generate()
            let token: ApiToken
            do {
                token = try await store.createApiToken(
                    name: name, tokenHash: ApiTokenSecret.hash(secret), scopes: scopes,
                    createdBy: CampaignCommand.actor,
                    now: Date())
            } catch let error as StoreError where error.code == .refused {
                throw CommandFailure(error.message)
            }
            print("token \(token.id) '\(token.name)' (\(ApiScope.list(token.scopes))) created; it is shown only now:")
            print(secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every token: name, scopes, created, last used, revoked (never the token).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let tokens = try await store.apiTokens()
            if json {
                struct Listed: Encodable {
                    var id: Int64, name: String, scopes: [String], createdAt: Date, createdBy: String
                    var lastUsedAt: Date?, revokedAt: Date?
                }
                return try JSONOutput.print(
                    tokens.map {
                        Listed(
                            id: $0.id, name: $0.name, scopes: $0.scopes.sorted().map(\.rawValue),
                            createdAt: $0.createdAt,
                            createdBy: $0.createdBy, lastUsedAt: $0.lastUsedAt, revokedAt: $0.revokedAt)
                    })
            }
            guard !tokens.isEmpty else { return print("no tokens yet: tidings token create --name NAME --scope read") }
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            var table = TextTable(["id", "name", "scopes", "created", "by", "last used", "revoked"], rightAligned: [0])
            for token in tokens {
                table.add([
                    "\(token.id)", token.name, ApiScope.list(token.scopes), displayTime(token.createdAt, zone),
                    token.createdBy,
                    token.lastUsedAt.map { displayTime($0, zone) } ?? "-",
                    token.revokedAt.map { displayTime($0, zone) } ?? "-",
                ])
            }
            print(table.render())
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token by id or name; requests carrying it are refused from then on.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token's id or name.") var token: String

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let id: Int64
            if let number = Int64(token) {
                id = number
            } else {
                guard let named = try await store.apiTokens().last(where: { $0.name == token && !$0.isRevoked }) else {
                    throw CommandFailure("no token named '\(token)' that is not revoked; see tidings token list")
                }
                id = named.id
            }
            switch try await store.revokeApiToken(id: id, now: Date()) {
            case .revoked(let revoked): print("token \(revoked.id) '\(revoked.name)' revoked")
            case .alreadyRevoked(let revoked): print("token \(revoked.id) '\(revoked.name)' was revoked already")
            case .notFound: throw CommandFailure("no token \(id); see tidings token list")
            }
        }
    }
}
