/// An outbound medium. Every message goes out on exactly one channel.
public enum Channel: String, Sendable, Codable, CaseIterable, Hashable {
    case sms
    case voice
    case fax
    case email
}

/// Dispatch lanes: each has reserved capacity so a promotion never delays an
/// order confirmation.
public enum Lane: String, Sendable, Codable, CaseIterable, Hashable {
    case transactional
    case reminder
    case marketing
}

/// What a member consents to, per channel.
public enum ConsentCategory: String, Sendable, Codable, CaseIterable, Hashable {
    /// Order confirmations, reservation reminders, receipts.
    case service
    /// Promotions, win-back, points campaigns.
    case marketing
    /// Revisit and satisfaction surveys.
    case survey
}

/// Whether a stored contact can be used.
public enum ContactStatus: String, Sendable, Codable, CaseIterable {
    case valid
    case invalid
    /// Set by receipts (hard bounce, "number does not exist").
    case bounced
    case missing
}
