import CoreModel
import Foundation
import Scheduler

/// Turns a campaign file into the store's fan-out plan for one run: the
/// segment, the channels, variant and control buckets, the start per time
/// zone and the throttle.
public struct CampaignPlanner: Sendable {
    public let environment: CampaignEnvironment

    public init(environment: CampaignEnvironment) {
        self.environment = environment
    }

    /// When the campaign's next run starts, after `now`: `run` numbers it
    /// (1 for a campaign sent once; a cron run is its start in unix minutes).
    public struct Start: Sendable, Hashable {
        public var run: Int64
        public var at: Date
        public var byTimeZone: [String: Date]
    }

    /// The first run at launch (`now` when the file has no schedule), or the cron run after `after`.
    public func nextStart(_ definition: CampaignDefinition, after: Date, timeZones: [String]) -> Start? {
        guard let schedule = definition.schedule else { return Start(run: 1, at: after, byTimeZone: [:]) }
        let zone = schedule.zone(default: environment.timeZone)
        if let at = schedule.at {
            return CampaignClock.localDateTime(at, in: zone).map { Start(run: 1, at: $0, byTimeZone: [:]) }
        }
        if let cron = schedule.cron, let parsed = try? CronSchedule(cron) {
            return parsed.next(after: after, in: zone).map { Start(run: Int64($0.timeIntervalSince1970) / 60, at: $0, byTimeZone: [:]) }
        }
        if let clock = schedule.localTime {
            var byZone: [String: Date] = [:]
            for identifier in Set(timeZones + [zone.identifier]) {
                let memberZone = TimeZone(identifier: identifier) ?? zone
                byZone[identifier] = CampaignClock.next(clock, on: schedule.date, in: memberZone, after: after)
            }
            guard let first = byZone.values.min() else { return nil }
            return Start(run: 1, at: first, byTimeZone: byZone)
        }
        return nil
    }

    public func plan(_ definition: CampaignDefinition, campaignId: Int64, start: Start, now: Date) throws -> FanOutPlan {
        let expression = definition.audienceExpression(in: environment)
        let segment = try SegmentParser(now: now, timeZone: environment.timeZone).parse(expression)
        let controlBelow = Int((definition.control * Double(FanOutPlan.buckets) / 100).rounded())
        let variants = definition.effectiveVariants
        let totalWeight = variants.reduce(0) { $0 + $1.weight }
        var cumulative = 0.0
        let planned = variants.enumerated().map { index, variant in
            cumulative += variant.weight
            let share = Double(FanOutPlan.buckets - controlBelow) * cumulative / totalWeight
            let below = index == variants.count - 1 ? FanOutPlan.buckets : controlBelow + Int(share.rounded())
            return FanOutPlan.Variant(name: variant.name, template: definition.template(of: variant) ?? "", bucketsBelow: below)
        }
        // Locales every variant has on every channel; anyone else reads the fallback.
        var locales: Set<String>?
        for variant in planned {
            for channel in definition.channels {
                let available = environment.templates.locales(of: variant.template, channel: channel)
                locales = locales.map { $0.intersection(available) } ?? available
            }
        }
        return FanOutPlan(
            campaignId: campaignId, run: start.run, segment: segment, category: definition.category,
            lane: definition.category == .service ? .reminder : .marketing, channels: definition.channels,
            controlBelow: controlBelow, variants: planned, salt: Self.salt(definition.name),
            locales: (locales ?? [definition.locale]).union([definition.locale]).sorted(), fallbackLocale: definition.locale,
            start: start.at, startsByTimeZone: start.byTimeZone, perMinute: definition.throttle,
            expiresAfter: definition.expires.flatMap(DispatchConfig.seconds(of:)))
    }

    /// FNV-1a of the name: the same split on every machine and launch (Swift's `Hasher` is seeded per process).
    static func salt(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash >> 1)
    }
}
