import CoreModel
import Foundation

/// The `dispatch:` section of tidings.yaml: leases, receipt timeouts and the
/// one exception to "a message that may have reached a provider never goes to
/// another" (durations as "90s", "30m", "72h", "3d"):
///
/// ```yaml
/// dispatch:
///   lease_seconds: 120
///   receipt_timeout: { sms: 72h, voice: 2h, fax: 24h }   # email: no receipts, none
///   failover_after_unanswered: { sms: 30m }              # default: never
/// ```
public struct DispatchConfig: Sendable, Codable {
    public var leaseSeconds: Double
    public var receiptTimeouts: [Channel: TimeInterval]
    public var failoverAfterUnanswered: [Channel: TimeInterval]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case leaseSeconds = "lease_seconds", receiptTimeouts = "receipt_timeout"
        case failoverAfterUnanswered = "failover_after_unanswered"
    }

    /// SMS receipts come within minutes or, for a phone switched off, within
    /// the SMSC's validity (often 48–72 h); call statuses within the call;
    /// fax receipts after the last retry of a busy line. SMTP has no receipts.
    public static let defaults = DispatchConfig(
        leaseSeconds: 120, receiptTimeouts: [.sms: 72 * 3600, .voice: 2 * 3600, .fax: 24 * 3600],
        failoverAfterUnanswered: [:])

    public init(
        leaseSeconds: Double, receiptTimeouts: [Channel: TimeInterval], failoverAfterUnanswered: [Channel: TimeInterval]
    ) {
        self.leaseSeconds = leaseSeconds
        self.receiptTimeouts = receiptTimeouts
        self.failoverAfterUnanswered = failoverAfterUnanswered
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        leaseSeconds = try c.decodeIfPresent(Double.self, forKey: .leaseSeconds) ?? d.leaseSeconds
        receiptTimeouts = try Self.durations(c, .receiptTimeouts) ?? d.receiptTimeouts
        failoverAfterUnanswered = try Self.durations(c, .failoverAfterUnanswered) ?? d.failoverAfterUnanswered
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(leaseSeconds, forKey: .leaseSeconds)
        try c.encode(Self.texts(receiptTimeouts), forKey: .receiptTimeouts)
        try c.encode(Self.texts(failoverAfterUnanswered), forKey: .failoverAfterUnanswered)
    }

    /// Lease times too short for a send to finish, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        leaseSeconds >= 10
            ? [] : [ConfigIssue(path: path + ["lease_seconds"], message: "must be at least 10 (longer than any send)")]
    }

    /// A channel → duration mapping; a bad channel or duration is refused with its key path.
    private static func durations(
        _ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> [Channel: TimeInterval]? {
        guard c.contains(key) else { return nil }
        let nested = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
        var result: [Channel: TimeInterval] = [:]
        for entry in nested.allKeys {
            let decoder = try nested.superDecoder(forKey: entry)
            guard let channel = Channel(rawValue: entry.stringValue) else {
                let channels = Channel.allCases.map(\.rawValue).joined(separator: ", ")
                throw decoder.refuse("unknown channel '\(entry.stringValue)' (one of \(channels))")
            }
            let text = try nested.decode(String.self, forKey: entry)
            guard let seconds = seconds(of: text) else {
                throw decoder.refuse("'\(text)' is not a duration like 90s, 30m, 72h or 3d")
            }
            result[channel] = seconds
        }
        return result
    }

    /// "30m" → 1800; a number and one unit of s, m, h or d.
    public static func seconds(of text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let amount = Double(trimmed.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86400
        default: return nil
        }
    }

    private static func texts(_ durations: [Channel: TimeInterval]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: durations.map { ($0.key.rawValue, "\(Int($0.value))s") })
    }
}
