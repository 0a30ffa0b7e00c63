import CoreModel
import Foundation

/// One entry of the `gateways:` list: a named adapter, the channels it
/// carries and how hard it may be driven.
public struct GatewaySettings: Sendable, Codable {
    public var name: String
    public var kind: GatewayKind
    public var channels: [Channel]
    public var url: String?
    /// Messages per second.
    public var rate: Double
    public var burst: Int
    public var maxInFlight: Int
    public var timeoutMs: Int
    /// Share of its channels' traffic when several gateways carry a
    /// channel (split); 0 = only by config order (first preferred, the
    /// rest failover). Failover follows config order either way.
    public var weight: Int
    public var credentials: [String: Secret]
    /// Adapter settings (Kannel: from, smsc, method; SMTP: from; Aliyun: sign_name…).
    public var options: [String: String]
    /// A PEM CA bundle to verify this provider's certificate with, when a
    /// private CA signs it (else the system's bundle).
    public var caFile: String?
    /// Yuan per SMS segment (per message on the other channels), for cost
    /// estimates before a campaign goes out; nil: not known.
    public var price: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, channels, url, rate, burst, maxInFlight = "max_in_flight", timeoutMs = "timeout_ms", weight
        case credentials, options, caFile = "ca_file", price
    }

    /// Every value an entry may leave out has its default here, and only here.
    public init(
        name: String, kind: GatewayKind, channels: [Channel], url: String?, rate: Double = 100, burst: Int = 50,
        maxInFlight: Int = 32, timeoutMs: Int = 10_000, weight: Int = 0, credentials: [String: Secret] = [:],
        options: [String: String] = [:], caFile: String? = nil, price: Double? = nil
    ) {
        self.name = name
        self.kind = kind
        self.channels = channels
        self.url = url
        self.rate = rate
        self.burst = burst
        self.maxInFlight = maxInFlight
        self.timeoutMs = timeoutMs
        self.weight = weight
        self.credentials = credentials
        self.options = options
        self.caFile = caFile
        self.price = price
    }

    /// The host `url` names, as the transport will see it, if any.
    public var host: String? {
        url.flatMap { CurlTransport.hostAndPort(of: $0)?.host }
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name)
        let kind = try c.decode(GatewayKind.self, forKey: .kind)
        let channels = try c.decode([Channel].self, forKey: .channels)
        let url = try c.decodeIfPresent(String.self, forKey: .url)
        let d = GatewaySettings(name: name, kind: kind, channels: channels, url: url)
        self.init(
            name: name, kind: kind, channels: channels, url: url,
            rate: try c.decodeIfPresent(Double.self, forKey: .rate) ?? d.rate,
            burst: try c.decodeIfPresent(Int.self, forKey: .burst) ?? d.burst,
            maxInFlight: try c.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? d.maxInFlight,
            timeoutMs: try c.decodeIfPresent(Int.self, forKey: .timeoutMs) ?? d.timeoutMs,
            weight: try c.decodeIfPresent(Int.self, forKey: .weight) ?? d.weight,
            credentials: try c.decodeIfPresent([String: Secret].self, forKey: .credentials) ?? d.credentials,
            options: try c.decodeIfPresent([String: String].self, forKey: .options) ?? d.options,
            caFile: try c.decodeIfPresent(String.self, forKey: .caFile),
            price: try c.decodeIfPresent(Double.self, forKey: .price))
    }
}
