import CoreModel
import Foundation
import Scheduler

/// One campaign file (`campaigns/<name>.yaml`), as marketing staff write it.
/// Decoding refuses unknown keys and wrong types (with their key path);
/// `issues()` checks the rest, so the loader can name file, line and field.
public struct CampaignDefinition: Sendable, Codable, Hashable {
    public var name: String
    public var title: String?
    public var category: ConsentCategory
    /// A segment expression, or the name of a saved segment (`segments:` in tidings.yaml).
    public var audience: String
    /// Fallback order: each member gets the first they can be reached on.
    public var channels: [Channel]
    /// The template of variants that name none.
    public var template: String?
    /// Members reading a locale the templates lack get this one.
    public var locale: String
    /// Fixed values for the templates (`{{dish}}`), besides the member's own.
    public var values: [String: String]
    public var schedule: Schedule?
    /// Local send window in each member's time zone, e.g. 10:00–20:30.
    public var window: Window?
    /// Messages per minute, spread from each run's start.
    public var throttle: Int?
    public var variants: [Variant]
    /// Percent of the audience held out as the control group (0–50).
    public var control: Double
    /// How long after its due time a message may still go ("2d").
    public var expires: String?
    public var pacing: Pacing?
    public var survey: Survey?

    public struct Schedule: Sendable, Codable, Hashable {
        /// Once, at this local time ("2026-12-01 10:00") in `time_zone`.
        public var at: String?
        /// Again and again: five fields (minute hour day month weekday) in `time_zone`.
        public var cron: String?
        /// "At 10:00 in each member's own time zone", on `date` (or the next day it is still ahead).
        public var localTime: String?
        public var date: String?
        public var timeZone: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case at, cron, localTime = "local_time", date, timeZone = "time_zone"
        }

        public init(at: String? = nil, cron: String? = nil, localTime: String? = nil, date: String? = nil, timeZone: String? = nil) {
            self.at = at
            self.cron = cron
            self.localTime = localTime
            self.date = date
            self.timeZone = timeZone
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            at = try c.decodeIfPresent(String.self, forKey: .at)
            cron = try c.decodeIfPresent(String.self, forKey: .cron)
            localTime = try c.decodeIfPresent(String.self, forKey: .localTime)
            date = try c.decodeIfPresent(String.self, forKey: .date)
            timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        }
    }

    public struct Window: Sendable, Codable, Hashable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }

        /// When the window next opens in `zone`, or nil when `date` is inside it: outside the window
        /// is a quiet time from `to` until `from`, checked as quiet hours are (DST included).
        public func opening(after date: Date, in zone: TimeZone) -> Date? {
            guard let outside = try? QuietHours(start: to, end: from),
                case .deferUntil(let opens) = outside.check(now: date, timeZone: zone)
            else { return nil }
            return opens
        }
    }

    public struct Variant: Sendable, Codable, Hashable {
        public var name: String
        public var weight: Double
        public var template: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case name, weight, template }

        public init(name: String, weight: Double, template: String? = nil) {
            self.name = name
            self.weight = weight
            self.template = template
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            weight = try c.decodeIfPresent(Double.self, forKey: .weight) ?? 1
            template = try c.decodeIfPresent(String.self, forKey: .template)
        }
    }

    /// Branch pacing: a "tonight" offer stops going to a branch's members once
    /// the branch's reservations between `from` and `to` (its local evening)
    /// reach `seats_share` of its seats; it resumes if bookings are cancelled.
    public struct Pacing: Sendable, Codable, Hashable {
        public var seatsShare: Double
        public var from: String
        public var to: String
        /// How often a held message looks again.
        public var recheck: String

        enum CodingKeys: String, CodingKey, CaseIterable { case seatsShare = "seats_share", from, to, recheck }

        public init(seatsShare: Double, from: String = "17:00", to: String = "22:00", recheck: String = "10m") {
            self.seatsShare = seatsShare
            self.from = from
            self.to = to
            self.recheck = recheck
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            seatsShare = try c.decode(Double.self, forKey: .seatsShare)
            from = try c.decodeIfPresent(String.self, forKey: .from) ?? "17:00"
            to = try c.decodeIfPresent(String.self, forKey: .to) ?? "22:00"
            recheck = try c.decodeIfPresent(String.self, forKey: .recheck) ?? "10m"
        }
    }

    /// A question the campaign asks: the keys a member may answer with and what each means.
    public struct Survey: Sendable, Codable, Hashable {
        public var question: String
        public var answers: [String: String]

        enum CodingKeys: String, CodingKey, CaseIterable { case question, answers }

        public init(question: String, answers: [String: String]) {
            self.question = question
            self.answers = answers
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            question = try c.decode(String.self, forKey: .question)
            answers = try CampaignDefinition.textMap(c.superDecoder(forKey: .answers))
        }
    }

    /// A mapping of text to text whose keys may look like numbers ("1": 非常不满意): a
    /// `[String: String]` decoder looks such keys up as integers and misses them.
    static func textMap(_ decoder: Decoder) throws -> [String: String] {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        var map: [String: String] = [:]
        for key in container.allKeys {
            do {
                map[key.stringValue] = try container.decode(String.self, forKey: key)
            } catch DecodingError.keyNotFound {
                // Yams looks a quoted "1" up as the number 1 and misses it.
                throw decoder.refuse("write the key \(key.stringValue) without quotes (1: …, not \"1\": …)")
            }
        }
        return map
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, title, category, audience, channels, template, locale, values, schedule, window, throttle, variants, control,
            expires, pacing, survey
    }

    public init(
        name: String, title: String? = nil, category: ConsentCategory, audience: String, channels: [Channel], template: String?,
        locale: String = "zh-CN", values: [String: String] = [:], schedule: Schedule? = nil, window: Window? = nil,
        throttle: Int? = nil, variants: [Variant] = [], control: Double = 0, expires: String? = nil, pacing: Pacing? = nil,
        survey: Survey? = nil
    ) {
        self.name = name
        self.title = title
        self.category = category
        self.audience = audience
        self.channels = channels
        self.template = template
        self.locale = locale
        self.values = values
        self.schedule = schedule
        self.window = window
        self.throttle = throttle
        self.variants = variants
        self.control = control
        self.expires = expires
        self.pacing = pacing
        self.survey = survey
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        category = try c.decode(ConsentCategory.self, forKey: .category)
        audience = try c.decode(String.self, forKey: .audience)
        channels = try c.decode([Channel].self, forKey: .channels)
        template = try c.decodeIfPresent(String.self, forKey: .template)
        locale = try c.decodeIfPresent(String.self, forKey: .locale) ?? "zh-CN"
        values = c.contains(.values) ? try Self.textMap(c.superDecoder(forKey: .values)) : [:]
        schedule = try c.decodeIfPresent(Schedule.self, forKey: .schedule)
        window = try c.decodeIfPresent(Window.self, forKey: .window)
        throttle = try c.decodeIfPresent(Int.self, forKey: .throttle)
        variants = try c.decodeIfPresent([Variant].self, forKey: .variants) ?? []
        control = try c.decodeIfPresent(Double.self, forKey: .control) ?? 0
        expires = try c.decodeIfPresent(String.self, forKey: .expires)
        pacing = try c.decodeIfPresent(Pacing.self, forKey: .pacing)
        survey = try c.decodeIfPresent(Survey.self, forKey: .survey)
    }

    /// The variants to send: those written, or one (`A`) with the campaign's template.
    public var effectiveVariants: [Variant] {
        variants.isEmpty ? [Variant(name: "A", weight: 1, template: template)] : variants
    }

    public func template(of variant: Variant) -> String? { variant.template ?? template }
}
