import Crypto
import Foundation

/// Twilio's request signature (X-Twilio-Signature): Base64 of HMAC-SHA1 keyed
/// with the auth token, over the full callback URL followed by every POST
/// parameter, sorted by name, as name+value. JSON callbacks instead carry a
/// `bodySHA256` query parameter with the hex SHA-256 of the raw body.
public enum TwilioSignature {
    public static func compute(authToken: String, url: String, parameters: [(String, String)]) -> String {
        var data = url
        // As Twilio's helper libraries do: names sorted, each name's distinct values sorted.
        let names = Set(parameters.map(\.0)).sorted()
        for name in names {
            for value in Set(parameters.filter { $0.0 == name }.map(\.1)).sorted() {
                data += name + value
            }
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(data.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    public static func isValid(signature: String, authToken: String, url: String, parameters: [(String, String)]) -> Bool {
        constantTimeEqual(signature, compute(authToken: authToken, url: url, parameters: parameters))
    }

    /// For JSON bodies: the URL (with its bodySHA256 parameter) is signed with no
    /// parameters, and bodySHA256 must be the body's hash.
    public static func isValid(signature: String, authToken: String, url: String, body: [UInt8]) -> Bool {
        guard let components = URLComponents(string: url),
            let claimed = components.queryItems?.first(where: { $0.name == "bodySHA256" })?.value
        else { return false }
        let actual = Hex.encode(SHA256.hash(data: body))
        return constantTimeEqual(claimed, actual) && isValid(signature: signature, authToken: authToken, url: url, parameters: [])
    }
}
