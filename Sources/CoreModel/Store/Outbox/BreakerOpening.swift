import Foundation

/// A gateway's circuit breaker opened (too many failures in a row): the
/// dispatcher's breaker lives in memory, so each opening is written down for
/// the gateways report.
public struct BreakerOpening: Sendable, Hashable {
    public var gateway: String
    public var at: Date

    public init(gateway: String, at: Date) {
        self.gateway = gateway
        self.at = at
    }
}
