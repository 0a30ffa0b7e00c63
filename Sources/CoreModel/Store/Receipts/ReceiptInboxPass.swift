/// One pass over the receipt inbox: the oldest receipts, applied and removed
/// in one transaction.
public struct ReceiptInboxPass: Sendable, Hashable {
    /// What each receipt did, oldest first. A receipt that matches no message
    /// is `.notFound` and removed all the same: waiting would not make it match.
    public var results: [MessageTransitionResult]

    public init(results: [MessageTransitionResult]) {
        self.results = results
    }

    /// Receipts taken from the inbox in this pass.
    public var count: Int { results.count }
}
