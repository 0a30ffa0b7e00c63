import Foundation

/// application/x-www-form-urlencoded, both ways ("+" is a space).
public enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Decodes a query string or form body; a later duplicate key wins.
    public static func decode(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.utf8.split(separator: ampersand) {
            let parts = pair.split(separator: equals, maxSplits: 1, omittingEmptySubsequences: false)
            result[unescape(parts[0])] = parts.count > 1 ? unescape(parts[1]) : ""
        }
        return result
    }

    private static let ampersand = UInt8(ascii: "&"), equals = UInt8(ascii: "="), plus = UInt8(ascii: "+")
    private static let percent = UInt8(ascii: "%"), space = UInt8(ascii: " ")

    /// "+" is a space and "%XX" a byte, on the bytes: Foundation's
    /// `removingPercentEncoding` took a fifth of a webhook's CPU time. Like it,
    /// a broken escape or bytes that are not UTF-8 leave the escapes as they are.
    static func unescape(_ part: Substring.UTF8View) -> String {
        guard part.contains(where: { $0 == plus || $0 == percent }) else { return String(Substring(part)) }
        let raw = Array(part)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            switch raw[index] {
            case plus:
                bytes.append(space)
                index += 1
            case percent:
                guard index + 2 < raw.count, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2])
                else { return String(decoding: raw.map { $0 == plus ? space : $0 }, as: UTF8.self) }
                bytes.append(high << 4 | low)
                index += 3
            case let byte:
                bytes.append(byte)
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
            ?? String(decoding: raw.map { $0 == plus ? space : $0 }, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
