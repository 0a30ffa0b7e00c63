import CoreModel
import Foundation

/// The `automations:` section: rules the scheduler runs over the store with
/// no one pressing a button. Each is switched on or off on its own; every key
/// may be left out, and each automation's settings type holds its defaults.
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
    public var complaintWorkOrder: ComplaintWorkOrder
    public var complaintResolution: ComplaintResolution
    public var managerBrief: ManagerBrief
    public var branchTicket: BranchTicket

    enum CodingKeys: String, CodingKey, CaseIterable {
        case intervalSeconds = "interval_seconds", orderConfirmation = "order_confirmation"
        case reservationReminder = "reservation_reminder", reservationCall = "reservation_call"
        case lateDeliveryApology = "late_delivery_apology", revisitSurvey = "revisit_survey"
        case pointsExpiry = "points_expiry", winBack = "win_back"
        case complaintWorkOrder = "complaint_work_order", complaintResolution = "complaint_resolution"
        case managerBrief = "manager_brief"
        case branchTicket = "branch_ticket"
    }

    public static let defaults = AutomationSettings(
        intervalSeconds: 30, orderConfirmation: .defaults, reservationReminder: .defaults, reservationCall: .defaults,
        lateDeliveryApology: .defaults, revisitSurvey: .defaults, pointsExpiry: .defaults, winBack: .defaults,
        complaintWorkOrder: .defaults, complaintResolution: .defaults, managerBrief: .defaults, branchTicket: .defaults)

    public init(
        intervalSeconds: Int, orderConfirmation: OrderConfirmation, reservationReminder: ReservationReminder,
        reservationCall: ReservationCall, lateDeliveryApology: LateDeliveryApology, revisitSurvey: RevisitSurvey,
        pointsExpiry: PointsExpiry, winBack: WinBack, complaintWorkOrder: ComplaintWorkOrder = .defaults,
        complaintResolution: ComplaintResolution = .defaults, managerBrief: ManagerBrief = .defaults,
        branchTicket: BranchTicket = .defaults
    ) {
        self.intervalSeconds = intervalSeconds
        self.orderConfirmation = orderConfirmation
        self.reservationReminder = reservationReminder
        self.reservationCall = reservationCall
        self.lateDeliveryApology = lateDeliveryApology
        self.revisitSurvey = revisitSurvey
        self.pointsExpiry = pointsExpiry
        self.winBack = winBack
        self.complaintWorkOrder = complaintWorkOrder
        self.complaintResolution = complaintResolution
        self.managerBrief = managerBrief
        self.branchTicket = branchTicket
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intervalSeconds = try c.decodeIfPresent(Int.self, forKey: .intervalSeconds) ?? Self.defaults.intervalSeconds
        orderConfirmation = try c.decodeIfPresent(OrderConfirmation.self, forKey: .orderConfirmation) ?? .defaults
        reservationReminder = try c.decodeIfPresent(ReservationReminder.self, forKey: .reservationReminder) ?? .defaults
        reservationCall = try c.decodeIfPresent(ReservationCall.self, forKey: .reservationCall) ?? .defaults
        lateDeliveryApology = try c.decodeIfPresent(LateDeliveryApology.self, forKey: .lateDeliveryApology) ?? .defaults
        revisitSurvey = try c.decodeIfPresent(RevisitSurvey.self, forKey: .revisitSurvey) ?? .defaults
        pointsExpiry = try c.decodeIfPresent(PointsExpiry.self, forKey: .pointsExpiry) ?? .defaults
        winBack = try c.decodeIfPresent(WinBack.self, forKey: .winBack) ?? .defaults
        complaintWorkOrder = try c.decodeIfPresent(ComplaintWorkOrder.self, forKey: .complaintWorkOrder) ?? .defaults
        complaintResolution = try c.decodeIfPresent(ComplaintResolution.self, forKey: .complaintResolution) ?? .defaults
        managerBrief = try c.decodeIfPresent(ManagerBrief.self, forKey: .managerBrief) ?? .defaults
        branchTicket = try c.decodeIfPresent(BranchTicket.self, forKey: .branchTicket) ?? .defaults
    }

    /// The switch, channels and template every automation has, by config key.
    public var rules: [(key: String, rule: AutomationRule)] {
        [
            ("order_confirmation", orderConfirmation.rule), ("reservation_reminder", reservationReminder.rule),
            ("reservation_call", reservationCall.rule),
            ("late_delivery_apology", lateDeliveryApology.rule), ("revisit_survey", revisitSurvey.rule),
            ("points_expiry", pointsExpiry.rule), ("win_back", winBack.rule),
            ("complaint_work_order", complaintWorkOrder.rule), ("complaint_resolution", complaintResolution.rule),
            ("manager_brief", managerBrief.rule),
            ("branch_ticket", branchTicket.rule),
        ]
    }
}
