import CoreModel

/// The automations, named as in tidings.yaml (`automations.<name>`); the name
/// is also the automation's cursor in the store.
public enum AutomationName: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case orderConfirmation = "order_confirmation"
    case reservationReminder = "reservation_reminder"
    case reservationCall = "reservation_call"
    case lateDeliveryApology = "late_delivery_apology"
    case revisitSurvey = "revisit_survey"
    case pointsExpiry = "points_expiry"
    case winBack = "win_back"
    case complaintWorkOrder = "complaint_work_order"
    case complaintResolution = "complaint_resolution"
    case managerBrief = "manager_brief"
    case branchTicket = "branch_ticket"

    /// The `purpose` of the messages this automation writes.
    public var purpose: MessagePurpose { .automation(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
