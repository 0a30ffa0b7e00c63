import Foundation

extension TidingsConfig.AutomationSettings {
    /// Ranges and names a decoder cannot check, by key path under `path`.
    func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func check(_ ok: Bool, _ keys: [String], _ message: String) {
            if !ok { issues.append(ConfigIssue(path: path + keys, message: message)) }
        }
        check(intervalSeconds >= 1, ["interval_seconds"], "must be at least 1 second")
        for (key, rule) in rules {
            issues += Self.ruleIssues(rule, path: path + [key])
        }
        let o = orderConfirmation, r = reservationReminder, l = lateDeliveryApology, s = revisitSurvey, p = pointsExpiry, w = winBack
        check(o.delaySeconds >= 0, ["order_confirmation", "delay_seconds"], "must be 0 or more seconds")
        check(o.maxAgeHours >= 1, ["order_confirmation", "max_age_hours"], "must be at least 1 hour")
        check(r.hoursBefore >= 1, ["reservation_reminder", "hours_before"], "must be at least 1 hour")
        check(l.points >= 0, ["late_delivery_apology", "points"], "must be 0 (no credit) or more")
        check(l.pointsValidDays >= 0, ["late_delivery_apology", "points_valid_days"], "must be 0 (never expire) or more days")
        check(l.delaySeconds >= 0, ["late_delivery_apology", "delay_seconds"], "must be 0 or more seconds")
        check(l.maxAgeHours >= 1, ["late_delivery_apology", "max_age_hours"], "must be at least 1 hour")
        check(!l.enabled || !l.outcomes.isEmpty, ["late_delivery_apology", "outcomes"], "lists no outcome")
        for (index, outcome) in l.outcomes.enumerated() where !outcome.isFailure {
            check(false, ["late_delivery_apology", "outcomes", String(index)], "'\(outcome.rawValue)' is not a failed delivery")
        }
        check(s.hoursAfter >= 0, ["revisit_survey", "hours_after"], "must be 0 or more hours")
        check(s.maxAgeHours >= 1, ["revisit_survey", "max_age_hours"], "must be at least 1 hour")
        check((1...28).contains(p.dayOfMonth), ["points_expiry", "day_of_month"], "must be 1-28 (a day every month has)")
        check(p.daysAhead >= 1, ["points_expiry", "days_ahead"], "must be at least 1 day")
        check(w.dormantDays >= 1, ["win_back", "dormant_days"], "must be at least 1 day")
        check(w.periodDays >= 1, ["win_back", "period_days"], "must be at least 1 day")
        check(w.offerDays >= 1, ["win_back", "offer_days"], "must be at least 1 day")
        return issues
    }

    private static let templateNameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")

    private static func ruleIssues(_ rule: TidingsConfig.AutomationRule, path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        // The name becomes a folder under templates/: nothing may climb out of it.
        if rule.template.isEmpty || !rule.template.allSatisfy(templateNameCharacters.contains) {
            issues.append(.init(path: path + ["template"], message: "'\(rule.template)' is not a template name (letters, digits, '-' and '_')"))
        }
        if rule.enabled && rule.channels.isEmpty {
            issues.append(.init(path: path + ["channels"], message: "lists no channel"))
        }
        var seen = Set<Channel>()
        for (index, channel) in rule.channels.enumerated() where !seen.insert(channel).inserted {
            issues.append(.init(path: path + ["channels", String(index)], message: "'\(channel.rawValue)' is listed twice"))
        }
        return issues
    }
}
