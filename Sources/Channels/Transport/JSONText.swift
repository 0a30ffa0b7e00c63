import Foundation

/// JSON string literals for request bodies built on the hot path (and for
/// values placed into a configured JSON body template): RFC 8259 escaping of
/// quote, backslash and control characters; everything else, Chinese included,
/// goes through as UTF-8. Reading JSON stays with Foundation's decoders.
public enum JSONText {
    /// The JSON string literal for `value`, with its quotes.
    public static func quoted(_ value: String) -> String {
        "\"" + escaped(value) + "\""
    }

    /// `value` escaped for use between the quotes of a JSON string.
    public static func escaped(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A flat JSON object from ordered pairs; nil values are left out.
    public static func object(_ pairs: KeyValuePairs<String, String?>) -> String {
        "{" + pairs.compactMap { key, value in value.map { quoted(key) + ":" + quoted($0) } }.joined(separator: ",") + "}"
    }
}
