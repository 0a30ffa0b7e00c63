import Foundation
import GRDB

extension SQLiteStore: CampaignRecords {
    /// Added to a paused campaign's due times: far beyond any real date, so
    /// leasing (`next_attempt_at <= now`) never reaches them, and reversible.
    static let parkOffset: Int64 = 1_000_000_000_000_000
    /// The writer's page cache during a fan-out (negative: KiB), 128 MiB.
    static let fanOutCachePages = -131_072
    /// Rows per short write transaction when pausing, resuming or cancelling.
    static let campaignChunk: Int64 = 20_000

    public func saveCampaign(
        name: String, category: ConsentCategory, definition: String, file: String?, actor: String, now: Date
    ) async throws -> CampaignRecord {
        try await pool.write { db in
            let at = now.unixMillis
            if let existing = try Self.campaignRecord(db, sql: "SELECT * FROM campaigns WHERE name = ?", [name]) {
                guard existing.status == .draft else {
                    throw StoreError.refused("campaign \(name) is \(existing.status.rawValue): its definition can no longer change")
                }
                guard existing.definition != definition else { return existing }
                try db.execute(
                    sql: "UPDATE campaigns SET category = ?, definition = ?, file = ?, updated_at = ? WHERE id = ?",
                    arguments: [category.rawValue, definition, file, at, existing.id])
                try Self.insertCampaignEvent(db, id: existing.id, CampaignEvent(at: now, event: "updated", detail: file, actor: actor))
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO campaigns (name, category, status, definition, file, created_at, updated_at)
                        VALUES (?, ?, 'draft', ?, ?, ?, ?)
                        """,
                    arguments: [name, category.rawValue, definition, file, at, at])
                try Self.insertCampaignEvent(
                    db, id: db.lastInsertedRowID, CampaignEvent(at: now, event: "created", detail: file, actor: actor))
            }
            guard let saved = try Self.campaignRecord(db, sql: "SELECT * FROM campaigns WHERE name = ?", [name]) else {
                throw StoreError.refused("campaign \(name) vanished while being saved")
            }
            return saved
        }
    }

    public func campaign(named name: String) async throws -> CampaignRecord? {
        try await pool.read { db in try Self.campaignRecord(db, sql: "SELECT * FROM campaigns WHERE name = ?", [name]) }
    }

    public func campaign(id: Int64) async throws -> CampaignRecord? {
        try await pool.read { db in try Self.campaignRecord(db, sql: "SELECT * FROM campaigns WHERE id = ?", [id]) }
    }

    public func campaigns() async throws -> [CampaignRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM campaigns ORDER BY id").compactMap(Self.campaignRecord)
        }
    }

    public func changeCampaign(
        id: Int64, _ command: CampaignAction, startsLater: Bool, actor: String, detail: String?, now: Date
    ) async throws -> CampaignLifecycle.Outcome {
        let (outcome, previous) = try await pool.write { db -> (CampaignLifecycle.Outcome, CampaignRecord) in
            guard let campaign = try Self.campaignRecord(db, sql: "SELECT * FROM campaigns WHERE id = ?", [id]) else {
                throw StoreError.refused("no campaign with id \(id)")
            }
            let outcome = CampaignLifecycle.apply(command, to: campaign.status, startsLater: startsLater)
            if case .moved(let status) = outcome {
                let at = now.unixMillis
                try db.execute(
                    sql: """
                        UPDATE campaigns SET status = ?, updated_at = ?,
                          launched_at = CASE WHEN ? = 'launch' THEN COALESCE(launched_at, ?) ELSE launched_at END,
                          paused_at = CASE WHEN ? = 'paused' THEN ? ELSE paused_at END
                        WHERE id = ?
                        """,
                    arguments: [status.rawValue, at, command.rawValue, at, status.rawValue, at, id])
                try Self.insertCampaignEvent(db, id: id, CampaignEvent(at: now, event: command.rawValue, detail: detail, actor: actor))
            }
            return (outcome, campaign)
        }
        guard case .moved(let status) = outcome else { return outcome }
        // The status is the truth at once (the dispatcher holds the campaign from its next look); the
        // messages follow in short transactions.
        switch (previous.status, status) {
        case (_, .paused): try await parkMessages(campaignId: id)
        case (.paused, .running), (.paused, .scheduled):
            let pausedAt = try await pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT paused_at FROM campaigns WHERE id = ?", arguments: [id])
            }
            try await unparkMessages(campaignId: id, shiftBy: now.unixMillis - (pausedAt ?? now.unixMillis))
        case (_, .cancelled): try await cancelMessages(campaignId: id, now: now)
        default: break
        }
        return outcome
    }

    /// Statuses a campaign's message may be taken from in bulk: those the
    /// state machine lets go to the target, minus `sending` (a dispatcher holds
    /// it; the campaign gate stops it before it is handed to a gateway).
    static func bulkSources(for event: MessageEvent) -> [String] {
        MessageStatus.allCases.filter { status in
            guard status != .sending, case .success(.transition) = MessageStateMachine.apply(event, to: status) else { return false }
            return true
        }.map(\.rawValue)
    }

    private func campaignIdRange(_ id: Int64) async throws -> (Int64, Int64)? {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT MIN(id), MAX(id) FROM messages WHERE campaign_id = ?", arguments: [id])
            guard let low = row?[0] as Int64?, let high = row?[1] as Int64? else { return nil }
            return (low, high)
        }
    }

    /// `before`, when given, runs first in each chunk's transaction (with the chunk's bounds).
    private func inChunks(
        campaignId: Int64, _ statement: String, before: (@Sendable (Database, Int64, Int64) throws -> Void)? = nil,
        _ arguments: @escaping @Sendable (Int64, Int64) -> StatementArguments
    ) async throws {
        guard let (low, high) = try await campaignIdRange(campaignId) else { return }
        var start = low
        while start <= high {
            let end = min(high, start + Self.campaignChunk - 1)
            let chunkArguments = arguments(start, end)
            try await pool.write { [start] db in
                try before?(db, start, end)
                try db.execute(sql: statement, arguments: chunkArguments)
            }
            start = end + 1
        }
    }

    private func parkMessages(campaignId: Int64) async throws {
        let sources = Self.bulkSources(for: .deferred(reason: "", until: Date())) + [MessageStatus.unknown.rawValue]
        try await inChunks(
            campaignId: campaignId,
            """
            UPDATE messages SET next_attempt_at = next_attempt_at + ?
            WHERE id BETWEEN ? AND ? AND campaign_id = ? AND status IN (SELECT value FROM json_each(?)) AND next_attempt_at < ?
            """
        ) { [sources] start, end in [Self.parkOffset, start, end, campaignId, Self.jsonTextArray(sources), Self.parkOffset] }
    }

    private func unparkMessages(campaignId: Int64, shiftBy: Int64) async throws {
        try await inChunks(
            campaignId: campaignId,
            """
            UPDATE messages SET next_attempt_at = next_attempt_at - ? + ?
            WHERE id BETWEEN ? AND ? AND campaign_id = ? AND next_attempt_at >= ?
            """
        ) { start, end in [Self.parkOffset, shiftBy, start, end, campaignId, Self.parkOffset] }
    }

    /// No event row per message: the reports' counts are moved in the same transaction.
    private func cancelMessages(campaignId: Int64, now: Date) async throws {
        let sources = Self.jsonTextArray(Self.bulkSources(for: .cancelled(reason: "")))
        let at = now.unixMillis
        let rows = "SELECT id FROM messages WHERE id BETWEEN ? AND ? AND campaign_id = ? AND status IN (SELECT value FROM json_each(?))"
        try await inChunks(
            campaignId: campaignId,
            """
            UPDATE messages SET status = 'cancelled', status_reason = 'campaign cancelled', updated_at = ?, final_at = ?,
              lease_owner = NULL, lease_until = NULL
            WHERE id IN (\(rows))
            """,
            before: { db, start, end in
                try Self.recountBeforeBulkChange(db, rows: rows, arguments: [start, end, campaignId, sources], to: .cancelled)
            }
        ) { start, end in [at, at, start, end, campaignId, sources] }
    }

    public func campaignProgress(id: Int64) async throws -> CampaignProgress {
        try await pool.read { db in
            var counts: [String: [MessageStatus: Int]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT variant, status, COUNT(*) FROM messages WHERE campaign_id = ? GROUP BY variant, status", arguments: [id])
            {
                guard let status = MessageStatus(rawValue: row[1]) else { continue }
                counts[(row[0] as String?) ?? "-", default: [:]][status] = row[2]
            }
            return CampaignProgress(counts: counts, runs: try Self.campaignRuns(db, id: id))
        }
    }

    public func campaignRuns(id: Int64) async throws -> [CampaignRun] {
        try await pool.read { db in try Self.campaignRuns(db, id: id) }
    }

    static func campaignRuns(_ db: Database, id: Int64) throws -> [CampaignRun] {
        try Row.fetchAll(db, sql: "SELECT * FROM campaign_runs WHERE campaign_id = ? ORDER BY run", arguments: [id]).map {
            CampaignRun(
                run: $0["run"], startsAt: Date(unixMillis: $0["starts_at"]), result: Self.fanOutResult($0),
                fannedOutAt: Self.date($0["fanned_out_at"]))
        }
    }

    public func hasUnsentMessages(campaignId: Int64) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM messages WHERE campaign_id = ?
                      AND status IN ('queued', 'retrying', 'deferred', 'unknown', 'sending'))
                    """,
                arguments: [campaignId]) ?? false
        }
    }

    public func memberTimeZones() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT timezone FROM members") }
    }

    public func campaignEvents(id: Int64) async throws -> [CampaignEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM campaign_events WHERE campaign_id = ? ORDER BY id", arguments: [id]).map {
                CampaignEvent(at: Date(unixMillis: $0["at"]), event: $0["event"], detail: $0["detail"], actor: $0["actor"])
            }
        }
    }

    public func recordCampaignEvent(id: Int64, _ event: CampaignEvent) async throws {
        try await pool.write { db in try Self.insertCampaignEvent(db, id: id, event) }
    }

    public func heldCampaigns() async throws -> [Int64: CampaignStatus] {
        try await pool.read { db in
            var held: [Int64: CampaignStatus] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, status FROM campaigns WHERE status IN ('draft', 'scheduled', 'paused', 'cancelled')")
            {
                held[row[0]] = CampaignStatus(rawValue: row[1])
            }
            return held
        }
    }

    public func campaignRecipients(messageIds: [Int64]) async throws -> [Int64: CampaignRecipient] {
        try await pool.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT x.id AS message_id, m.*, b.code AS branch_code, b.name AS branch_name
                    FROM json_each(?) j JOIN messages x ON x.id = j.value JOIN members m ON m.id = x.member_id
                    LEFT JOIN branches b ON b.id = m.branch_id
                    """,
                arguments: [Self.jsonArray(messageIds)])
            var recipients: [Int64: CampaignRecipient] = [:]
            while let row = try rows.next() {
                recipients[row["message_id"]] = CampaignRecipient(member: Self.member(row), branchName: row["branch_name"])
            }
            return recipients
        }
    }

    public func bookedSeats(from: Date, to: Date) async throws -> [String: (booked: Int, seats: Int)] {
        try await pool.read { db in
            var seats: [String: (booked: Int, seats: Int)] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT b.code, b.seats, COALESCE((
                      SELECT SUM(COALESCE(o.party_size, 0)) FROM orders o
                      WHERE o.branch_id = b.id AND o.kind IN ('reservation', 'banquet') AND o.status NOT IN ('cancelled', 'moved')
                        AND o.scheduled_at >= ? AND o.scheduled_at < ?), 0)
                    FROM branches b
                    """,
                arguments: [from.unixMillis, to.unixMillis])
            {
                seats[row[0]] = (row[2], row[1])
            }
            return seats
        }
    }

    // MARK: fan-out

    public func fanOut(
        _ plan: FanOutPlan, chunkSize: Int, now: Date, progress: @Sendable (FanOutProgress) -> Void
    ) async throws -> FanOutResult {
        let at = now.unixMillis
        // The run's row keeps how far earlier launches got: a relaunch goes on from there.
        let (resumeAfter, earlier, done, maxId) = try await pool.write { db -> (Int64, FanOutResult, Bool, Int64) in
            try db.execute(
                sql: """
                    INSERT INTO campaign_runs (campaign_id, run, starts_at, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (campaign_id, run) DO NOTHING
                    """,
                arguments: [plan.campaignId, plan.run, plan.start.unixMillis, at])
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM campaign_runs WHERE campaign_id = ? AND run = ?", arguments: [plan.campaignId, plan.run])
            let maxId = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM members") ?? 0
            guard let row else { return (0, FanOutResult(), false, maxId) }
            return (row["last_member_id"], Self.fanOutResult(row), row["fanned_out_at"] != nil, maxId)
        }
        var result = earlier
        result.queued = 0
        if done {
            result.byVariant = try await variantCounts(plan.campaignId)
            return result
        }
        let statements = FanOutSQL(plan: plan, now: now)
        let total = Int(maxId)
        var after = resumeAfter
        // A fan-out touches every index of `messages` hundreds of thousands of times: a larger page
        // cache for the writer while it runs, then the previous one again.
        let cache = try await pool.writeWithoutTransaction { db in
            let previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = \(Self.fanOutCachePages)")
            return previous
        }
        func restoreCache() async throws {
            try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = \(cache)") }
        }
        do {
            while after < maxId {
                let (from, upTo) = (after, min(maxId, after + Int64(max(1, chunkSize))))
                let queuedBefore = result.audience - result.control - result.unreachable
                // Foreign keys off for the chunk: every member id it writes was read from `members` in
                // the same transaction and the campaign's run row was written with them on, so the
                // checks (a tenth of the inserts' time) could never fail. On again before the next write.
                let chunk = try await pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA foreign_keys = OFF")
                    defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                    var chunk = FanOutSQL.Chunk()
                    try db.inTransaction(.immediate) {
                        chunk = try statements.run(db, after: from, upTo: upTo, queuedBefore: queuedBefore, now: at)
                        return .commit
                    }
                    return chunk
                }
                result.audience += chunk.audience
                result.control += chunk.control
                result.unreachable += chunk.unreachable
                result.queued += chunk.queued
                after = upTo
                progress(FanOutProgress(scanned: Int(after), total: total, result: result))
            }
        } catch {
            try? await restoreCache()
            throw error
        }
        try await restoreCache()
        try await pool.write { [result] db in
            try db.execute(
                sql: "UPDATE campaign_runs SET fanned_out_at = ?, audience = ?, control = ?, unreachable = ? WHERE campaign_id = ? AND run = ?",
                arguments: [at, result.audience, result.control, result.unreachable, plan.campaignId, plan.run])
            try Self.insertCampaignEvent(
                db, id: plan.campaignId,
                CampaignEvent(
                    at: now, event: "fanned_out",
                    detail: "run \(plan.run): \(result.audience) in the audience, \(result.queued) queued, \(result.control) control, \(result.unreachable) unreachable",
                    actor: "tidings"))
        }
        result.byVariant = try await variantCounts(plan.campaignId)
        return result
    }

    /// A consistent copy of the whole database in a new file (benchmarks start two runs from the same state).
    public func copy(to path: String) async throws {
        try await pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
    }

    /// The fan-out's statements with their values written in, chunk by chunk as `fanOut` runs
    /// them, for the `sqlite3` shell: the benchmark's ceiling runs exactly this.
    public func fanOutScript(_ plan: FanOutPlan, chunkSize: Int, now: Date) async throws -> String {
        let maxId = try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM members") ?? 0 }
        let statements = FanOutSQL(plan: plan, now: now)
        var script = [
            "PRAGMA foreign_keys = ON;", "PRAGMA journal_mode = WAL;", "PRAGMA synchronous = NORMAL;",
            "PRAGMA cache_size = \(Self.fanOutCachePages);",
            FanOutSQL.inline(
                "INSERT INTO campaign_runs (campaign_id, run, starts_at, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING;",
                [plan.campaignId, plan.run, plan.start.unixMillis, now.unixMillis]),
        ]
        var after: Int64 = 0
        while after < maxId {
            let upTo = min(maxId, after + Int64(max(1, chunkSize)))
            script.append(statements.script(after: after, upTo: upTo, now: now.unixMillis))
            after = upTo
        }
        return script.joined(separator: "\n") + "\n"
    }

    private func variantCounts(_ campaignId: Int64) async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT variant, COUNT(*) FROM messages WHERE campaign_id = ? GROUP BY variant", arguments: [campaignId])
            {
                counts[(row[0] as String?) ?? "-"] = row[1]
            }
            return counts
        }
    }

    static func jsonTextArray(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func fanOutResult(_ row: Row) -> FanOutResult {
        var result = FanOutResult()
        result.audience = row["audience"] ?? 0
        result.control = row["control"] ?? 0
        result.unreachable = row["unreachable"] ?? 0
        return result
    }

    static func insertCampaignEvent(_ db: Database, id: Int64, _ event: CampaignEvent) throws {
        try db.execute(
            sql: "INSERT INTO campaign_events (campaign_id, at, event, detail, actor) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, event.at.unixMillis, event.event, event.detail, event.actor])
    }

    static func campaignRecord(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> CampaignRecord? {
        try Row.fetchOne(db, sql: sql, arguments: arguments).flatMap(campaignRecord)
    }

    static func campaignRecord(_ row: Row) -> CampaignRecord? {
        guard let status = CampaignStatus(rawValue: row["status"]), let category = ConsentCategory(rawValue: row["category"]) else {
            return nil
        }
        return CampaignRecord(
            id: row["id"], name: row["name"], category: category, status: status, definition: row["definition"], file: row["file"],
            createdAt: Date(unixMillis: row["created_at"]), updatedAt: Date(unixMillis: row["updated_at"]),
            launchedAt: date(row["launched_at"]))
    }
}

extension StoreError {
    static func refused(_ message: String) -> StoreError { StoreError(.refused, place: "campaigns", message: message) }
}
