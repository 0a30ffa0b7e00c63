import Foundation

/// Decides what something that came back does to the records; the store
/// reads the facts, asks, and executes the answer in the same transaction.
/// Scheduler's `FeedbackDecisions` holds the group's rules.
public protocol FeedbackRules: Sendable {
    /// What an inbound message is (a reply may be an opt-out) and what it does.
    func decide(_ inbound: InboundRecord, facts: InboundFacts) -> InboundDecision

    /// What a receipt does beyond moving its message, once the state machine has spoken.
    func decide(_ receipt: ReceiptRecord, facts: ReceiptFacts) -> [FeedbackAction]

    /// How long after a survey went out an SMS reply the provider links to
    /// nothing is still taken as its answer (`InboundFacts.latestSurvey`).
    /// Asked before the decision, since the store looks the survey up.
    var surveyWindow: TimeInterval { get }
}

