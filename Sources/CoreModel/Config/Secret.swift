import Foundation

/// A credential from tidings.yaml. Written as `${ENV_VAR}` it is read from the
/// environment; its value never appears in output or logs.
public struct Secret: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The environment variable named in the file, if any.
    public let variable: String?
    public let value: String?

    public static let environmentKey = CodingUserInfoKey(rawValue: "tidings.environment")!

    public init(variable: String?, value: String?) {
        self.variable = variable
        self.value = value
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let environment =
            decoder.userInfo[Self.environmentKey] as? [String: String] ?? ProcessInfo.processInfo.environment
        if text.hasPrefix("${"), text.hasSuffix("}") {
            let name = String(text.dropFirst(2).dropLast())
            guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                let message = "'\(text)' is not a valid ${ENV_VAR} reference"
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: message))
            }
            self.init(variable: name, value: environment[name].flatMap { $0.isEmpty ? nil : $0 })
        } else {
            self.init(variable: nil, value: text)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var isSet: Bool { value != nil }

    /// Warnings for a secret at `path` in tidings.yaml: one written in the file,
    /// or one whose environment variable is not set.
    public func issues(path: [String]) -> [ConfigIssue] {
        if let variable, !isSet {
            return [.init(path: path, message: "environment variable \(variable) is not set", severity: .warning)]
        }
        if variable == nil {
            let message = "secret written in the file; use ${ENV_VAR} instead"
            return [.init(path: path, message: message, severity: .warning)]
        }
        return []
    }

    /// Masked: says where the value comes from and whether it is there.
    public var description: String {
        switch (variable, value) {
        case (let name?, _?): "${\(name)} (set)"
        case (let name?, nil): "${\(name)} (NOT SET)"
        case (nil, _?): "******** (written in the file; prefer ${ENV_VAR})"
        case (nil, nil): "(none)"
        }
    }
}
