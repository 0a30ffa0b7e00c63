import CoreModel

/// Decodes settings over their defaults: a key the type does not know is
/// refused with its path (`rejectUnknownKeys`), a key left out keeps the
/// default's value, and a key present must decode (its error keeps the
/// YAML's line and key path).
struct SettingsReader<Settings, Keys: CodingKey & CaseIterable> {
    private(set) var value: Settings
    private let container: KeyedDecodingContainer<Keys>

    init(_ decoder: Decoder, over defaults: Settings, keys: Keys.Type) throws {
        try decoder.rejectUnknownKeys(keys)
        container = try decoder.container(keyedBy: keys)
        value = defaults
    }

    /// `key` into `field`, when present.
    mutating func read<T: Decodable>(_ key: Keys, _ field: WritableKeyPath<Settings, T>) throws {
        if let decoded = try container.decodeIfPresent(T.self, forKey: key) { value[keyPath: field] = decoded }
    }
}

/// What every automation's settings start with (`enabled`, `channels`,
/// `template`), and the rule they make.
public protocol AutomationRuleSettings {
    var enabled: Bool { get set }
    var channels: [Channel] { get set }
    var template: String { get set }
}

extension AutomationRuleSettings {
    public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
}

extension SettingsReader where Settings: AutomationRuleSettings {
    /// `enabled`, `channels` and `template`: every automation's keys.
    mutating func readRule() throws {
        try read(Self.key("enabled"), \.enabled)
        try read(Self.key("channels"), \.channels)
        try read(Self.key("template"), \.template)
    }

    private static func key(_ name: String) -> Keys {
        guard let key = Keys(stringValue: name) else { preconditionFailure("\(Keys.self) has no '\(name)'") }
        return key
    }
}
