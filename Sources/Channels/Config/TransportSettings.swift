import CoreModel
import Foundation

/// The `transport:` section: where outbound traffic may go. The curl
/// transport connects only to loopback, the hosts the configured gateways
/// name in their `url`, and `allow` — a provider that redirects or calls back
/// elsewhere (a media host for voice files, a second API host) is named here.
public struct TransportSettings: Sendable, Codable, Equatable {
    /// Extra host names (no scheme, no port) the transport may reach.
    public var allow: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case allow
    }

    public static let defaults = TransportSettings(allow: [])

    public init(allow: [String]) {
        self.allow = allow
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allow = try c.decodeIfPresent([String].self, forKey: .allow) ?? Self.defaults.allow
    }

    /// Values a decoder cannot check, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        allow.enumerated().compactMap { index, host in
            let valid = !host.isEmpty && host.allSatisfy { $0.isLetter || $0.isNumber || "-.:[]".contains($0) }
            return valid ? nil : ConfigIssue(
                path: path + ["allow", String(index)], message: "'\(host)' is not a host name (no scheme, path or port)")
        }
    }

    /// The transport's policy for these gateways: their hosts plus `allow`
    /// (loopback is always allowed), and each gateway's `ca_file` for its host.
    public func policy(for gateways: [GatewaySettings], maxConnectionsPerHost: Int = 0) -> CurlTransport.Policy {
        var caFiles: [String: String] = [:]
        for gateway in gateways {
            if let host = gateway.host, let caFile = gateway.caFile { caFiles[host] = caFile }
        }
        return CurlTransport.Policy(
            allowedHosts: Set(gateways.compactMap(\.host) + allow), caFiles: caFiles,
            maxConnectionsPerHost: maxConnectionsPerHost)
    }
}
