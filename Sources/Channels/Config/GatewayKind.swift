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
}
