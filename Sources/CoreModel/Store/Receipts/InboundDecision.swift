/// What the rules made of an inbound message: what it is, and what it does.
public struct InboundDecision: Sendable, Hashable {
    /// The kind stored (a reply that says 退订 is an opt-out).
    public var kind: InboundRecord.Kind
    public var actions: [FeedbackAction]

    public init(kind: InboundRecord.Kind, actions: [FeedbackAction] = []) {
        self.kind = kind
        self.actions = actions
    }
}
