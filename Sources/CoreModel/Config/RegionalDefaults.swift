import Foundation

/// The `defaults:` section: how to read phone numbers without a country
/// code, and the time zone and locale of members who have none of their own.
public struct RegionalDefaults: Sendable, Codable {
    public var region: String
    public var timezone: String
    public var locale: String

    enum CodingKeys: String, CodingKey, CaseIterable { case region, timezone, locale }

    public static let defaults = RegionalDefaults(region: "CN", timezone: "Asia/Shanghai", locale: "zh-CN")

    public init(region: String, timezone: String, locale: String) {
        self.region = region
        self.timezone = timezone
        self.locale = locale
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        region = try c.decodeIfPresent(String.self, forKey: .region) ?? d.region
        timezone = try c.decodeIfPresent(String.self, forKey: .timezone) ?? d.timezone
        locale = try c.decodeIfPresent(String.self, forKey: .locale) ?? d.locale
    }

    /// Values a decoder cannot check, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if !PhoneNumberNormalizer.isSupportedRegion(region) {
            issues.append(.init(path: path + ["region"], message: "unsupported region '\(region)'"))
        }
        if TimeZone(identifier: timezone) == nil {
            issues.append(.init(path: path + ["timezone"], message: "unknown time zone '\(timezone)'"))
        }
        return issues
    }
}
