/// The record kinds `tidings import` understands, with their columns.
public enum ImportKind: String, Sendable, CaseIterable, Codable {
    case branches, menu, members, orders, complaints, feedback, consents, blacklist, prospects, assignments

    /// Columns a file must have.
    public var requiredColumns: [String] {
        switch self {
        case .branches: ["code", "name", "district", "address"]
        case .menu: ["code", "name", "price"]
        case .members: ["member_no", "name"]
        case .orders: ["order_no", "member_no", "branch_code", "source", "kind", "ordered_at"]
        case .complaints: ["complaint_no", "member_no", "department", "description", "opened_at"]
        case .feedback: ["order_no", "outcome", "recorded_at"]
        case .consents: ["channel", "category", "granted"]
        case .blacklist: ["address"]
        case .prospects: ["phone"]
        case .assignments: ["member_no", "staff_no"]
        }
    }

    /// Columns a file may have besides the required ones.
    public var optionalColumns: [String] {
        switch self {
        case .branches: ["phone", "fax", "email", "seats"]
        case .menu: ["category"]
        case .members: ["phone", "email", "fax", "level", "points", "tags", "timezone", "locale", "branch_code", "joined_on", "birthday"]
        case .orders: ["status", "scheduled_at", "party_size", "amount", "address", "items", "taken_by"]
        case .complaints: ["order_no", "channel", "status", "resolution", "resolved_at", "satisfaction", "resolution_kind"]
        case .feedback: ["note"]
        case .consents: ["member_no", "address", "source", "at", "evidence"]
        case .blacklist: ["reason", "added_by", "added_at"]
        case .prospects:
            [
                "name", "email", "source", "enquired_at", "note", "branch", "party_size", "event_date",
                "marketing_consent",
            ]
        case .assignments: []
        }
    }

    /// The natural key used to upsert.
    public var keyColumn: String {
        switch self {
        case .branches, .menu: "code"
        case .members: "member_no"
        case .orders, .feedback: "order_no"
        case .complaints: "complaint_no"
        case .consents: "member_no"
        case .blacklist: "address"
        // The member number is derived from the phone (`ProspectNumber`).
        case .prospects: "phone"
        case .assignments: "member_no"
        }
    }
}
