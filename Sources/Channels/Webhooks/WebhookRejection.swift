/// Why a webhook was refused. Nothing is written for a refused webhook.
public struct WebhookRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Status: Int, Sendable {
        case malformed = 400
        case unauthenticated = 401
        case forbidden = 403
        case tooLarge = 413
    }

    public var status: Status
    public var reason: String

    public init(_ status: Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.rawValue): \(reason)" }
}
