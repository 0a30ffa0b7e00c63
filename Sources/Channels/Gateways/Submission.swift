import CoreModel
import Foundation

/// What a provider said when it took a message.
public struct Submission: Sendable, Hashable {
    public var providerMessageId: String?
    public var segments: Int
    /// Cost in millionths of the currency unit, if the gateway has a price.
    public var costMicros: Int?

    public init(providerMessageId: String?, segments: Int = 1, costMicros: Int? = nil) {
        self.providerMessageId = providerMessageId
        self.segments = segments
        self.costMicros = costMicros
    }
}
