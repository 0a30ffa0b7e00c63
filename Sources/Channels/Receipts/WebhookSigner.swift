import Crypto
import Foundation

/// Per-message tokens for providers that cannot sign their callbacks (Kannel's
/// dlr-url, a simulator's status callback): HMAC-SHA256 over the gateway and
/// message id, carried in the URL and checked in constant time.
public struct WebhookSigner: Sendable {
    /// Keyed once: a copy per token is cheaper than keying HMAC on every webhook.
    private let keyed: HMAC<SHA256>

    public init(secret: String) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
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

    /// The `token` query parameter of a gateway-wide callback (MO, pushed
    /// receipts of providers that cannot sign): missing → 401, wrong → 403.
    public func authenticateInbound(_ query: [String: String], gateway: String) throws(WebhookRejection) {
        guard let token = query["token"] else { throw WebhookRejection(.unauthenticated, "missing token") }
        guard verifyInbound(token, gateway: gateway) else { throw WebhookRejection(.forbidden, "bad token") }
    }

    private func token(for text: String) -> String {
        var mac = keyed
        mac.update(data: Array(text.utf8))
        return Hex.encode(mac.finalize().prefix(16))
    }
}

/// Compares without stopping at the first difference (tokens, signatures).
public func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}

/// Lower-case hex without Foundation's String(format:), which cost a tenth of
/// the webhook's CPU time.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
