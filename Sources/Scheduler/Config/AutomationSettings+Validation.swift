import CoreModel
import Foundation

extension AutomationSettings {
    /// Ranges and names a decoder cannot check, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func check(_ ok: Bool, _ keys: [String], _ message: String) {
            if !ok { issues.append(ConfigIssue(path: path + keys, message: message)) }
        }
        check(intervalSeconds >= 1, ["interval_seconds"], "must be at least 1 second")
        for (key, rule) in rules {
            issues += Self.ruleIssues(rule, path: path + [key])
            // Each automation's own values, after its rule: issues come out in file order.
            switch key {
            case "order_confirmation":
                check(orderConfirmation.delaySeconds >= 0, [key, "delay_seconds"], "must be 0 or more seconds")
                check(orderConfirmation.maxAgeHours >= 1, [key, "max_age_hours"], "must be at least 1 hour")
            case "reservation_reminder":
                check(reservationReminder.hoursBefore >= 1, [key, "hours_before"], "must be at least 1 hour")
            case "reservation_call":
                check(reservationCall.afterMinutes >= 1, [key, "after_minutes"], "must be at least 1 minute")
            case "late_delivery_apology":
                let l = lateDeliveryApology
                check(!l.enabled || !l.outcomes.isEmpty, [key, "outcomes"], "lists no outcome")
                for (index, outcome) in l.outcomes.enumerated() where !outcome.isFailure {
                    check(false, [key, "outcomes", String(index)], "'\(outcome.rawValue)' is not a failed delivery")
                }
                check(l.points >= 0, [key, "points"], "must be 0 (no credit) or more")
                check(l.pointsValidDays >= 0, [key, "points_valid_days"], "must be 0 (never expire) or more days")
                check(l.delaySeconds >= 0, [key, "delay_seconds"], "must be 0 or more seconds")
                check(l.maxAgeHours >= 1, [key, "max_age_hours"], "must be at least 1 hour")
            case "revisit_survey":
                check(revisitSurvey.hoursAfter >= 0, [key, "hours_after"], "must be 0 or more hours")
                check(revisitSurvey.maxAgeHours >= 1, [key, "max_age_hours"], "must be at least 1 hour")
            case "points_expiry":
                let dayOfMonth = pointsExpiry.dayOfMonth
                check((1...28).contains(dayOfMonth), [key, "day_of_month"], "must be 1-28 (a day every month has)")
                check(pointsExpiry.daysAhead >= 1, [key, "days_ahead"], "must be at least 1 day")
            case "win_back":
                check(winBack.dormantDays >= 1, [key, "dormant_days"], "must be at least 1 day")
                check(winBack.periodDays >= 1, [key, "period_days"], "must be at least 1 day")
                check(winBack.offerDays >= 1, [key, "offer_days"], "must be at least 1 day")
            case "complaint_work_order":
                for (index, channel) in complaintWorkOrder.channels.enumerated() where channel == .voice {
                    check(false, [key, "channels", String(index)], "'voice' is not a department channel (email, sms or fax)")
                }
                check(complaintWorkOrder.maxAgeHours >= 1, [key, "max_age_hours"], "must be at least 1 hour")
            case "complaint_resolution":
                for (kind, template) in complaintResolution.templates.sorted(by: { $0.key < $1.key }) where !Self.isTemplateName(template) {
                    check(false, [key, "templates", kind], "'\(template)' is not a template name (letters, digits, '-' and '_')")
                }
                check(complaintResolution.maxAgeHours >= 1, [key, "max_age_hours"], "must be at least 1 hour")
            case "manager_brief":
                let b = managerBrief
                for (index, channel) in b.channels.enumerated() where channel != .sms && channel != .email {
                    check(false, [key, "channels", String(index)], "'\(channel.rawValue)' does not carry a brief (sms or email)")
                }
                let from = QuietHoursSettings.minutes(ofClock: b.at)
                let to = QuietHoursSettings.minutes(ofClock: b.until)
                check(from != nil, [key, "at"], "'\(b.at)' is not a time HH:MM between 00:00 and 23:59")
                check(to != nil, [key, "until"], "'\(b.until)' is not a time HH:MM between 00:00 and 23:59")
                if let from, let to { check(from < to, [key, "until"], "must be later in the day than 'at' (\(b.at))") }
                for (index, level) in b.vipLevels.enumerated() where MemberLevel(rawValue: level) == nil {
                    let levels = MemberLevel.allCases.map(\.rawValue).joined(separator: ", ")
                    check(false, [key, "vip_levels", String(index)], "'\(level)' is not a member level (\(levels))")
                }
                for (index, segment) in b.dormantSegments.enumerated() where RFMSegment(rawValue: segment) == nil {
                    let segments = RFMSegment.allCases.map(\.rawValue).joined(separator: ", ")
                    check(false, [key, "dormant_segments", String(index)], "'\(segment)' is not an RFM segment (\(segments))")
                }
                check(b.dormantLimit >= 0, [key, "dormant_limit"], "must be 0 (name none) or more")
                check(b.holdDays >= 0, [key, "hold_days"], "must be 0 (no hold) or more days")
                check(b.relistDays >= 1, [key, "relist_days"], "must be at least 1 day")
                check((1...31).contains(b.birthdayDays), [key, "birthday_days"], "must be 1-31 days")
                check(b.taskLimit >= 0, [key, "task_limit"], "must be 0 or more")
            case "branch_ticket":
                let b = branchTicket
                for (index, channel) in b.channels.enumerated() where channel == .voice {
                    let message = "'voice' is not a branch ticket channel (fax, email or sms)"
                    check(false, [key, "channels", String(index)], message)
                }
                check(!b.enabled || !b.kinds.isEmpty, [key, "kinds"], "lists no order kind")
                check(b.leadMinutes >= 1, [key, "lead_minutes"], "must be at least 1 minute")
                check(
                    b.slotMinutes >= 1 && b.slotMinutes <= 1440 && 1440 % b.slotMinutes == 0, [key, "slot_minutes"],
                    "must divide a day (1440 minutes) evenly: 15, 30, 60…")
                check(b.ackMinutes >= 1, [key, "ack_minutes"], "must be at least 1 minute")
                check(
                    b.ackMinutes < b.leadMinutes || b.ackMinutes < 1 || b.leadMinutes < 1, [key, "ack_minutes"],
                    "must be less than lead_minutes (\(b.leadMinutes)): the call has to come before the slot starts")
                check(
                    Self.isTemplateName(b.callTemplate), [key, "call_template"],
                    "'\(b.callTemplate)' is not a template name (letters, digits, '-' and '_')")
            default:
                break
            }
        }
        return issues
    }

    private static let templateNameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")

    private static func isTemplateName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy(templateNameCharacters.contains)
    }

    private static func ruleIssues(_ rule: AutomationRule, path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        // The name becomes a folder under templates/: nothing may climb out of it.
        if !isTemplateName(rule.template) {
            let message = "'\(rule.template)' is not a template name (letters, digits, '-' and '_')"
            issues.append(.init(path: path + ["template"], message: message))
        }
        if rule.enabled && rule.channels.isEmpty {
            issues.append(.init(path: path + ["channels"], message: "lists no channel"))
        }
        var seen = Set<Channel>()
        for (index, channel) in rule.channels.enumerated() where !seen.insert(channel).inserted {
            let message = "'\(channel.rawValue)' is listed twice"
            issues.append(.init(path: path + ["channels", String(index)], message: message))
        }
        return issues
    }
}
