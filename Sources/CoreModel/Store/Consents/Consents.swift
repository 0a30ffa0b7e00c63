import Foundation

/// Marketing consent and the blacklist, kept as ledgers: every grant,
/// revocation, addition and removal is appended with its source and
/// evidence; the state sending reads is derived from them in the same
/// transaction.
public protocol Consents: Sendable {
    /// Appends one change and updates the state it derives.
    func recordConsent(_ change: ConsentChange, now: Date) async throws -> ConsentChangeResult

    /// The current state for a member or an address, by channel and category.
    func consentState(_ subject: ConsentChange.Subject) async throws -> [ConsentState]

    /// The ledger for a member or an address, newest first.
    func consentHistory(_ subject: ConsentChange.Subject, limit: Int) async throws -> [ConsentEntry]

    /// Adds an address; false if it was already on the list (nothing changes).
    func addToBlacklist(_ entry: BlacklistEntry) async throws -> Bool

    /// Removes an address, recording why and who; false if it was not on the list.
    func removeFromBlacklist(address: String, reason: String, by: String, at: Date) async throws -> Bool

    /// The list, oldest first, `limit` from `offset`.
    func blacklist(limit: Int, offset: Int) async throws -> [BlacklistEntry]
}

extension Consents {
    /// Grants or revokes one consent for a member; false if the member is unknown.
    @discardableResult
    public func recordConsent(
        memberNo: String, channel: Channel, category: ConsentCategory, granted: Bool, source: String, at: Date
    ) async throws -> Bool {
        let change = ConsentChange(
            subject: .member(memberNo), channel: channel, category: category, granted: granted, source: source, at: at)
        return try await recordConsent(change, now: at) != .unknownMember
    }
}
