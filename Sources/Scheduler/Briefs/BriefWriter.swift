import CoreModel
import Foundation

/// What a manager's brief covers on a day and how its lists read in the
/// `manager-brief` templates: counts for the SMS, one line per entry for the
/// email. A list with nothing in it is left out of the values, so a template
/// says `{{^bookings}}无{{/bookings}}`. Phones appear only for the manager's
/// own members, whom they are to call; VIP arrivals of others show none.
public struct BriefWriter: Sendable {
    public let settings: AutomationSettings.ManagerBrief
    /// The group's zone: the brief's day, and every time on it.
    public let timeZone: TimeZone

    public init(settings: AutomationSettings.ManagerBrief, timeZone: TimeZone) {
        self.settings = settings
        self.timeZone = timeZone
    }

    public var calendar: Calendar { TemplateValues.calendar(timeZone) }

    /// `2026-11-27`: the day `now` is in, as the brief's keys name it.
    public func day(_ now: Date) -> String { TemplateValues.day(now, in: timeZone) }

    public func query(for recipient: BriefRecipient, now: Date) -> BriefQuery {
        let start = calendar.startOfDay(for: now)
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86400)
        return BriefQuery(
            recipient: recipient, dayStart: start, dayEnd: end, birthdays: birthdays(from: start), vipLevels: settings.vipLevels,
            dormantSegments: settings.dormantSegments, dormantLimit: settings.dormantLimit,
            relistAfter: now.addingTimeInterval(-TimeInterval(settings.relistDays) * 86400), taskLimit: settings.taskLimit)
    }

    /// `MM-DD` of each day from `start` over `birthday_days`; outside a leap
    /// year, 02-29 birthdays are greeted on 02-28.
    public func birthdays(from start: Date) -> [String] {
        var days: [String] = []
        for offset in 0..<max(1, settings.birthdayDays) {
            guard let date = calendar.date(byAdding: .day, value: offset, to: start) else { continue }
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let (year, month, day) = (c.year ?? 0, c.month ?? 0, c.day ?? 0)
            days.append(Member.birthday(month: month, day: day))
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            if month == 2, day == 28, !leap { days.append("02-29") }
        }
        return days
    }

    /// The dormant members named: the manager's to call, marketing held until then.
    public func calls(_ content: BriefContent, for recipient: BriefRecipient, now: Date) -> [PersonalCall] {
        let until = now.addingTimeInterval(TimeInterval(settings.holdDays) * 86400)
        return content.dormant.map { PersonalCall(memberId: $0.memberId, staffId: recipient.staffId, holdUntil: until) }
    }

    public func values(for recipient: BriefRecipient, content: BriefContent, now: Date) -> [String: String] {
        let c = calendar.dateComponents([.month, .day], from: now)
        var values = [
            "staff_name": recipient.name, "staff_no": recipient.staffNo, "branch_name": recipient.branchName ?? "",
            "brief_day": "\(c.month ?? 0)月\(c.day ?? 0)日", "booking_count": String(content.bookings.count),
            "vip_count": String(content.vipArrivals.count), "birthday_count": String(content.birthdays.count),
            "dormant_count": String(content.dormant.count), "task_count": String(content.openTaskCount),
            "hold_days": String(settings.holdDays), "birthday_days": String(settings.birthdayDays),
        ]
        if recipient.email != nil { values["has_email"] = "1" }
        func list(_ key: String, _ lines: [String]) {
            if !lines.isEmpty { values[key] = lines.joined(separator: "\n") }
        }
        list("bookings", content.bookings.map(booking))
        list("vip_arrivals", content.vipArrivals.map(booking))
        list("birthdays", content.birthdays.map(birthday))
        list("dormant", content.dormant.map(dormant))
        var tasks = content.openTasks.map(task)
        if content.openTaskCount > content.openTasks.count { tasks.append("……另有\(content.openTaskCount - content.openTasks.count)项") }
        list("tasks", tasks)
        return values
    }

    /// `18:30 预订 6位 天河店 · 李女士（M00000001，金卡会员）13812345678 · SO2026…`
    func booking(_ b: BriefBooking) -> String {
        let kind = b.kind == .banquet ? "宴会" : "预订"
        let party = b.partySize.map { " \($0)位" } ?? ""
        let phone = b.phone.map { " \($0)" } ?? ""
        return "\(time(b.scheduledAt)) \(kind)\(party) \(b.branchName) · \(b.memberName)（\(b.memberNo)，\(levelName(b.level))）\(phone) · \(b.orderNo)"
    }

    /// `11月29日 · 张女士（M00000003，银卡会员）13812345678`
    func birthday(_ m: BriefMember) -> String {
        let parts = (m.birthday ?? "").split(separator: "-").compactMap { Int($0) }
        let day = parts.count == 2 ? "\(parts[0])月\(parts[1])日" : "?"
        return "\(day) · \(m.name)（\(m.memberNo)，\(levelName(m.level))）\(m.phone.map { " \($0)" } ?? "")"
    }

    /// `陈先生（M00000004，金卡会员）13812345678 · 沉睡 · 最近消费 2026-05-01 · 累计 3680.00元`
    func dormant(_ m: BriefMember) -> String {
        let segment = m.segment.flatMap(RFMSegment.init(rawValue:)).map(Self.segmentName) ?? (m.segment ?? "")
        let last = m.lastOrderAt.map { "最近消费 \(TemplateValues.day($0, in: timeZone))" } ?? "从未消费"
        return "\(m.name)（\(m.memberNo)，\(levelName(m.level))）\(m.phone.map { " \($0)" } ?? "") · \(segment) · \(last) · 累计 \(TemplateValues.yuan(fen: m.spendFen))元"
    }

    /// `#12 低分回访 · 会员M00000005 赵女士 · 到期 11月27日 10:00（已逾期）`
    func task(_ t: FollowUpTask) -> String {
        let reason = t.reason == FeedbackDecisions.lowScoreReason ? "低分回访\(t.score.map { "（\($0)分）" } ?? "")" : t.reason
        let due = TemplateValues.monthDayTime(t.dueAt, in: timeZone)
        return "#\(t.id) \(reason) · 会员\(t.memberNo) \(t.memberName) · 到期 \(due)"
    }

    private func time(_ date: Date) -> String {
        String(TemplateValues.monthDayTime(date, in: timeZone).split(separator: " ").last ?? "")
    }

    private func levelName(_ level: String) -> String {
        MemberLevel(rawValue: level)?.name(locale: "zh-CN") ?? level
    }

    static func segmentName(_ segment: RFMSegment) -> String {
        switch segment {
        case .champions: "重要价值"
        case .loyal: "忠诚"
        case .potential: "潜力"
        case .new: "新客"
        case .atRisk: "流失预警"
        case .hibernating: "沉睡"
        case .lost: "已流失"
        }
    }
}
