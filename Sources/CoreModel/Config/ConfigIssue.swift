import Foundation

/// A problem in tidings.yaml, by key path (the loader adds the line). Each
/// module checks its own part of the file and returns these.
public struct ConfigIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var path: [String]
    public var message: String
    public var severity: Severity

    public init(path: [String], message: String, severity: Severity = .error) {
        self.path = path
        self.message = message
        self.severity = severity
    }

    public var keyPath: String {
        path.reduce("") { result, part in
            Int(part) != nil ? "\(result)[\(part)]" : (result.isEmpty ? part : "\(result).\(part)")
        }
    }

    public var description: String { "\(keyPath): \(message)" }
}
