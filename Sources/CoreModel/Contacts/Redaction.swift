import Foundation

/// Masks contact data for logs and default CLI output.
public enum Redaction {
    /// "+8613812345678" → "+86138****5678".
    public static func phone(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        let characters = Array(value)
        guard characters.count > 7 else { return String(repeating: "*", count: characters.count) }
        let keepEnd = 4
        let keepStart = min(6, characters.count - keepEnd - 3)
        return String(characters[..<keepStart]) + String(repeating: "*", count: characters.count - keepStart - keepEnd) + String(characters[(characters.count - keepEnd)...])
    }

    /// "zhang.wei@qq.com" → "z***@qq.com".
    public static func email(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        guard let at = value.firstIndex(of: "@"), at != value.startIndex else { return "***" }
        return "\(value[value.startIndex])***\(value[at...])"
    }

    /// Every email address inside free text (a mail server's reply, which
    /// often repeats the recipient) masked as `email` does:
    /// "550 <zhang.wei@qq.com>: unknown" → "550 <z***@qq.com>: unknown".
    public static func emails(in text: String) -> String {
        guard text.contains("@") else { return text }
        let localCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-")
        func isLocal(_ c: Character) -> Bool { localCharacters.contains(c) || (!c.isASCII && c.isLetter) }
        func isDomain(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "-" || c == "." }
        let characters = Array(text)
        var result = ""
        var index = 0
        var copied = 0
        while index < characters.count {
            guard characters[index] == "@" else {
                index += 1
                continue
            }
            var start = index
            while start > copied, isLocal(characters[start - 1]) { start -= 1 }
            var end = index + 1
            while end < characters.count, isDomain(characters[end]) { end += 1 }
            // A domain ends before a sentence's full stop.
            while end > index + 1, characters[end - 1] == "." { end -= 1 }
            if start < index, end > index + 1 {
                result += String(characters[copied..<start]) + email(String(characters[start..<end]))
                copied = end
            }
            index = end
        }
        return result + String(characters[copied...])
    }

    /// Masks whatever kind of address a message has.
    public static func address(_ value: String) -> String {
        value.contains("@") ? email(value) : phone(value)
    }

    /// Free text (a provider's error, an evidence note) with every phone
    /// number (a run of 7 or more digits, with or without +; dates and
    /// times do not qualify) and email address in
    /// it masked: "invalid destination +8613812345678" → "invalid destination +86138****5678".
    public static func text(_ value: String) -> String {
        var result = emails(in: value)
        let matches = phonePattern.matches(in: result, range: NSRange(result.startIndex..., in: result))
        for match in matches.reversed() {
            guard let range = Range(match.range, in: result) else { continue }
            let found = result[range]
            // 10 or 13 digits starting with 1 is a unix time in seconds or milliseconds (message
            // keys hold them), not a phone number: with country code 1 a number has 11 digits,
            // Chinese numbers are 11 (mobile, 0-prefixed landline) or 12–13 with 86.
            if found.count == 10 || found.count == 13, found.hasPrefix("1") { continue }
            result.replaceSubrange(range, with: phone(String(found)))
        }
        return result
    }

    private static let phonePattern = try! NSRegularExpression(pattern: "\\+?[0-9]{7,}")
}
