import CoreModel
import Foundation

/// Which adapter a gateway entry builds. An unknown kind is refused while
/// decoding, by key path, like any other value of the wrong shape.
public enum GatewayKind: String, Sendable, Codable, CaseIterable {
    case kannel
    /// Any provider with a simple API, HTTP fax services too (`content_type: multipart`).
    case http
    case twilio
    case aliyun
    /// Email, and email-to-fax (`fax_domain`).
    case smtp
    case simulator

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let kind = GatewayKind(rawValue: text) else {
            let kinds = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw decoder.refuse("unknown kind '\(text)' (one of \(kinds))")
        }
        self = kind
    }

    /// The channels the adapter can carry; a gateway's `channels:` picks among them.
    public var supportedChannels: [Channel] {
        switch self {
        case .kannel, .aliyun: [.sms]
        case .twilio: [.sms, .voice]
        case .smtp: [.email, .fax]
        case .http, .simulator: Channel.allCases
        }
    }

    /// The `options:` keys the adapter reads, in the order its error lists
    /// them; nil when the adapter checks its options itself (http: the
    /// mapping) or reads the ones it knows and ignores the rest (simulator).
    public var knownOptions: [String]? {
        switch self {
        case .kannel: ["from", "smsc", "method"]
        case .aliyun: ["sign_name", "template", "region", "batch_size"]
        case .twilio: ["from"]
        case .smtp: ["from", "from_name", "fax_domain", "tls"]
        case .http, .simulator: nil
        }
    }
}
