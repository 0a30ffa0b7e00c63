import CoreModel
import Foundation
import Scheduler

/// What a campaign file may refer to outside itself.
public struct CampaignEnvironment: Sendable {
    /// `segments:` of tidings.yaml, by name.
    public var savedSegments: [String: String]
    public var templates: TemplateLibrary
    /// For schedules and windows without a zone of their own.
    public var timeZone: TimeZone

    public init(savedSegments: [String: String], templates: TemplateLibrary, timeZone: TimeZone) {
        self.savedSegments = savedSegments
        self.templates = templates
        self.timeZone = timeZone
    }
}

extension CampaignDefinition {
    static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
    static let variantCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")

    /// The audience's segment text: a saved segment by name, else the expression itself.
    public func audienceExpression(in environment: CampaignEnvironment) -> String {
        environment.savedSegments[audience.trimmingCharacters(in: .whitespaces)] ?? audience
    }

    /// Every problem, by key path (the loader adds file and line); empty when it can be launched.
    public func issues(in environment: CampaignEnvironment, now: Date = Date()) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func fail(_ path: [String], _ message: String) { issues.append(ConfigIssue(path: path, message: message)) }

        if name.isEmpty || name.count > 64 || !name.allSatisfy(Self.nameCharacters.contains) {
            fail(["name"], "'\(name)' must be 1–64 lower-case letters, digits, '-' or '_'")
        }
        let expression = audienceExpression(in: environment)
        do {
            _ = try SegmentParser(now: now, timeZone: environment.timeZone).parse(expression)
        } catch {
            let saved = expression == audience ? "" : " (saved segment '\(audience)')"
            fail(["audience"], "\(error)\(saved)\n\(error.pointing(at: expression))")
        }
        if channels.isEmpty { fail(["channels"], "list at least one channel (sms, voice, email, fax)") }
        if Set(channels).count != channels.count { fail(["channels"], "a channel is listed twice") }

        // Variants: names, weights, and every template they use present for every channel in the fallback locale.
        var seen: Set<String> = []
        for (index, variant) in variants.enumerated() {
            let path = ["variants", String(index)]
            if variant.name.isEmpty || variant.name.count > 32 || !variant.name.allSatisfy(Self.variantCharacters.contains) {
                fail(path + ["name"], "'\(variant.name)' must be 1–32 letters, digits, '-' or '_'")
            }
            if !seen.insert(variant.name).inserted { fail(path + ["name"], "variant '\(variant.name)' is listed twice") }
            if !(variant.weight > 0) { fail(path + ["weight"], "must be more than 0") }
        }
        for (index, variant) in effectiveVariants.enumerated() {
            let path = variants.isEmpty ? ["template"] : (variant.template == nil ? ["template"] : ["variants", String(index), "template"])
            guard let template = template(of: variant) else {
                fail(path, variants.isEmpty ? "missing: the template the campaign sends" : "variant \(variant.name) has no template and the campaign names none")
                continue
            }
            for channel in channels {
                do {
                    _ = try environment.templates.template(named: template, channel: channel, locale: locale)
                } catch {
                    fail(path, "\(channel.rawValue) in \(locale): \(error)")
                }
            }
        }
        if !(0...50).contains(control) { fail(["control"], "the control group is a percentage from 0 to 50 (found \(control))") }
        if let throttle, !(1...1_000_000).contains(throttle) { fail(["throttle"], "messages per minute, from 1 to 1000000 (found \(throttle))") }
        if let expires, DispatchConfig.seconds(of: expires) == nil { fail(["expires"], "'\(expires)' is not a duration like 12h or 3d") }
        if locale.isEmpty || !locale.allSatisfy(Self.variantCharacters.contains) { fail(["locale"], "'\(locale)' is not a locale like zh-CN") }
        for key in values.keys.sorted() where key.isEmpty || !key.allSatisfy(Self.nameCharacters.contains) {
            fail(["values", key], "a value's name is lower-case letters, digits and _")
        }
        if let window {
            for (key, text) in [("from", window.from), ("to", window.to)] where QuietHoursSettings.minutes(ofClock: text) == nil {
                fail(["window", key], "'\(text)' is not a time HH:MM")
            }
        }
        if let pacing {
            if !(pacing.seatsShare > 0 && pacing.seatsShare <= 1) {
                fail(["pacing", "seats_share"], "a share of the seats, more than 0 and at most 1 (found \(pacing.seatsShare))")
            }
            for (key, text) in [("from", pacing.from), ("to", pacing.to)] where QuietHoursSettings.minutes(ofClock: text) == nil {
                fail(["pacing", key], "'\(text)' is not a time HH:MM")
            }
            if DispatchConfig.seconds(of: pacing.recheck) == nil { fail(["pacing", "recheck"], "'\(pacing.recheck)' is not a duration like 10m") }
        }
        if let survey {
            if survey.question.trimmingCharacters(in: .whitespaces).isEmpty { fail(["survey", "question"], "is empty") }
            if survey.answers.isEmpty { fail(["survey", "answers"], "list the keys a member may answer with and what each means") }
            for key in survey.answers.keys.sorted() where key.count != 1 || !key.allSatisfy({ "0123456789*#".contains($0) }) {
                fail(["survey", "answers", key], "an answer is one key: 0–9, * or #")
            }
        }
        if let schedule { issues += schedule.issues(in: environment) }
        return issues
    }
}

extension CampaignDefinition.Schedule {
    func issues(in environment: CampaignEnvironment) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        let kinds = [at, cron, localTime].compactMap { $0 }
        if kinds.count != 1 {
            issues.append(ConfigIssue(path: ["schedule"], message: "give exactly one of at, cron or local_time"))
        }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            issues.append(ConfigIssue(path: ["schedule", "time_zone"], message: "'\(timeZone)' is not a time zone like Asia/Shanghai"))
        }
        let zone = zone(default: environment.timeZone)
        if let at, CampaignClock.localDateTime(at, in: zone) == nil {
            issues.append(ConfigIssue(path: ["schedule", "at"], message: "'\(at)' is not a local time like 2026-12-01 10:00"))
        }
        if let cron {
            do { _ = try CronSchedule(cron) } catch { issues.append(ConfigIssue(path: ["schedule", "cron"], message: error.description)) }
        }
        if let localTime, QuietHoursSettings.minutes(ofClock: localTime) == nil {
            issues.append(ConfigIssue(path: ["schedule", "local_time"], message: "'\(localTime)' is not a time HH:MM"))
        }
        if let date {
            if localTime == nil { issues.append(ConfigIssue(path: ["schedule", "date"], message: "a date goes with local_time")) }
            if CampaignClock.localDateTime("\(date) 00:00", in: zone) == nil {
                issues.append(ConfigIssue(path: ["schedule", "date"], message: "'\(date)' is not a date like 2026-12-01"))
            }
        }
        return issues
    }

    func zone(default fallback: TimeZone) -> TimeZone { timeZone.flatMap(TimeZone.init(identifier:)) ?? fallback }
}
