import Foundation

/// Members dormant at `now` whose dormancy entered a new period after
/// `horizon` (the last scan), or whose row was written since `changedSince`.
/// Period k starts `dormantFor + k × period` after the last activity.
public struct DormancyQuery: Sendable, Hashable {
    public var now: Date
    public var horizon: Date
    public var changedSince: Date
    public var dormantFor: TimeInterval
    public var period: TimeInterval

    public init(now: Date, horizon: Date, changedSince: Date, dormantFor: TimeInterval, period: TimeInterval) {
        self.now = now
        self.horizon = horizon
        self.changedSince = changedSince
        self.dormantFor = dormantFor
        self.period = period
    }
}
