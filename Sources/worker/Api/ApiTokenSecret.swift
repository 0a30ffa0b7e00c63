import Crypto
import Foundation

/// The admin API's bearer tokens as text: `tdg_` and 64 hex digits (32 random
/// bytes), shown once; the store keeps only the SHA-256, as hex.
enum ApiTokenSecret {
    static let prefix = "tdg_"
    static let randomBytes = 32

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<randomBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + hex(bytes)
    }

    /// Whether `text` could be a token at all (checked before the store is asked).
    static func isWellFormed(_ text: String) -> Bool {
        text.hasPrefix(prefix) && text.utf8.count == prefix.utf8.count + 2 * randomBytes
            && text.dropFirst(prefix.count).allSatisfy(\.isHexDigit)
    }

    static func hash(_ token: String) -> String {
        hex(Array(SHA256.hash(data: Data(token.utf8))))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
