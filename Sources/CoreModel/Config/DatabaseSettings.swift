import Foundation

/// The `database:` section: where the SQLite store lives.
public struct DatabaseSettings: Sendable, Codable {
    public var path: String

    enum CodingKeys: String, CodingKey, CaseIterable { case path }

    public static let defaults = DatabaseSettings(path: "tidings.sqlite")

    public init(path: String) { self.path = path }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? Self.defaults.path
    }
}
