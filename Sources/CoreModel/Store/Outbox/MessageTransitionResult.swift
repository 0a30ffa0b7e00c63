import Foundation

public enum MessageTransitionResult: Sendable, Hashable {
    case applied(from: MessageStatus, to: MessageStatus)
    case refused(MessageStateMachine.Refusal)
    case notFound
    /// The lease moved to another owner (or expired and was reconciled).
    case leaseLost
}
