import Foundation

/// Tables the bulk loader writes, with their columns in insert order.
public enum BulkTable: Int, CaseIterable, Sendable {
    case branches, staff, menuItems, members, consents, consentLedger, orders, orderItems, deliveryFeedback, complaints, pointsLedger
    /// Rows of `members` marked as prospects (a valid phone, no orders).
    case prospects

    var sql: String {
        switch self {
        case .branches:
            "INSERT INTO branches (id, code, name, district, address, phone, fax, seats, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
        case .staff: "INSERT INTO staff (id, staff_no, name, role, branch_id, phone, email) VALUES (?,?,?,?,?,?,?)"
        case .menuItems: "INSERT INTO menu_items (id, code, name, price_fen, category) VALUES (?,?,?,?,?)"
        case .members:
            """
            INSERT INTO members (id, member_no, name, phone, phone_status, phone_reason, email, email_status, email_reason,
              fax, fax_status, fax_reason, level, points, tags, timezone, locale, branch_id, manager_id, joined_at,
              created_at, updated_at, last_order_at, birthday) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """
        case .consents:
            "INSERT INTO consents (member_id, channel, category, granted, source, changed_at) VALUES (?,?,?,?,?,?)"
        case .consentLedger:
            """
            INSERT INTO consent_ledger (member_id, channel, category, granted, source, evidence, actor, at, recorded_at)
              VALUES (?,?,?,?,?,'demo seed','demo',?,?6)
            """
        case .orders:
            """
            INSERT INTO orders (id, order_no, member_id, branch_id, source, kind, status, ordered_at, scheduled_at, party_size,
              amount_fen, address, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?8,?8)
            """
        case .orderItems:
            "INSERT INTO order_items (order_id, line, menu_item_id, quantity, price_fen) VALUES (?,?,?,?,?)"
        case .deliveryFeedback: "INSERT INTO delivery_feedback (order_id, outcome, note, recorded_at) VALUES (?,?,?,?)"
        case .complaints:
            """
            INSERT INTO complaints (complaint_no, member_id, order_id, channel, department, status, description, resolution,
              opened_at, resolved_at, satisfaction, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?9)
            """
        case .pointsLedger:
            "INSERT INTO points_ledger (member_id, delta, reason, order_id, expires_at, created_at) VALUES (?,?,?,?,?,?)"
        case .prospects:
            """
            INSERT INTO members (id, member_no, name, phone, phone_status, email_status, fax_status, level, points,
              tags, timezone, locale, branch_id, created_at, updated_at, prospect, prospect_source, enquired_at,
              enquiry_note)
              VALUES (?,?,?,?,'valid','missing','missing','regular',0,'','Asia/Shanghai','zh-CN',?,?,?6,1,?,?,?)
            """
        }
    }
}
