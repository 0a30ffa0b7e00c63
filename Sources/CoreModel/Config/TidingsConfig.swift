import Foundation

/// tidings.yaml, decoded: one part per section, each part's type with its
/// own defaults and its own checks.
public struct TidingsConfig: Sendable, Codable {
    public var database: DatabaseSettings
    public var defaults: RegionalDefaults
    public var brand: Brand
    public var quietHours: QuietHoursSettings
    public var gateways: [GatewaySettings]
    public var server: ServerSettings
    public var automations: AutomationSettings
    /// The message templates' directory (templates/<name>/<channel>.<locale>.mustache).
    public var templates: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case database, defaults, brand, quietHours = "quiet_hours", gateways, server, automations, templates
    }

    public static let defaults = TidingsConfig(
        database: .defaults, defaults: .defaults, brand: .defaults, quietHours: .defaults, gateways: [],
        server: .defaults, automations: .defaults, templates: "templates")

    public init(
        database: DatabaseSettings, defaults: RegionalDefaults, brand: Brand, quietHours: QuietHoursSettings,
        gateways: [GatewaySettings], server: ServerSettings, automations: AutomationSettings, templates: String
    ) {
        self.database = database
        self.defaults = defaults
        self.brand = brand
        self.quietHours = quietHours
        self.gateways = gateways
        self.server = server
        self.automations = automations
        self.templates = templates
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        database = try c.decodeIfPresent(DatabaseSettings.self, forKey: .database) ?? d.database
        defaults = try c.decodeIfPresent(RegionalDefaults.self, forKey: .defaults) ?? d.defaults
        brand = try c.decodeIfPresent(Brand.self, forKey: .brand) ?? d.brand
        quietHours = try c.decodeIfPresent(QuietHoursSettings.self, forKey: .quietHours) ?? d.quietHours
        gateways = try c.decodeIfPresent([GatewaySettings].self, forKey: .gateways) ?? d.gateways
        server = try c.decodeIfPresent(ServerSettings.self, forKey: .server) ?? d.server
        automations = try c.decodeIfPresent(AutomationSettings.self, forKey: .automations) ?? d.automations
        templates = try c.decodeIfPresent(String.self, forKey: .templates) ?? d.templates
    }

    /// Checks values a decoder cannot (formats, references, ranges), each
    /// part by its owner, in file order.
    public func validate() -> [ConfigIssue] {
        var issues = defaults.issues(path: ["defaults"])
        issues += quietHours.issues(path: ["quiet_hours"])
        issues += brand.issues(path: ["brand"])
        issues += GatewaySettings.issues(gateways, path: ["gateways"])
        issues += server.issues(path: ["server"])
        issues += automations.issues(path: ["automations"])
        return issues
    }

    /// "21:30" → 1290.
    public static func minutes(ofClock text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }
}
