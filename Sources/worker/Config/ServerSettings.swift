import CoreModel
import Foundation

/// The `server:` section: where the worker listens for webhooks, the admin
/// API and /metrics, and the secrets that guard them.
struct ServerSettings: Sendable, Codable {
    /// host:port for webhooks, the admin API and /metrics.
    var bind: String
    /// How providers reach our webhooks (default http://BIND).
    var publicURL: String?
    var adminToken: Secret?
    var webhookSecret: Secret?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case bind, publicURL = "public_url", adminToken = "admin_token", webhookSecret = "webhook_secret"
    }

    /// Shortest `webhook_secret` accepted: an HMAC-SHA256 key as strong as its output.
    static let minimumSecretBytes = 32

    static let defaults = ServerSettings(bind: "127.0.0.1:8080", adminToken: nil, webhookSecret: nil)

    init(bind: String, publicURL: String? = nil, adminToken: Secret?, webhookSecret: Secret?) {
        self.bind = bind
        self.publicURL = publicURL
        self.adminToken = adminToken
        self.webhookSecret = webhookSecret
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bind = try c.decodeIfPresent(String.self, forKey: .bind) ?? Self.defaults.bind
        publicURL = try c.decodeIfPresent(String.self, forKey: .publicURL)
        adminToken = try c.decodeIfPresent(Secret.self, forKey: .adminToken)
        webhookSecret = try c.decodeIfPresent(Secret.self, forKey: .webhookSecret)
    }

    /// The base URL providers call back.
    var callbackBase: String {
        (publicURL ?? "http://\(bind)").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    /// Values a decoder cannot check, by key path under `path`.
    func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if Self.hostPort(bind) == nil {
            issues.append(.init(path: path + ["bind"], message: "'\(bind)' is not host:port"))
        }
        if let adminToken { issues += adminToken.issues(path: path + ["admin_token"]) }
        if let webhookSecret {
            issues += webhookSecret.issues(path: path + ["webhook_secret"])
            if let value = webhookSecret.value, value.utf8.count < Self.minimumSecretBytes {
                issues.append(.init(
                    path: path + ["webhook_secret"],
                    message: "must be at least \(Self.minimumSecretBytes) bytes (e.g. openssl rand -hex 32); it keys every webhook token"))
            }
        }
        return issues
    }

    /// "127.0.0.1:8080" → ("127.0.0.1", 8080); "[::1]:8080" → ("::1", 8080).
    static func hostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
