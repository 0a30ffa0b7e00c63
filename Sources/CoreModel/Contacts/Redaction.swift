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

    /// Masks whatever kind of address a message has.
    public static func address(_ value: String) -> String {
        value.contains("@") ? email(value) : phone(value)
    }

    /// Free text (a provider's error, an evidence note) with every phone
    /// number (a run of 7 or more digits, with or without +; dates and
    /// times do not qualify) and email address in
    /// it masked: "invalid destination +8613812345678" → "invalid destination +86138****5678".
    public static func text(_ value: String) -> String {
        var result = value
        for pattern in [emailPattern, phonePattern] {
            let matches = pattern.matches(in: result, range: NSRange(result.startIndex..., in: result)).reversed()
            for match in matches {
                guard let range = Range(match.range, in: result) else { continue }
                let found = String(result[range])
                if pattern === phonePattern {
                    let digits = found.filter(\.isNumber)
                    guard digits.count >= 7 else { continue }
                    result.replaceSubrange(range, with: phone((found.hasPrefix("+") ? "+" : "") + digits))
                } else {
                    result.replaceSubrange(range, with: email(found))
                }
            }
        }
        return result
    }

    nonisolated(unsafe) private static let emailPattern = try! NSRegularExpression(
        pattern: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")
    nonisolated(unsafe) private static let phonePattern = try! NSRegularExpression(
        pattern: "\\+?[0-9]{7,}")
}
