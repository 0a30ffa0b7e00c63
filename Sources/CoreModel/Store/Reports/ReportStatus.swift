import Foundation

/// A message's status as the reports count it: the statuses a message waits
/// in between attempts are one, `pending` (a lease changes nothing a report
/// shows, so it writes nothing to the rolled-up counts).
public enum ReportStatus: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case pending, submitted, delivered, failed, expired, suppressed, cancelled

    public init(_ status: MessageStatus) {
        switch status {
        case .queued, .sending, .retrying, .deferred, .unknown: self = .pending
        case .submitted: self = .submitted
        case .delivered: self = .delivered
        case .failed: self = .failed
        case .expired: self = .expired
        case .suppressed: self = .suppressed
        case .cancelled: self = .cancelled
        }
    }

    /// Counted by reason too: why it failed, was held back or expired.
    public var hasReasons: Bool { self == .failed || self == .expired || self == .suppressed }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// A status reason as a report groups it: each part (before and after a
    /// first colon) up to any number or parenthesis, so one provider's codes
    /// and ids do not make a row each — `gateway rejected: 400 bad number` →
    /// `gateway rejected`, `failed: expired at carrier (code 7)` → `failed: expired at carrier`.
    public static func reasonKey(_ reason: String?) -> String {
        guard let reason else { return "unknown" }
        func words(_ text: Substring) -> String {
            let head = text.prefix { !$0.isNumber && $0 != "(" && $0 != "（" }
            return head.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        }
        let parts = reason.replacingOccurrences(of: "：", with: ":").split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        var key = words(parts[0])
        if parts.count == 2, !key.isEmpty, !(parts[0].last?.isNumber ?? false) {
            let tail = words(parts[1])
            if !tail.isEmpty, tail != key { key += ": " + tail }
        }
        return key.isEmpty ? "unknown" : String(key.prefix(60))
    }
}
