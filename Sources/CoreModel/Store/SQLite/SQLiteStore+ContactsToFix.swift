import Foundation
import GRDB

extension SQLiteStore {
    /// Members flagged (or changed) since `since` with a contact to fix, read
    /// through `members_contacts_to_fix`: the cost follows the contacts to
    /// fix, not the members.
    static let contactsToFixSQL = """
        SELECT member_no, name, phone, phone_status, phone_reason, email, email_status, email_reason,
          fax, fax_status, fax_reason, updated_at
        FROM members WHERE \(Schema.contactToFix) AND updated_at >= ? ORDER BY updated_at DESC, id DESC
        """

    public func contactsToFix(since: Date, limit: Int) async throws -> ContactsToFix {
        try await pool.read { db in
            struct Key: Hashable {
                var kind: ContactKind
                var status: ContactStatus
                var reason: String
            }
            var reasons: [Key: Int] = [:]
            var listed: [ContactToFix] = []
            var total = 0
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: Self.contactsToFixSQL), arguments: [since.unixMillis])
            while let row = try rows.next() {
                for kind in ContactKind.allCases {
                    let status: ContactStatus = try Self.decoded(
                        row["\(kind.rawValue)_status"], column: "members.\(kind.rawValue)_status")
                    guard status == .invalid || status == .bounced else { continue }
                    let reason: String? = row["\(kind.rawValue)_reason"]
                    total += 1
                    reasons[Key(kind: kind, status: status, reason: ReportStatus.reasonKey(reason)), default: 0] += 1
                    guard listed.count < limit else { continue }
                    listed.append(
                        ContactToFix(
                            memberNo: row["member_no"], name: row["name"], kind: kind, address: row[kind.rawValue],
                            status: status, reason: reason,
                            updatedAt: Date(unixMillis: row["updated_at"])))
                }
            }
            return ContactsToFix(
                reasons: reasons.map { .init(kind: $0.kind, status: $0.status, reason: $0.reason, contacts: $1) }.sorted
                { ($1.contacts, $0.kind.rawValue, $0.reason) < ($0.contacts, $1.kind.rawValue, $1.reason) },
                listed: listed, total: total)
        }
    }
}
