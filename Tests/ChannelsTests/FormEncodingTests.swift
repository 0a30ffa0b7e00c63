import Channels
import Foundation
import Testing

/// The byte-level form decoder gives what Foundation's percent decoding gave.
struct FormEncodingTests {
    /// The decoder as it was, on Foundation: the reference.
    static func foundationDecode(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func unescape(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            result[unescape(parts[0])] = parts.count > 1 ? unescape(parts[1]) : ""
        }
        return result
    }

    @Test(arguments: [
        "id=42&token=ab12&type=1&reply=",
        "text=%E4%BD%A0%E5%A5%BD+world&from=%2B8613812345678",
        "a=1&a=2&&b&=empty&c=x=y",
        "reply=id%3A1+sub%3A001+stat%3ADELIVRD",
        "bad=%zz&short=%4&tail=%&plus=a+b%2Bc",
        "notutf8=%FF%FE&half=%E4%BD&mixed=%E4%BD+x",
        "raw=你好&upper=%c3%A9",
        "",
    ])
    func decodesAsFoundationDid(_ query: String) {
        #expect(FormEncoding.decode(query[...]) == Self.foundationDecode(query))
    }

    @Test func decodesTheValuesProvidersSend() {
        let query = "from=%2B8613812345678&text=%E9%80%80%E8%AE%A2&note=a+b&broken=%E4%BD+x"
        #expect(
            FormEncoding.decode(query[...]) == [
                "from": "+8613812345678", "text": "退订", "note": "a b", "broken": "%E4%BD x",
            ])
    }
}
