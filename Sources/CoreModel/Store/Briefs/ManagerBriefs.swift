import Foundation

/// What the managers' morning briefs ask of the store.
public protocol ManagerBriefs: Sendable {
    /// Managers and branch managers with a phone or an email who have no
    /// brief for `day` (`YYYY-MM-DD`) in the outbox yet, by staff number.
    func briefRecipients(day: String) async throws -> [BriefRecipient]

    /// A manager or branch manager by staff number, whether briefed or not.
    func briefRecipient(staffNo: String) async throws -> BriefRecipient?

    /// The messages of `staffNo`'s brief for `day` in the outbox (none before it went).
    func sentBrief(staffNo: String, day: String) async throws -> [SentBrief]

    /// What one manager's brief for the query's day lists.
    func briefContent(_ query: BriefQuery) async throws -> BriefContent

    /// The brief's messages (a known key is a duplicate) and the personal
    /// calls it names, in one transaction: a member named again gets the new
    /// hold and owner.
    func commitBrief(messages: [NewMessage], calls: [PersonalCall], now: Date) async throws -> AutomationBatchResult
}
