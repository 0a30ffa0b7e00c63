import Crypto
import Foundation

/// Alibaba Cloud RPC signature (SignatureVersion 1.0, HMAC-SHA1) as used by
/// Dysmsapi SendSms / SendBatchSms: parameters sorted by name, each name and
/// value percent-encoded by the POP rules, joined with & into the canonical
/// query; the string to sign is `METHOD&%2F&` + encode(canonical query); the
/// key is the AccessKeySecret followed by "&".
public enum AliyunSignature {
    /// RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8
    /// bytes (so a space is %20, "*" is %2A, "~" stays).
    public static func percentEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    public static func canonicalQuery(_ parameters: [String: String]) -> String {
        parameters.filter { $0.key != "Signature" }.sorted { $0.key < $1.key }
            .map { "\(percentEncode($0.key))=\(percentEncode($0.value))" }.joined(separator: "&")
    }

    public static func stringToSign(method: String = "GET", _ parameters: [String: String]) -> String {
        "\(method)&\(percentEncode("/"))&\(percentEncode(canonicalQuery(parameters)))"
    }

    public static func sign(method: String = "GET", _ parameters: [String: String], accessKeySecret: String) -> String {
        let key = SymmetricKey(data: Data((accessKeySecret + "&").utf8))
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign(method: method, parameters).utf8), using: key)
        return Data(mac).base64EncodedString()
    }
}
