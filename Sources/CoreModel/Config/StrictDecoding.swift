/// Any key, to list what a YAML mapping really holds.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(stringValue: String) { self.stringValue = stringValue }
    public init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Throws for the first key the type does not know, so a typo in
    /// tidings.yaml is an error with its path instead of a silent default.
    public func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let known = Set(Keys.allCases.map(\.stringValue))
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            let allowed = Keys.allCases.map(\.stringValue).sorted().joined(separator: ", ")
            let message = "unknown key '\(key.stringValue)' (allowed: \(allowed))"
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: message))
        }
    }

    /// Refuses this value with a message that already quotes it, e.g.
    /// "unknown kind 'pigeon' (one of …)": the loader shows it as it is,
    /// with the file, line and key path.
    public func refuse(_ message: String) -> DecodingError {
        let path = codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        let issue = ConfigIssue(path: path, message: message)
        return .dataCorrupted(.init(codingPath: codingPath, debugDescription: message, underlyingError: issue))
    }
}
