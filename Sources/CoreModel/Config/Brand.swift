import Foundation

/// The `brand:` section: the sender's name (email From, a fallback branch
/// name in messages) and the signature marketing SMS carry.
public struct Brand: Sendable, Codable {
    public var name: String
    /// Required at the start or end of marketing SMS in China, e.g. 【鸿福楼】.
    public var signature: String

    enum CodingKeys: String, CodingKey, CaseIterable { case name, signature }

    public static let defaults = Brand(name: "鸿福楼", signature: "【鸿福楼】")

    public init(name: String, signature: String) {
        self.name = name
        self.signature = signature
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
        signature = try c.decodeIfPresent(String.self, forKey: .signature) ?? d.signature
    }

    /// Values a decoder cannot check, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        guard signature.isEmpty else { return [] }
        let message = "is empty; marketing SMS in China need a signature such as 【品牌】"
        return [.init(path: path + ["signature"], message: message)]
    }
}
