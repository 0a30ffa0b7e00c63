import Foundation

/// The group's records in domain terms: imports, what a manager
/// reads about a member, and the store's vital signs.
public protocol Records: Sendable {
    /// Validates and writes one batch of imported records in one transaction.
    /// With `dryRun` the transaction is rolled back: the outcomes say what
    /// would have happened.
    func apply(_ batch: ImportBatch, dryRun: Bool) async throws -> [RowOutcome]

    /// The member with orders, complaints, consents and their timeline.
    func memberProfile(memberNo: String, timelineLimit: Int) async throws -> MemberProfile?

    /// The member's survey answers, newest first.
    func surveyResponses(memberNo: String, limit: Int) async throws -> [SurveyResponse]
    /// Outbox messages of a member, to a number or of a campaign, newest first (`MessageQuery`).
    func messages(_ query: MessageQuery) async throws -> [MessageSummary]

    func statistics() async throws -> StoreStatistics

    /// Every branch, by code.
    func branches() async throws -> [Branch]

    /// The prospects converted with `campaignId` as the campaign that last reached them.
    func conversions(campaignId: Int64) async throws -> CampaignConversions
}
