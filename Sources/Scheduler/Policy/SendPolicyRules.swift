import CoreModel
import Foundation

/// The configurable part of `SendPolicy`.
public struct SendPolicyRules: Sendable, Hashable {
    /// nil: no quiet hours.
    public var quietHours: QuietHours?
    /// Lanes held back during quiet hours.
    public var quietHoursLanes: Set<Lane>
    /// Categories without an entry are not capped.
    public var frequencyCaps: [ConsentCategory: FrequencyCap]
    /// How long marketing to a member with an open follow-up waits before it is looked at again.
    public var followUpRecheck: TimeInterval = 3600

    /// The same lanes as tidings.yaml's default, so there is one default.
    public static let defaultQuietHoursLanes = Set(QuietHoursSettings.defaults.lanes)
    public static let defaultFrequencyCaps: [ConsentCategory: FrequencyCap] = [.marketing: FrequencyCap(limit: 2, days: 7)]

    public init(
        quietHours: QuietHours? = nil, quietHoursLanes: Set<Lane> = Self.defaultQuietHoursLanes,
        frequencyCaps: [ConsentCategory: FrequencyCap] = Self.defaultFrequencyCaps
    ) {
        self.quietHours = quietHours
        self.quietHoursLanes = quietHoursLanes
        self.frequencyCaps = frequencyCaps
    }

    /// Quiet hours and their lanes as tidings.yaml sets them.
    public init(
        quietHours settings: QuietHoursSettings,
        frequencyCaps: [ConsentCategory: FrequencyCap] = Self.defaultFrequencyCaps
    ) throws(QuietHours.ParseError) {
        self.init(
            quietHours: try QuietHours(start: settings.start, end: settings.end), quietHoursLanes: Set(settings.lanes),
            frequencyCaps: frequencyCaps)
    }
}
