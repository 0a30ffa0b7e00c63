import Foundation

/// A problem in tidings.yaml, by key path (the loader adds the line).
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
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

extension TidingsConfig {
    /// Checks values a decoder cannot: formats, references, ranges.
    public func validate() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if !PhoneNumberNormalizer.isSupportedRegion(defaults.region) {
            issues.append(.init(path: ["defaults", "region"], message: "unsupported region '\(defaults.region)'"))
        }
        if TimeZone(identifier: defaults.timezone) == nil {
            issues.append(.init(path: ["defaults", "timezone"], message: "unknown time zone '\(defaults.timezone)'"))
        }
        for (key, value) in [("start", quietHours.start), ("end", quietHours.end)] where Self.minutes(ofClock: value) == nil {
            issues.append(.init(path: ["quiet_hours", key], message: "'\(value)' is not a time HH:MM"))
        }
        if brand.signature.isEmpty {
            issues.append(.init(path: ["brand", "signature"], message: "is empty; marketing SMS in China need a signature such as 【品牌】"))
        }
        var names = Set<String>()
        for (index, gateway) in gateways.enumerated() {
            let base = ["gateways", String(index)]
            if !names.insert(gateway.name).inserted {
                issues.append(.init(path: base + ["name"], message: "duplicate gateway name '\(gateway.name)'"))
            }
            if !GatewaySettings.kinds.contains(gateway.kind) {
                issues.append(.init(path: base + ["kind"], message: "unknown kind '\(gateway.kind)' (one of \(GatewaySettings.kinds.joined(separator: ", ")))"))
            }
            if gateway.channels.isEmpty { issues.append(.init(path: base + ["channels"], message: "lists no channel")) }
            if gateway.rate <= 0 { issues.append(.init(path: base + ["rate"], message: "must be above 0 messages per second")) }
            if gateway.burst < 1 { issues.append(.init(path: base + ["burst"], message: "must be at least 1")) }
            if gateway.maxInFlight < 1 { issues.append(.init(path: base + ["max_in_flight"], message: "must be at least 1")) }
            if gateway.weight < 0 { issues.append(.init(path: base + ["weight"], message: "must be 0 (order only) or more")) }
            if gateway.timeoutMs < 100 { issues.append(.init(path: base + ["timeout_ms"], message: "must be at least 100 ms")) }
            if let url = gateway.url, URL(string: url)?.host == nil {
                issues.append(.init(path: base + ["url"], message: "'\(url)' is not a URL with a host"))
            }
            for (key, secret) in gateway.credentials {
                issues.append(contentsOf: secretIssues(secret, path: base + ["credentials", key]))
            }
        }
        if Self.hostPort(server.bind) == nil {
            issues.append(.init(path: ["server", "bind"], message: "'\(server.bind)' is not host:port"))
        }
        if let token = server.adminToken { issues.append(contentsOf: secretIssues(token, path: ["server", "admin_token"])) }
        if let secret = server.webhookSecret { issues.append(contentsOf: secretIssues(secret, path: ["server", "webhook_secret"])) }
        issues.append(contentsOf: automations.issues(path: ["automations"]))
        return issues
    }

    private func secretIssues(_ secret: Secret, path: [String]) -> [ConfigIssue] {
        if let variable = secret.variable, !secret.isSet {
            return [.init(path: path, message: "environment variable \(variable) is not set", severity: .warning)]
        }
        if secret.variable == nil {
            return [.init(path: path, message: "secret written in the file; use ${ENV_VAR} instead", severity: .warning)]
        }
        return []
    }

    /// "21:30" → 1290.
    public static func minutes(ofClock text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    public static func hostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
