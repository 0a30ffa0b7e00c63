import Foundation

/// Imported records of one kind, in file order.
public enum ImportBatch: Sendable {
    case branches([Branch])
    case menuItems([MenuItem])
    case members([Member])
    case orders([Order])
    case complaints([Complaint])
    case feedback([DeliveryFeedback])
    /// Appended to the consent ledger; a row seen before (same file and statement) is not appended again.
    case consents([ConsentChange])
    case blacklist([BlacklistEntry])
    /// Upserted as prospect members; a phone that belongs to a member is skipped.
    case prospects([Prospect])
    /// Members' owning managers; all rows of one import run are one assignment batch.
    case assignments([Assignment])

    public var count: Int {
        switch self {
        case .branches(let rows): rows.count
        case .menuItems(let rows): rows.count
        case .members(let rows): rows.count
        case .orders(let rows): rows.count
        case .complaints(let rows): rows.count
        case .feedback(let rows): rows.count
        case .consents(let rows): rows.count
        case .blacklist(let rows): rows.count
        case .prospects(let rows): rows.count
        case .assignments(let rows): rows.count
        }
    }
}
