import Foundation
import GRDB

extension SQLiteStore: Consents {
    public func recordConsent(_ change: ConsentChange, now: Date) async throws -> ConsentChangeResult {
        try await pool.write { db in try Self.append(change, now: now.unixMillis, db) }
    }

    public func consentState(_ subject: ConsentChange.Subject) async throws -> [ConsentState] {
        try await pool.read { db in
            let (table, column, key) = try Self.stateKey(subject, db)
            guard let key else { return [] }
            return try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT channel, category, granted, source, changed_at FROM \(table) WHERE \(column) = ? ORDER BY channel, category"),
                arguments: [key]
            ).map {
                ConsentState(
                    channel: try Self.decoded($0["channel"], column: "channel"), category: try Self.decoded($0["category"], column: "category"),
                    granted: $0["granted"], source: $0["source"], since: Date(unixMillis: $0["changed_at"]))
            }
        }
    }

    public func consentHistory(_ subject: ConsentChange.Subject, limit: Int) async throws -> [ConsentEntry] {
        try await pool.read { db in
            let (_, column, key) = try Self.stateKey(subject, db)
            guard let key else { return [] }
            return try Self.ledgerEntries(where: "l.\(column) = ?", arguments: [key, limit], db)
        }
    }

    public func addToBlacklist(_ entry: BlacklistEntry) async throws -> Bool {
        try await pool.write { db in try Self.addToBlacklist(entry, db) }
    }

    public func removeFromBlacklist(address: String, reason: String, by: String, at: Date) async throws -> Bool {
        try await pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM blacklist WHERE address = ?").execute(arguments: [address])
            guard db.changesCount > 0 else { return false }
            try Self.appendBlacklistEntry(address: address, action: "remove", reason: reason, by: by, at: at.unixMillis, db)
            return true
        }
    }

    public func blacklist(limit: Int, offset: Int) async throws -> [BlacklistEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT address, reason, added_by, added_at FROM blacklist ORDER BY added_at, id LIMIT ? OFFSET ?"),
                arguments: [limit, offset]
            ).map {
                BlacklistEntry(
                    address: $0["address"], reason: $0["reason"], addedBy: $0["added_by"],
                    addedAt: Date(unixMillis: $0["added_at"]))
            }
        }
    }

    // MARK: - Inside a caller's transaction

    /// Appends one change for a member (by number) or an address.
    static func append(_ change: ConsentChange, now: Int64, _ db: Database) throws -> ConsentChangeResult {
        switch change.subject {
        case .member(let number):
            guard let id = try memberId(number, db) else { return .unknownMember }
            return try append(change, memberId: id, address: nil, now: now, db)
        case .address(let address):
            return try append(change, memberId: nil, address: address, now: now, db)
        }
    }

    /// Appends to the ledger for `memberId` or `address` (the caller has
    /// resolved the change's subject to one of them; `change.subject` is not
    /// read), then brings the derived state up to date: the
    /// latest entry by `at` decides (of equal times, the last recorded), so
    /// evidence of an older grant recorded after a newer opt-out does not undo
    /// the opt-out. The state row holds the latest entry's value, source and time.
    static func append(
        _ change: ConsentChange, memberId: Int64?, address: String?, now: Int64, _ db: Database
    ) throws -> ConsentChangeResult {
        let at = change.at.unixMillis
        try db.cachedStatement(
            sql: """
                INSERT INTO consent_ledger (member_id, address, channel, category, granted, source, evidence, actor, at,
                  recorded_at, dedupe_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING
                """
        ).execute(arguments: [
            memberId, address, change.channel.rawValue, change.category.rawValue, change.granted, change.source,
            change.evidence, change.actor, at, now, change.dedupeKey,
        ])
        guard db.changesCount > 0 else { return .duplicate }
        let (table, column): (String, String) = memberId != nil ? ("consents", "member_id") : ("address_consents", "address")
        let key: any DatabaseValueConvertible = memberId.map { $0 as any DatabaseValueConvertible } ?? address!
        let arguments: StatementArguments = [key, change.channel.rawValue, change.category.rawValue]
        let outranked = try Bool.fetchOne(
            db.cachedStatement(
                sql: "SELECT EXISTS (SELECT 1 FROM consent_ledger WHERE \(column) = ? AND channel = ? AND category = ? AND at > ?)"),
            arguments: arguments + [at]) ?? false
        guard !outranked else { return .unchanged }
        let before = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT granted FROM \(table) WHERE \(column) = ? AND channel = ? AND category = ?"),
            arguments: arguments)
        try db.cachedStatement(
            sql: """
                INSERT INTO \(table) (\(column), channel, category, granted, source, changed_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (\(column), channel, category)
                DO UPDATE SET granted = excluded.granted, source = excluded.source, changed_at = excluded.changed_at
                """
        ).execute(arguments: arguments + [change.granted, change.source, at])
        return before == change.granted ? .unchanged : .changed
    }

    static func addToBlacklist(_ entry: BlacklistEntry, _ db: Database) throws -> Bool {
        try db.cachedStatement(
            sql: "INSERT INTO blacklist (address, reason, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (address) DO NOTHING"
        ).execute(arguments: [entry.address, entry.reason, entry.addedBy, entry.addedAt.unixMillis])
        guard db.changesCount > 0 else { return false }
        try appendBlacklistEntry(
            address: entry.address, action: "add", reason: entry.reason, by: entry.addedBy, at: entry.addedAt.unixMillis, db)
        return true
    }

    private static func appendBlacklistEntry(
        address: String, action: String, reason: String, by: String, at: Int64, _ db: Database
    ) throws {
        try db.cachedStatement(
            sql: "INSERT INTO blacklist_ledger (address, action, reason, actor, at) VALUES (?, ?, ?, ?, ?)"
        ).execute(arguments: [address, action, reason, by, at])
    }

    /// Ledger entries matching `condition` (its arguments, then the limit), newest first.
    static func ledgerEntries(where condition: String, arguments: StatementArguments, _ db: Database) throws -> [ConsentEntry] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT l.id, m.member_no, l.address, l.channel, l.category, l.granted, l.source, l.evidence, l.actor, l.at,
                      l.recorded_at
                    FROM consent_ledger l LEFT JOIN members m ON m.id = l.member_id
                    WHERE \(condition) ORDER BY l.at DESC, l.id DESC LIMIT ?
                    """),
            arguments: arguments
        ).map {
            ConsentEntry(
                id: $0["id"], memberNo: $0["member_no"], address: $0["address"],
                channel: try decoded($0["channel"], column: "channel"), category: try decoded($0["category"], column: "category"),
                granted: $0["granted"], source: $0["source"], evidence: $0["evidence"], actor: $0["actor"],
                at: Date(unixMillis: $0["at"]), recordedAt: Date(unixMillis: $0["recorded_at"]))
        }
    }

    /// The derived table, its key column and the key for a subject (nil: no such member).
    private static func stateKey(
        _ subject: ConsentChange.Subject, _ db: Database
    ) throws -> (table: String, column: String, key: (any DatabaseValueConvertible)?) {
        switch subject {
        case .member(let number):
            return ("consents", "member_id", try memberId(number, db))
        case .address(let address):
            return ("address_consents", "address", address)
        }
    }

    private static func memberId(_ number: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM members WHERE member_no = ?"), arguments: [number])
    }
}
