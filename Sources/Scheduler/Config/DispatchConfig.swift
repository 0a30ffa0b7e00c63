import CoreModel
import Foundation

/// The `dispatch:` section of tidings.yaml: leases, receipt timeouts, the
/// one exception to "a message that may have reached a provider never goes to
/// another", and per-channel retry schedules (durations as "90s", "30m",
/// "72h", "3d"):
///
/// ```yaml
/// dispatch:
///   lease_seconds: 120
///   receipt_timeout: { sms: 72h, voice: 2h, fax: 24h }   # email: no receipts, none
///   failover_after_unanswered: { sms: 30m }              # default: never
///   retry:                                               # channels not listed: 2 s doubling to 5 min, max_attempts
///     email: { delays: [5m, 15m, 1h, 4h], max_age: 24h } # the default; the last delay repeats
/// ```
public struct DispatchConfig: Sendable, Codable {
    public var leaseSeconds: Double
    public var receiptTimeouts: [Channel: TimeInterval]
    public var failoverAfterUnanswered: [Channel: TimeInterval]
    /// Channels retried on a schedule of their own; a channel listed in the
    /// file replaces its default, the others keep theirs.
    public var retry: [Channel: RetryPolicy]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case leaseSeconds = "lease_seconds", receiptTimeouts = "receipt_timeout"
        case failoverAfterUnanswered = "failover_after_unanswered", retry
    }

    enum ScheduleKeys: String, CodingKey, CaseIterable {
        case delays, maxAge = "max_age"
    }

    /// SMS receipts come within minutes or, for a phone switched off, within
    /// the SMSC's validity (often 48–72 h); call statuses within the call;
    /// fax receipts after the last retry of a busy line. SMTP has no receipts.
    /// A mail server's 4xx (busy, greylisting, over quota) lasts minutes to
    /// hours, so email follows the mail schedule; the rest back off in seconds.
    public static let defaults = DispatchConfig(
        leaseSeconds: 120, receiptTimeouts: [.sms: 72 * 3600, .voice: 2 * 3600, .fax: 24 * 3600],
        failoverAfterUnanswered: [:], retry: [.email: .mail])

    public init(
        leaseSeconds: Double, receiptTimeouts: [Channel: TimeInterval],
        failoverAfterUnanswered: [Channel: TimeInterval],
        retry: [Channel: RetryPolicy]
    ) {
        self.leaseSeconds = leaseSeconds
        self.receiptTimeouts = receiptTimeouts
        self.failoverAfterUnanswered = failoverAfterUnanswered
        self.retry = retry
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        leaseSeconds = try c.decodeIfPresent(Double.self, forKey: .leaseSeconds) ?? d.leaseSeconds
        receiptTimeouts = try Self.durations(c, .receiptTimeouts) ?? d.receiptTimeouts
        failoverAfterUnanswered = try Self.durations(c, .failoverAfterUnanswered) ?? d.failoverAfterUnanswered
        retry = d.retry.merging(try Self.schedules(c)) { _, configured in configured }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(leaseSeconds, forKey: .leaseSeconds)
        try c.encode(Self.texts(receiptTimeouts), forKey: .receiptTimeouts)
        try c.encode(Self.texts(failoverAfterUnanswered), forKey: .failoverAfterUnanswered)
        var nested = c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .retry)
        for (channel, policy) in retry.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let schedule = policy.schedule else { continue }
            var entry = nested.nestedContainer(
                keyedBy: ScheduleKeys.self, forKey: AnyCodingKey(stringValue: channel.rawValue))
            try entry.encode(schedule.delays.map { "\(Int($0))s" }, forKey: .delays)
            try entry.encode("\(Int(schedule.maxAge))s", forKey: .maxAge)
        }
    }

    /// Lease times too short for a send to finish, and retry schedules that
    /// would never retry, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if leaseSeconds < 10 {
            issues.append(
                ConfigIssue(path: path + ["lease_seconds"], message: "must be at least 10 (longer than any send)"))
        }
        for (channel, policy) in retry.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let schedule = policy.schedule, let first = schedule.delays.first, schedule.maxAge < first else {
                continue
            }
            let message = "\(Int(schedule.maxAge)) s is shorter than the first delay (\(Int(first)) s): "
                + "nothing would be retried"
            issues.append(ConfigIssue(path: path + ["retry", channel.rawValue, "max_age"], message: message))
        }
        return issues
    }

    /// `retry:`: per channel `{delays: [5m, 15m, 1h, 4h], max_age: 24h}`, both required.
    private static func schedules(_ c: KeyedDecodingContainer<CodingKeys>) throws -> [Channel: RetryPolicy] {
        guard c.contains(.retry) else { return [:] }
        let nested = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .retry)
        var result: [Channel: RetryPolicy] = [:]
        for entry in nested.allKeys {
            let decoder = try nested.superDecoder(forKey: entry)
            guard let channel = Channel(rawValue: entry.stringValue) else {
                let channels = Channel.allCases.map(\.rawValue).joined(separator: ", ")
                throw decoder.refuse("unknown channel '\(entry.stringValue)' (one of \(channels))")
            }
            try decoder.rejectUnknownKeys(ScheduleKeys.self)
            let fields = try decoder.container(keyedBy: ScheduleKeys.self)
            guard fields.contains(.delays), fields.contains(.maxAge) else {
                throw decoder.refuse(
                    "a retry schedule needs delays and max_age, e.g. {delays: [5m, 15m, 1h, 4h], max_age: 24h}")
            }
            let delayTexts = try fields.decode([String].self, forKey: .delays)
            var delays: [TimeInterval] = []
            for (index, text) in delayTexts.enumerated() {
                guard let delay = seconds(of: text) else {
                    let path = decoder.codingPath + [ScheduleKeys.delays, AnyCodingKey(intValue: index)]
                    throw refusal(at: path, "'\(text)' is not a duration like 90s, 30m, 72h or 3d")
                }
                delays.append(delay)
            }
            guard !delays.isEmpty else {
                throw refusal(at: decoder.codingPath + [ScheduleKeys.delays], "lists no delay")
            }
            let ageText = try fields.decode(String.self, forKey: .maxAge)
            guard let maxAge = seconds(of: ageText) else {
                throw refusal(
                    at: decoder.codingPath + [ScheduleKeys.maxAge],
                    "'\(ageText)' is not a duration like 90s, 30m, 72h or 3d")
            }
            result[channel] = RetryPolicy(schedule: .init(delays: delays, maxAge: maxAge))
        }
        return result
    }

    /// As `Decoder.refuse`, for a value deeper than the decoder at hand.
    private static func refusal(at codingPath: [any CodingKey], _ message: String) -> DecodingError {
        let path = codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        let issue = ConfigIssue(path: path, message: message)
        return .dataCorrupted(.init(codingPath: codingPath, debugDescription: message, underlyingError: issue))
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
