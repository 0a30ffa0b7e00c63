/// What a message is for, recorded at enqueue in `messages.purpose`: scans,
/// reports and inbound rules ask this column, never the idempotency key.
public enum MessagePurpose: Sendable, Hashable {
    /// Written by the automation of that name (`order_confirmation`, …).
    case automation(String)
    /// Part of a campaign (`campaign_id` and `variant` say which).
    case campaign
    /// Sent on its own: `tidings send`, the demo, a benchmark.
    case single

    /// The column's text: `automation:<name>`, `campaign` or `single`.
    public var rawValue: String {
        switch self {
        case .automation(let name): "automation:\(name)"
        case .campaign: "campaign"
        case .single: "single"
        }
    }

    public init?(rawValue: String) {
        switch rawValue {
        case "campaign": self = .campaign
        case "single": self = .single
        default:
            guard rawValue.hasPrefix("automation:"), rawValue.count > "automation:".count else { return nil }
            self = .automation(String(rawValue.dropFirst("automation:".count)))
        }
    }
}
