import CoreModel
import Foundation
import Testing

struct AutomationConfigTests {
    @Test func defaultsAreValid() {
        #expect(TidingsConfig.defaults.validate().isEmpty)
        let a = TidingsConfig.defaults.automations
        #expect(a.intervalSeconds == 30)
        #expect(a.orderConfirmation.template == "order-confirmation" && a.orderConfirmation.delaySeconds == 0)
        #expect(a.reservationReminder.hoursBefore == 3)
        #expect(a.lateDeliveryApology.points == 50 && a.lateDeliveryApology.outcomes == [.late30m, .late1h, .notDelivered])
        #expect(a.revisitSurvey.hoursAfter == 24)
        #expect(a.pointsExpiry.dayOfMonth == 1 && a.pointsExpiry.daysAhead == 30)
        #expect(!a.winBack.enabled && a.winBack.dormantDays == 90 && a.winBack.periodDays == 90)
    }

    @Test func badValuesAreErrorsByKeyPath() {
        var config = TidingsConfig.defaults
        config.automations.intervalSeconds = 0
        config.automations.orderConfirmation.delaySeconds = -5
        config.automations.reservationReminder.channels = []
        config.automations.lateDeliveryApology.outcomes = [.late1h, .onTime]
        config.automations.lateDeliveryApology.points = -1
        config.automations.revisitSurvey.hoursAfter = -24
        config.automations.pointsExpiry.dayOfMonth = 31
        config.automations.winBack.template = "../promotion"
        config.automations.winBack.channels = [.sms, .email, .sms]
        let issues = config.validate()
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
        #expect(issues.first { $0.keyPath == "automations.win_back.template" }?.message == "'../promotion' is not a template name (letters, digits, '-' and '_')")
    }

    @Test func aDisabledAutomationMayListNoChannel() {
        var config = TidingsConfig.defaults
        config.automations.winBack.channels = []
        #expect(config.validate().isEmpty)
    }
}
