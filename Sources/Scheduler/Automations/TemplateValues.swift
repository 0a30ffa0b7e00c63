import CoreModel
import Foundation

/// How the automations write numbers and dates into templates (zh-CN, as the
/// shipped templates expect): `368.00`, `12月21日 18:30`, `2026-12-31`.
enum TemplateValues {
    /// What the reservation templates (reminder, call) say: who, where, when, how many.
    static func reservation(_ order: AutomationOrder, at scheduledAt: Date, context: AutomationContext) -> [String: String] {
        var values = [
            "member_name": order.member.name, "branch_name": order.branchName, "order_no": order.orderNo,
            "reserved_at": monthDayTime(scheduledAt, in: context.timeZone(of: order.member)),
        ]
        values["party_size"] = order.partySize.map(String.init)
        return values
    }

    static func yuan(fen: Int) -> String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(fen < 0 ? "-" : "")\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// `12月21日 18:30` in the member's time zone.
    static func monthDayTime(_ date: Date, in timeZone: TimeZone) -> String {
        let c = calendar(timeZone).dateComponents([.month, .day, .hour, .minute], from: date)
        return "\(c.month ?? 0)月\(c.day ?? 0)日 \(twoDigits(c.hour)):\(twoDigits(c.minute))"
    }

    /// `18:30` in `timeZone`.
    static func time(_ date: Date, in timeZone: TimeZone) -> String {
        let c = calendar(timeZone).dateComponents([.hour, .minute], from: date)
        return "\(twoDigits(c.hour)):\(twoDigits(c.minute))"
    }

    /// `12月21日` in `timeZone`.
    static func monthDay(_ date: Date, in timeZone: TimeZone) -> String {
        let c = calendar(timeZone).dateComponents([.month, .day], from: date)
        return "\(c.month ?? 0)月\(c.day ?? 0)日"
    }

    /// `2026-12-31`.
    static func day(_ date: Date, in timeZone: TimeZone) -> String {
        let c = calendar(timeZone).dateComponents([.year, .month, .day], from: date)
        return "\(c.year ?? 0)-\(twoDigits(c.month))-\(twoDigits(c.day))"
    }

    /// `2026-06`.
    static func month(year: Int, month: Int) -> String { "\(year)-\(twoDigits(month))" }

    /// What went wrong with a delivery, to follow "您的订单SO1…".
    static func deliveryProblem(_ outcome: DeliveryOutcome) -> String {
        switch outcome {
        case .onTime: "已送达"
        case .late30m: "未能准时送达"
        case .late1h: "晚到了一个多小时"
        case .wrongAddress: "送错了地址"
        case .notDelivered: "未能送达"
        case .damaged: "送达时包装破损"
        case .cold: "送达时饭菜已凉"
        }
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    private static func twoDigits(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : "\(value)"
    }
}
