import Foundation
import GRDB

extension SQLiteStore: Segments {
    public func countMembers(in segment: Segment, now: Date) async throws -> Int {
        try await pool.read { db in
            let condition = SQLiteSegment(segment, now: now)
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM members m WHERE \(condition.sql)",
                arguments: StatementArguments(condition.arguments)) ?? 0
        }
    }

    public func sampleMembers(in segment: Segment, limit: Int, now: Date) async throws -> [SegmentMember] {
        try await pool.read { db in
            let condition = SQLiteSegment(segment, now: now)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT m.member_no, m.name, m.level, m.phone, b.name AS branch, m.points, m.last_order_at
                    FROM members m LEFT JOIN branches b ON b.id = m.branch_id
                    WHERE \(condition.sql) ORDER BY m.id LIMIT ?
                    """,
                arguments: StatementArguments(condition.arguments + [limit])
            ).map {
                SegmentMember(
                    memberNo: $0["member_no"], name: $0["name"], level: $0["level"], phone: $0["phone"], branch: $0["branch"],
                    points: $0["points"], lastOrderAt: Self.date($0["last_order_at"]))
            }
        }
    }
}

extension SQLiteStore {
    /// The count query for `segment` with its values written in as SQL
    /// literals: only for running the same query in the sqlite3 shell
    /// (`tidings bench segments`); the store itself always binds them.
    public static func countSQLForShell(_ segment: Segment, now: Date) -> String {
        let condition = SQLiteSegment(segment, now: now)
        var literals = condition.arguments.map { argument -> String in
            switch (argument?.databaseValue ?? .null).storage {
            case .null: "NULL"
            case .int64(let number): "\(number)"
            case .double(let number): "\(number)"
            case .string(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
            case .blob(let data): "X'" + data.map { String(format: "%02X", $0) }.joined() + "'"
            }
        }.makeIterator()
        // The compiled text holds no `?` but the placeholders (its own literals are fixed words).
        let sql = condition.sql.split(separator: "?", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : (literals.next() ?? "NULL") + $0.element }.joined()
        return "SELECT COUNT(*) FROM members m WHERE \(sql)"
    }
}

/// A segment as an SQLite condition on `members m`: the text holds field
/// expressions from the whitelist below and `?` for every value; the values
/// go in `arguments`, in order.
struct SQLiteSegment {
    private(set) var sql = ""
    private(set) var arguments: [(any DatabaseValueConvertible)?] = []
    let now: Int64

    init(_ segment: Segment, now: Date) {
        self.now = now.unixMillis
        sql = condition(segment)
    }

    private mutating func condition(_ segment: Segment) -> String {
        switch segment {
        case .all: return "1"
        case .and(let left, let right): return "(\(condition(left)) AND \(condition(right)))"
        case .or(let left, let right): return "(\(condition(left)) OR \(condition(right)))"
        // Unknown (a member who never ordered has no days since the last order) counts as false, so NOT takes it.
        case .not(let inner): return "(NOT COALESCE(\(condition(inner)), 0))"
        // A member's RFM segment by the segment index, not a lookup per member.
        case .compare(.rfmSegment, .equal, let value):
            return "(m.id IN (SELECT x.member_id FROM member_rfm x WHERE x.segment = \(bind(value))))"
        case .within(.rfmSegment, let values):
            return "(m.id IN (SELECT x.member_id FROM member_rfm x WHERE x.segment IN (\(values.map { bind($0) }.joined(separator: ", ")))))"
        case .compare(let field, let comparison, let value):
            let expression = self.expression(field)
            return "(\(expression) \(comparison.rawValue) \(bind(value)))"
        case .within(let field, let values):
            let expression = self.expression(field)
            return "(\(expression) IN (\(values.map { bind($0) }.joined(separator: ", "))))"
        case .between(let field, let low, let high):
            let expression = self.expression(field)
            return "(\(expression) BETWEEN \(bind(low)) AND \(bind(high)))"
        // The plain instr first: it rules out most members without building a string for each.
        case .contains(_, let tag):
            arguments.append(tag)
            arguments.append(tag)
            return "(instr(m.tags, ?) > 0 AND instr(',' || m.tags || ',', ',' || ? || ',') > 0)"
        case .isNull(let field, let null):
            return "(\(expression(field)) IS \(null ? "" : "NOT ")NULL)"
        case .isTrue(let field):
            return "(\(expression(field)))"
        }
    }

    private mutating func bind(_ value: SegmentValue) -> String {
        switch value {
        case .integer(let number): arguments.append(number)
        case .money(let fen): arguments.append(fen)
        case .text(let text): arguments.append(text)
        case .date(let date): arguments.append(date.unixMillis)
        case .bool(let flag): arguments.append(flag)
        }
        return "?"
    }

    /// The whitelist: each field's SQL, written here and nowhere else.
    private mutating func expression(_ field: SegmentField) -> String {
        /// `AND <column> >= ?` for a window of `days` back from now; nothing for ever.
        func since(_ days: Int?, _ column: String) -> String {
            guard let days else { return "" }
            arguments.append(now - Int64(days) * 86_400_000)
            return " AND \(column) >= ?"
        }
        switch field {
        case .level: return "m.level"
        case .points: return "m.points"
        case .tags: return "m.tags"
        case .branch: return "(SELECT b.code FROM branches b WHERE b.id = m.branch_id)"
        case .district: return "(SELECT b.district FROM branches b WHERE b.id = m.branch_id)"
        case .locale: return "m.locale"
        case .timezone: return "m.timezone"
        case .joined: return "m.joined_at"
        case .lastOrder: return "m.last_order_at"
        case .daysSinceLastOrder:
            arguments.append(now)
            return "((? - m.last_order_at) / 86400000)"
        case .orders(let days):
            return "(SELECT COUNT(*) FROM orders o WHERE o.member_id = m.id\(since(days, "o.ordered_at")))"
        case .spend(let days):
            return "(SELECT COALESCE(SUM(o.amount_fen), 0) FROM orders o WHERE o.member_id = m.id\(since(days, "o.ordered_at")))"
        case .complaints(let days):
            return "(SELECT COUNT(*) FROM complaints k WHERE k.member_id = m.id\(since(days, "k.opened_at")))"
        case .openComplaints:
            return "(SELECT COUNT(*) FROM complaints k WHERE k.member_id = m.id AND (k.status = 'open' OR k.status = 'in_progress'))"
        case .lastSurveyScore:
            return """
                (SELECT s.score FROM survey_responses s WHERE s.member_id = m.id AND s.score IS NOT NULL
                 ORDER BY s.received_at DESC, s.id DESC LIMIT 1)
                """
        case .consent(let channel, let category):
            arguments.append(channel.rawValue)
            arguments.append(category.rawValue)
            return "EXISTS (SELECT 1 FROM consents c WHERE c.member_id = m.id AND c.channel = ? AND c.category = ? AND c.granted = 1)"
        case .rfmSegment: return "(SELECT x.segment FROM member_rfm x WHERE x.member_id = m.id)"
        case .rfmR: return "(SELECT x.r FROM member_rfm x WHERE x.member_id = m.id)"
        case .rfmF: return "(SELECT x.f FROM member_rfm x WHERE x.member_id = m.id)"
        case .rfmM: return "(SELECT x.m FROM member_rfm x WHERE x.member_id = m.id)"
        case .hasPhone: return "(m.phone_status = 'valid')"
        case .hasEmail: return "(m.email_status = 'valid')"
        }
    }
}
