import CoreModel
import Foundation

/// The `opt_out:` section: which replies mean "stop", the key that means it
/// on a marketing call, and the one confirmation sent back.
public struct OptOutSettings: Sendable, Codable, Hashable {
    /// A reply that is one of these, once normalised (NFKC, case, surrounding
    /// punctuation and spaces), is an opt-out.
    public var keywords: [String]
    /// A short reply that contains one of these is an opt-out too ("退订，谢谢").
    public var containing: [String]
    /// How short, in characters after normalising; longer texts are read by a person.
    public var shortReply: Int
    /// The key that opts out on a marketing or survey call ("退订请按9"); nil: none.
    public var keypad: String?
    /// Sent once, as a service SMS, after an SMS or keypad opt-out revoked
    /// something; the brand signature is put in front. Nil: no confirmation.
    public var confirmation: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case keywords, containing, shortReply = "short_reply", keypad, confirmation
    }

    public static let defaults = OptOutSettings(
        keywords: ["退订", "TD", "T", "STOP", "UNSUBSCRIBE", "取消订阅"], containing: ["退订", "取消订阅"], shortReply: 12,
        keypad: "9", confirmation: "您已成功退订营销及回访短信，今后不再发送。订单和预订通知不受影响，如需恢复请致电客服。")

    public init(keywords: [String], containing: [String], shortReply: Int, keypad: String?, confirmation: String?) {
        self.keywords = keywords
        self.containing = containing
        self.shortReply = shortReply
        self.keypad = keypad
        self.confirmation = confirmation
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? d.keywords
        containing = try c.decodeIfPresent([String].self, forKey: .containing) ?? d.containing
        shortReply = try c.decodeIfPresent(Int.self, forKey: .shortReply) ?? d.shortReply
        // Left out: the default; null: none.
        func orNone(_ key: CodingKeys, _ fallback: String?) throws -> String? {
            guard c.contains(key) else { return fallback }
            return try c.decodeNil(forKey: key) ? nil : c.decode(String.self, forKey: key)
        }
        keypad = try orNone(.keypad, d.keypad)
        confirmation = try orNone(.confirmation, d.confirmation)
    }

    /// Words that would swallow ordinary answers, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        for (index, word) in keywords.enumerated() {
            let normal = OptOutMatcher.normalized(word)
            if normal.isEmpty {
                issues.append(.init(path: path + ["keywords", "\(index)"], message: "is empty once normalised"))
            } else if normal.allSatisfy(\.isNumber) {
                issues.append(.init(path: path + ["keywords", "\(index)"], message: "'\(word)' is a number: survey scores would opt people out"))
            } else if ["N", "NO", "不"].contains(normal) {
                issues.append(.init(path: path + ["keywords", "\(index)"], message: "'\(word)' answers questions ('no'), it does not unsubscribe"))
            }
        }
        for (index, word) in containing.enumerated() where OptOutMatcher.normalized(word).count < 2 {
            issues.append(.init(path: path + ["containing", "\(index)"], message: "'\(word)' is too short to look for inside replies (2 characters or more)"))
        }
        if !(1...70).contains(shortReply) {
            issues.append(.init(path: path + ["short_reply"], message: "\(shortReply) is not between 1 and 70 characters"))
        }
        if let keypad, !(keypad.count == 1 && "0123456789*#".contains(keypad)) {
            issues.append(.init(path: path + ["keypad"], message: "'\(keypad)' is not one key (0–9, * or #)"))
        } else if let keypad, ["1", "2"].contains(keypad) {
            issues.append(.init(path: path + ["keypad"], message: "'\(keypad)' answers the reservation call (1 confirms, 2 cancels)"))
        }
        if let confirmation, confirmation.trimmedWhitespace.isEmpty {
            issues.append(.init(path: path + ["confirmation"], message: "is empty; leave it out for the default, or null for none"))
        }
        return issues
    }
}

/// Whether a reply says stop, by the configured words.
public struct OptOutMatcher: Sendable, Hashable {
    let keywords: Set<String>
    let containing: [String]
    let shortReply: Int

    public init(_ settings: OptOutSettings) {
        keywords = Set(settings.keywords.map(Self.normalized))
        containing = settings.containing.map(Self.normalized).filter { !$0.isEmpty }
        shortReply = settings.shortReply
    }

    /// Negations that contain the word but mean the opposite.
    static let negations = ["不", "别", "勿", "没", "無", "无"]

    public func matches(_ text: String) -> Bool {
        let normal = Self.normalized(text)
        guard !normal.isEmpty else { return false }
        if keywords.contains(normal) || keywords.contains(normal.filter { !$0.isWhitespace }) { return true }
        guard normal.count <= shortReply else { return false }
        return containing.contains { word in
            guard let range = normal.range(of: word) else { return false }
            // "不要退订", "别退订": the word is there, the wish is not.
            let before = normal[..<range.lowerBound].suffix(2)
            return !Self.negations.contains { before.contains($0) }
        }
    }

    /// NFKC (full-width ＴＤ → TD, ideographic space → space), upper case,
    /// without surrounding whitespace, punctuation or symbols ("退订！" → 退订).
    public static func normalized(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.uppercased()
        func isNoise(_ c: Character) -> Bool {
            c.isWhitespace || c.isPunctuation || c.isSymbol || c.unicodeScalars.allSatisfy {
                $0.properties.generalCategory == .format || $0.properties.generalCategory == .control
            }
        }
        guard let first = folded.firstIndex(where: { !isNoise($0) }), let last = folded.lastIndex(where: { !isNoise($0) }) else {
            return ""
        }
        return String(folded[first...last])
    }
}
