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
}
