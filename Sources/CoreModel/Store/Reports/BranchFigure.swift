/// What a branch count counts. Orders, delivery feedback and complaints are
/// upserted by imports and change after the fact, so triggers record each
/// change of what they count (`branch_changes`) and the fold adds those up;
/// survey answers and apologies are written once and folded by id.
public enum BranchFigure: String, Sendable, Hashable, Codable, CaseIterable {
    /// Orders by source (`OrderSource`), by the hour they were placed.
    case order
    /// Delivery feedback by outcome (`DeliveryOutcome`), by the hour it was recorded.
    case delivery
    /// Complaints by department, by the hour they were opened.
    case complaint
    /// Complaints resolved (or closed), by department and the hour they were
    /// resolved; `bucket` is the whole hours it took, rounded up.
    case resolved
    /// Survey answers about an order of the branch, by score (`""` for an
    /// answer without one), by the hour they came.
    case survey
    /// Late-delivery apologies a gateway accepted, by channel; an apology
    /// names no order, so it counts at the member's branch.
    case apology
}
