import Foundation

public enum InboundResult: Sendable, Hashable {
    /// Stored as the rules decided, and their actions executed; `memberNo`
    /// when the sender is a known member.
    case stored(memberNo: String?, decision: InboundDecision)
    /// The provider sent the same message before.
    case duplicate
}
