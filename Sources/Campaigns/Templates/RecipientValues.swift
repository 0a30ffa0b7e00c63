import CoreModel
import Foundation
import Synchronization

/// The values every campaign message renders with: the member's own, then the campaign's.
///
/// A campaign value never replaces a member key: a campaign file that says
/// `member_name: 贵宾` must not rename every member. It does fill a member key
/// the member has no value for, which is how a campaign gives a fallback
/// `branch_name` for members without a home branch (without one, a template
/// that says `{{branch_name}}` fails for them; `{{#branch_name}}…{{/branch_name}}`
/// leaves it out).
public enum RecipientValues {
    /// Keys every campaign message can use.
    ///
    /// | key | value |
    /// | --- | --- |
    /// | member_no, member_name | as stored |
    /// | level | `regular`, `silver`, `gold`, `platinum`, `diamond` |
    /// | level_name | the level in the member's locale: `金卡会员`, `Gold member` |
    /// | points | the balance, digits only: `1280` |
    /// | branch_name | the home branch; absent when the member has none |
    /// | locale, time_zone | as stored: `zh-CN`, `Asia/Shanghai` (the helpers read `time_zone`) |
    /// | today | the date in the member's time zone at `now`: `2026-12-21` (`{{date(today)}}`) |
    public static let memberKeys: Set<String> = [
        "member_no", "member_name", "level", "level_name", "points", "branch_name", "locale", "time_zone", "today",
    ]

    /// The values for `member`; `campaignValues` fill every other key (and a member key the member has no value for).
    public static func values(member: Member, branchName: String?, campaignValues: [String: String], now: Date) -> [String: String] {
        var values = campaignValues
        values.reserveCapacity(campaignValues.count + memberKeys.count)
        values["member_no"] = member.memberNo
        values["member_name"] = member.name
        values["level"] = member.level.rawValue
        values["level_name"] = levelName(member.level, locale: member.locale)
        values["points"] = String(member.points)
        if let branchName { values["branch_name"] = branchName }
        values["locale"] = member.locale
        values["time_zone"] = member.timezone
        values["today"] = CivilTime(instant: now, in: timeZone(member.timezone)).isoDate
        return values
    }

    /// How the member's locale names a level.
    public static func levelName(_ level: MemberLevel, locale: String) -> String {
        level.name(locale: locale)
    }

    /// Parsing a zone identifier reads tzdata; a campaign has a handful of zones and
    /// renders for every member, so each is parsed once. An unknown one is Asia/Shanghai,
    /// the zone the restaurants are in (the importer refuses unknown zones anyway).
    static func timeZone(_ identifier: String) -> TimeZone {
        if let zone = zones.withLock({ $0[identifier] }) { return zone }
        let zone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        zones.withLock { $0[identifier] = zone }
        return zone
    }

    private static let zones = Mutex<[String: TimeZone]>([:])
}
