import CoreModel
import Foundation
import Scheduler
import Testing

struct AutomationConfigTests {
    @Test func defaultsAreValid() {
        #expect(AutomationSettings.defaults.issues(path: ["automations"]).isEmpty)
        let a = AutomationSettings.defaults
        #expect(a.intervalSeconds == 30)
        #expect(a.orderConfirmation.template == "order-confirmation" && a.orderConfirmation.delaySeconds == 0)
        #expect(a.reservationReminder.hoursBefore == 3)
        #expect(a.lateDeliveryApology.points == 50 && a.lateDeliveryApology.outcomes == [.late30m, .late1h, .notDelivered])
        #expect(a.revisitSurvey.hoursAfter == 24)
        #expect(a.pointsExpiry.dayOfMonth == 1 && a.pointsExpiry.daysAhead == 30)
        #expect(!a.winBack.enabled && a.winBack.dormantDays == 90 && a.winBack.periodDays == 90)
    }

    @Test func badValuesAreErrorsByKeyPath() {
        var a = AutomationSettings.defaults
        a.intervalSeconds = 0
        a.orderConfirmation.delaySeconds = -5
        a.reservationReminder.channels = []
        a.lateDeliveryApology.outcomes = [.late1h, .onTime]
        a.lateDeliveryApology.points = -1
        a.revisitSurvey.hoursAfter = -24
        a.pointsExpiry.dayOfMonth = 31
        a.winBack.template = "../promotion"
        a.winBack.channels = [.sms, .email, .sms]
        let issues = a.issues(path: ["automations"])
        #expect(issues.map(\.keyPath) == [
            "automations.interval_seconds",
            "automations.order_confirmation.delay_seconds",
            "automations.reservation_reminder.channels",
            "automations.late_delivery_apology.outcomes[1]",
            "automations.late_delivery_apology.points",
            "automations.revisit_survey.hours_after",
            "automations.points_expiry.day_of_month",
            "automations.win_back.template",
            "automations.win_back.channels[2]",
        ])
        #expect(issues.allSatisfy { $0.severity == .error })
        let template = issues.first { $0.keyPath == "automations.win_back.template" }
        #expect(template?.message == "'../promotion' is not a template name (letters, digits, '-' and '_')")
    }

    @Test func aManagerBriefsBadValuesAreErrorsByKeyPath() {
        var a = AutomationSettings.defaults
        a.managerBrief.channels = [.sms, .fax]
        a.managerBrief.at = "8:00"
        a.managerBrief.vipLevels = ["gold", "vip"]
        a.managerBrief.dormantSegments = ["sleeping"]
        a.managerBrief.holdDays = -1
        a.managerBrief.birthdayDays = 0
        let issues = a.issues(path: ["automations"])
        #expect(issues.map(\.keyPath) == [
            "automations.manager_brief.channels[1]",
            "automations.manager_brief.at",
            "automations.manager_brief.vip_levels[1]",
            "automations.manager_brief.dormant_segments[0]",
            "automations.manager_brief.hold_days",
            "automations.manager_brief.birthday_days",
        ])
        #expect(issues.first?.message == "'fax' does not carry a brief (sms or email)")
        #expect(issues.dropFirst().first?.message == "'8:00' is not a time HH:MM between 00:00 and 23:59")
        a = .defaults
        a.managerBrief.until = "07:30"
        #expect(a.issues(path: ["automations"]).map(\.message) == ["must be later in the day than 'at' (08:00)"])
    }

    @Test func branchTicketDefaultsAndMistakesByKeyPath() {
        let b = AutomationSettings.defaults.branchTicket
        #expect(b.enabled && b.channels == [.fax, .email, .sms] && b.kinds == [.delivery, .banquet])
        #expect(b.leadMinutes == 90 && b.slotMinutes == 30 && b.ackMinutes == 15)
        #expect(b.template == "branch-ticket" && b.callTemplate == "branch-ticket-call")
        var a = AutomationSettings.defaults
        a.branchTicket.channels = [.fax, .voice]
        a.branchTicket.kinds = []
        a.branchTicket.slotMinutes = 7
        a.branchTicket.ackMinutes = 90
        a.branchTicket.callTemplate = "../call"
        let issues = a.issues(path: ["automations"])
        #expect(issues.map(\.keyPath) == [
            "automations.branch_ticket.channels[1]",
            "automations.branch_ticket.kinds",
            "automations.branch_ticket.slot_minutes",
            "automations.branch_ticket.ack_minutes",
            "automations.branch_ticket.call_template",
        ])
        #expect(issues.first?.message == "'voice' is not a branch ticket channel (fax, email or sms)")
        #expect(issues[3].message == "must be less than lead_minutes (90): the call has to come before the slot starts")
        for minutes in [15, 30, 60, 90, 1440] {
            a = AutomationSettings.defaults
            a.branchTicket.slotMinutes = minutes
            #expect(a.issues(path: ["automations"]).isEmpty, "\(minutes)")
        }
    }

    @Test func aDisabledAutomationMayListNoChannel() {
        var a = AutomationSettings.defaults
        a.winBack.channels = []
        #expect(a.issues(path: ["automations"]).isEmpty)
    }
}
