import Foundation

/// Decides what something that came back does to the records; the store
/// reads the facts, asks, and executes the answer in the same transaction.
/// Scheduler's `FeedbackDecisions` holds the group's rules.
public protocol FeedbackRules: Sendable {
    /// What an inbound message is (a reply may be an opt-out) and what it does.
    func decide(_ inbound: InboundRecord, facts: InboundFacts) -> InboundDecision

    /// What a receipt does beyond moving its message, once the state machine has spoken.
    func decide(_ receipt: ReceiptRecord, facts: ReceiptFacts) -> [FeedbackAction]

    /// The complaint number an inbound message asks about (`查询 C123`), if it
    /// is such a question: the store looks the complaint up for `decide`.
    func complaintAsked(in inbound: InboundRecord) -> String?

    /// How long after a survey went out an SMS reply the provider links to
    /// nothing is still taken as its answer (`InboundFacts.latestSurvey`).
    /// Asked before the decision, since the store looks the survey up.
    var surveyWindow: TimeInterval { get }
}

extension FeedbackRules {
    /// Rules that answer no questions.
    public func complaintAsked(in inbound: InboundRecord) -> String? { nil }
}

