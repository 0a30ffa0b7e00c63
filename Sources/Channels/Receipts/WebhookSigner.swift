import Crypto
import Foundation

/// Per-message tokens for providers that cannot sign their callbacks (Kannel's
/// dlr-url, a simulator's status callback): HMAC-SHA256 over the gateway and
/// message id, carried in the URL and checked in constant time.
public struct WebhookSigner: Sendable {
    private let key: SymmetricKey

    public init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    public func token(gateway: String, messageId: Int64) -> String {
        token(for: "\(gateway):\(messageId)")
    }

    /// A fixed token for a gateway's inbound (MO) URL.
    public func inboundToken(gateway: String) -> String {
        token(for: "inbound:\(gateway)")
    }

    public func verify(_ token: String, gateway: String, messageId: Int64) -> Bool {
        constantTimeEqual(token, self.token(gateway: gateway, messageId: messageId))
    }

    public func verifyInbound(_ token: String, gateway: String) -> Bool {
        constantTimeEqual(token, inboundToken(gateway: gateway))
    }

    private func token(for text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

/// Compares without stopping at the first difference.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}
