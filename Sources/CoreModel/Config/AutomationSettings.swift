import Foundation

extension TidingsConfig {
    /// The `automations:` section: rules the scheduler runs over the store with
    /// no one pressing a button. Each is switched on or off on its own.
    public struct AutomationSettings: Sendable, Codable, Hashable {
        /// Seconds between two scans of the store.
        public var intervalSeconds: Int
        public var orderConfirmation: OrderConfirmation
        public var reservationReminder: ReservationReminder
        public var reservationCall: ReservationCall
        public var lateDeliveryApology: LateDeliveryApology
        public var revisitSurvey: RevisitSurvey
        public var pointsExpiry: PointsExpiry
        public var winBack: WinBack

        enum CodingKeys: String, CodingKey, CaseIterable {
            case intervalSeconds = "interval_seconds", orderConfirmation = "order_confirmation"
            case reservationReminder = "reservation_reminder", reservationCall = "reservation_call", lateDeliveryApology = "late_delivery_apology"
            case revisitSurvey = "revisit_survey", pointsExpiry = "points_expiry", winBack = "win_back"
        }

        public init(
            intervalSeconds: Int, orderConfirmation: OrderConfirmation, reservationReminder: ReservationReminder,
            lateDeliveryApology: LateDeliveryApology, revisitSurvey: RevisitSurvey, pointsExpiry: PointsExpiry, winBack: WinBack,
            reservationCall: ReservationCall = TidingsConfig.defaultReservationCall
        ) {
            self.reservationCall = reservationCall
            self.intervalSeconds = intervalSeconds
            self.orderConfirmation = orderConfirmation
            self.reservationReminder = reservationReminder
            self.lateDeliveryApology = lateDeliveryApology
            self.revisitSurvey = revisitSurvey
            self.pointsExpiry = pointsExpiry
            self.winBack = winBack
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaults.automations
            intervalSeconds = try c.decodeIfPresent(Int.self, forKey: .intervalSeconds) ?? d.intervalSeconds
            orderConfirmation = try c.decodeIfPresent(OrderConfirmation.self, forKey: .orderConfirmation) ?? d.orderConfirmation
            reservationReminder = try c.decodeIfPresent(ReservationReminder.self, forKey: .reservationReminder) ?? d.reservationReminder
            reservationCall = try c.decodeIfPresent(ReservationCall.self, forKey: .reservationCall) ?? d.reservationCall
            lateDeliveryApology = try c.decodeIfPresent(LateDeliveryApology.self, forKey: .lateDeliveryApology) ?? d.lateDeliveryApology
            revisitSurvey = try c.decodeIfPresent(RevisitSurvey.self, forKey: .revisitSurvey) ?? d.revisitSurvey
            pointsExpiry = try c.decodeIfPresent(PointsExpiry.self, forKey: .pointsExpiry) ?? d.pointsExpiry
            winBack = try c.decodeIfPresent(WinBack.self, forKey: .winBack) ?? d.winBack
        }

        /// The switch, channels and template every automation has, by config key.
        public var rules: [(key: String, rule: AutomationRule)] {
            [
                ("order_confirmation", orderConfirmation.rule), ("reservation_reminder", reservationReminder.rule),
                ("reservation_call", reservationCall.rule),
                ("late_delivery_apology", lateDeliveryApology.rule), ("revisit_survey", revisitSurvey.rule),
                ("points_expiry", pointsExpiry.rule), ("win_back", winBack.rule),
            ]
        }
    }

    /// What every automation has: on/off, the channels it sends on (one message
    /// each), and the template under templates/.
    public struct AutomationRule: Sendable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String

        public init(enabled: Bool, channels: [Channel], template: String) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
        }
    }
}
