import CoreModel
import Foundation

extension GatewaySettings {
    /// Checks a decoder cannot make, for the whole list under `path`: names,
    /// ranges, URLs and secrets (an unknown kind does not decode). The
    /// adapters' own options are checked when the gateways are built
    /// (`GatewayRegistry.build`).
    public static func issues(_ gateways: [GatewaySettings], path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        var names = Set<String>()
        for (index, gateway) in gateways.enumerated() {
            let base = path + [String(index)]
            if !names.insert(gateway.name).inserted {
                issues.append(.init(path: base + ["name"], message: "duplicate gateway name '\(gateway.name)'"))
            }
            issues += gateway.issues(path: base)
        }
        return issues
    }

    /// This entry's values, by key path under `path`.
    func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func check(_ ok: Bool, _ key: String, _ message: String) {
            if !ok { issues.append(ConfigIssue(path: path + [key], message: message)) }
        }
        check(!channels.isEmpty, "channels", "lists no channel")
        let supported = kind.supportedChannels
        let carried = supported.map(\.rawValue).joined(separator: " and ")
        for (index, channel) in channels.enumerated() where !supported.contains(channel) {
            let message = "a \(kind.rawValue) gateway carries \(carried), not \(channel.rawValue)"
            issues.append(ConfigIssue(path: path + ["channels", String(index)], message: message))
        }
        check(rate > 0, "rate", "must be above 0 messages per second")
        check(burst >= 1, "burst", "must be at least 1")
        check(maxInFlight >= 1, "max_in_flight", "must be at least 1")
        check(weight >= 0, "weight", "must be 0 (order only) or more")
        check(timeoutMs >= 100, "timeout_ms", "must be at least 100 ms")
        if let price { check(price >= 0 && price.isFinite, "price", "must be 0 or more yuan") }
        if let url, URL(string: url)?.host == nil {
            issues.append(.init(path: path + ["url"], message: "'\(url)' is not a URL with a host"))
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            issues.append(.init(path: path + ["ca_file"], message: "'\(caFile)' is not a readable file"))
        }
        for (key, secret) in credentials {
            issues += secret.issues(path: path + ["credentials", key])
        }
        return issues
    }

    /// Options this kind's adapter does not read, by key path under `path`;
    /// `GatewayRegistry.build` reports them with the adapter's other problems.
    func unknownOptionIssues(path: [String]) -> [ConfigIssue] {
        guard let known = kind.knownOptions else { return [] }
        let message = "unknown option for \(kind.rawValue) (allowed: \(known.joined(separator: ", ")))"
        return options.keys.filter { !known.contains($0) }.map {
            ConfigIssue(path: path + ["options", $0], message: message)
        }
    }
}
