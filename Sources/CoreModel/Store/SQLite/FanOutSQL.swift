import Foundation
import GRDB

/// The statements of one fan-out chunk, built once per run from the plan.
/// Every value a user wrote (segment values, template and variant names,
/// locales) is a bound argument; only the plan's enums (channel, category)
/// and the segment's whitelisted columns are SQL text.
struct FanOutSQL: Sendable {
    struct Chunk {
        var audience = 0
        var queued = 0
        var control = 0
        var unreachable = 0
    }

    let plan: FanOutPlan
    let select: String
    let insert: String

    /// `now`: what the segment's date arithmetic counts from (days since the last order…).
    let now: Date

    /// The segment left to test on each member once the driving consent (below) is a join.
    let segment: Segment

    /// A random prefix for this run's message uids (`uidPrefix || member id`): unique across
    /// databases like the 32 random hex digits an enqueue draws, without drawing them per row.
    let uidPrefix: String

    init(plan: FanOutPlan, now: Date) {
        self.plan = plan
        self.now = now
        uidPrefix = String(UInt64.random(in: 1 << 60 ... UInt64.max), radix: 16)
        let granted = Self.grantedByEveryMember(of: plan.segment)
        // An audience that requires a consent of every member is read from that consent's rows
        // (its primary key starts with the member) joined to their members: the members without it
        // are never read, and the per-member EXISTS goes (a quarter of the chunk's time at 1M).
        let driving = granted.sorted { "\($0.channel.rawValue)\($0.category.rawValue)" < "\($1.channel.rawValue)\($1.category.rawValue)" }.first
        segment = driving.map { Self.removing($0, from: plan.segment) } ?? plan.segment
        let compiled = SQLiteSegment(segment, now: now)
        let hash = FanOutPlan.BucketHash.primes.reduce("m.id") { inner, p in "((\(inner)) * ? + ?) % \(p)" }
        let from = driving.map {
            """
            consents cs CROSS JOIN members m ON m.id = cs.member_id
            WHERE cs.member_id > ? AND cs.member_id <= ? AND cs.channel = '\($0.channel.rawValue)' AND cs.category = '\($0.category.rawValue)'
              AND cs.granted = 1 AND (\(compiled.sql))
            """
        } ?? "members m WHERE m.id > ? AND m.id <= ? AND (\(compiled.sql))"
        let channel = plan.channels.map { channel in
            let consented = granted.contains(Self.ConsentKey(channel: channel, category: plan.category))
            return "WHEN \(Self.reachable(channel, category: plan.category, consentChecked: consented)) THEN '\(channel.rawValue)'"
        }
        let locales = plan.locales.map { _ in "?" }.joined(separator: ", ")
        // Only the contacts the channels use (and the zone if starts are per zone) are copied through the chunk.
        let uses = { (channels: [Channel], column: String) in plan.channels.contains(where: channels.contains) ? "m.\(column)" : "NULL" }
        let contacts = [
            plan.startsByTimeZone.isEmpty ? "NULL" : "m.timezone", uses([.sms, .voice], "phone"), uses([.email], "email"),
            uses([.fax], "fax"),
        ].joined(separator: ", ")
        select = """
            INSERT INTO temp.fanout_chunk (member_id, bucket, channel, locale, zone, phone, email, fax)
            SELECT m.id, (\(hash)) % \(FanOutPlan.buckets), CASE \(channel.joined(separator: " ")) END,
              CASE WHEN m.locale IN (\(locales.isEmpty ? "NULL" : locales)) THEN m.locale ELSE ? END, \(contacts)
            FROM \(from)
            """
        let variant = plan.variants.map { _ in "WHEN c.bucket < ? THEN ?" }.joined(separator: " ")
        // The start (per zone, if the schedule is in members' own zones), spread by the throttle; the
        // window function and the join cost a fifth of the fan-out, so they are there only when needed.
        // Both shapes take the same arguments: the start, the count before this chunk, the spacing.
        let start = plan.startsByTimeZone.isEmpty ? "?" : "COALESCE(z.start_at, ?)"
        let due = plan.perMinute == nil
            ? "\(start) + 0 * ? * ?"
            : "\(start) + CAST((? + ROW_NUMBER() OVER (ORDER BY f.member_id) - 1) * ? AS INTEGER)"
        insert = """
            INSERT INTO messages (idempotency_key, purpose, channel, lane, category, priority, member_id, address, campaign_id,
              variant, template, locale, payload, not_before, expires_at, max_attempts, next_attempt_at, status, created_at,
              updated_at, uid)
            SELECT 'campaign:' || ? || ':' || ? || ':' || c.member_id, 'campaign', c.channel, ?, ?, ?, c.member_id,
              CASE c.channel WHEN 'email' THEN c.email WHEN 'fax' THEN c.fax ELSE c.phone END, ?,
              CASE \(variant) END, CASE \(variant) END, c.locale, '', c.due, CASE WHEN ? IS NULL THEN NULL ELSE c.due + ? END, ?,
              c.due, 'queued', ?, ?, ? || c.member_id
            FROM (
              SELECT f.member_id, f.bucket, f.channel, f.locale, f.phone, f.email, f.fax, \(due) AS due
              FROM temp.fanout_chunk f\(plan.startsByTimeZone.isEmpty ? "" : " LEFT JOIN temp.fanout_zones z ON z.zone = f.zone")
              WHERE f.bucket >= ? AND f.channel IS NOT NULL
            ) c
            WHERE true
            ON CONFLICT (idempotency_key) DO NOTHING
            """
    }

    /// Contact valid, and for marketing and surveys a consent on record; a
    /// service message only needs no revocation. (Address-level opt-outs and
    /// the blacklist are checked at send time, as for every message.)
    /// `consentChecked`: the audience itself requires this consent of every member (checking it twice
    /// was a tenth of a fan-out's time).
    static func reachable(_ channel: Channel, category: ConsentCategory, consentChecked: Bool = false) -> String {
        let column = switch channel {
        case .sms, .voice: "phone"
        case .email: "email"
        case .fax: "fax"
        }
        let consent = "SELECT 1 FROM consents c WHERE c.member_id = m.id AND c.channel = '\(channel.rawValue)' AND c.category = '\(category.rawValue)'"
        let allowed = category == .service ? "NOT EXISTS (\(consent) AND c.granted = 0)" : "EXISTS (\(consent) AND c.granted = 1)"
        return "(m.\(column)_status = 'valid' AND m.\(column) IS NOT NULL\(consentChecked ? "" : " AND \(allowed)"))"
    }

    /// The segment without the top-level `consent(channel, category)` terms of `key` (the join tests them).
    static func removing(_ key: ConsentKey, from segment: Segment) -> Segment {
        switch segment {
        case .and(let left, let right):
            switch (removing(key, from: left), removing(key, from: right)) {
            case (.all, let rest), (let rest, .all): rest
            case (let left, let right): .and(left, right)
            }
        case .isTrue(.consent(let channel, let category)) where ConsentKey(channel: channel, category: category) == key: .all
        default: segment
        }
    }

    struct ConsentKey: Hashable {
        var channel: Channel
        var category: ConsentCategory
    }

    /// The consents the segment requires of every member it matches: `consent(…)` terms joined by AND at its top.
    static func grantedByEveryMember(of segment: Segment) -> Set<ConsentKey> {
        switch segment {
        case .and(let left, let right): grantedByEveryMember(of: left).union(grantedByEveryMember(of: right))
        case .isTrue(.consent(let channel, let category)): [ConsentKey(channel: channel, category: category)]
        default: []
        }
    }

    static let prepareChunk = """
        CREATE TEMP TABLE IF NOT EXISTS fanout_chunk (
          member_id INTEGER PRIMARY KEY, bucket INTEGER NOT NULL, channel TEXT, locale TEXT, zone TEXT, phone TEXT, email TEXT,
          fax TEXT);
        CREATE TEMP TABLE IF NOT EXISTS fanout_zones (zone TEXT PRIMARY KEY, start_at INTEGER NOT NULL);
        DELETE FROM temp.fanout_chunk;
        DELETE FROM temp.fanout_zones;
        """
    static let insertZone = "INSERT INTO temp.fanout_zones (zone, start_at) VALUES (?, ?)"
    static let countChunk = "SELECT COALESCE(SUM(bucket < ?), 0), COALESCE(SUM(bucket >= ? AND channel IS NULL), 0) FROM temp.fanout_chunk"
    static let insertControl = """
        INSERT INTO campaign_control (campaign_id, run, member_id, created_at)
        SELECT ?, ?, member_id, ? FROM temp.fanout_chunk WHERE bucket < ?
        ON CONFLICT DO NOTHING
        """
    /// The chunk's messages in the dashboard's queue depth, in one statement right after their insert (`changes()` is
    /// its count); the insert trigger leaves campaign messages to this.
    static let countQueued = """
        INSERT INTO queue_depth (lane, status, messages) SELECT ?, 'queued', changes() WHERE changes() > 0
        ON CONFLICT (lane, status) DO UPDATE SET messages = messages + excluded.messages
        """
    static let advance = """
        UPDATE campaign_runs SET last_member_id = ?, audience = audience + ?, control = control + ?,
          unreachable = unreachable + ?
        WHERE campaign_id = ? AND run = ?
        """

    func selectArguments(after: Int64, upTo: Int64) -> [(any DatabaseValueConvertible)?] {
        var arguments: [(any DatabaseValueConvertible)?] = plan.bucketHash.rounds.flatMap { [$0.a, $0.b] }
        arguments += plan.locales as [(any DatabaseValueConvertible)?]
        arguments += [plan.fallbackLocale, after, upTo]
        arguments += SQLiteSegment(segment, now: now).arguments
        return arguments
    }

    func insertArguments(queuedBefore: Int, now: Int64) -> [(any DatabaseValueConvertible)?] {
        let variants: [(any DatabaseValueConvertible)?] = plan.variants.flatMap { [$0.bucketsBelow, $0.name] as [(any DatabaseValueConvertible)?] }
        let templates: [(any DatabaseValueConvertible)?] = plan.variants.flatMap { [$0.bucketsBelow, $0.template] as [(any DatabaseValueConvertible)?] }
        let expires = plan.expiresAfter.map { Int64($0 * 1000) }
        // Whole milliseconds when unthrottled: a REAL zero would make every `due` a REAL to convert back.
        let spacing: any DatabaseValueConvertible = plan.perMinute.map { 60_000.0 / Double(max(1, $0)) } ?? 0
        var arguments: [(any DatabaseValueConvertible)?] = [
            plan.campaignId, plan.run, plan.lane.rawValue, plan.category.rawValue, plan.priority, plan.campaignId,
        ]
        arguments += variants + templates
        arguments += [expires, expires, plan.maxAttempts, now, now, uidPrefix, plan.start.unixMillis, queuedBefore, spacing, plan.controlBelow]
        return arguments
    }

    /// The same statements with their values written in, for the `sqlite3` shell (the benchmark's ceiling).
    func script(after: Int64, upTo: Int64, now: Int64) -> String {
        var statements = ["PRAGMA foreign_keys = OFF", "BEGIN IMMEDIATE", Self.prepareChunk]
        statements += plan.startsByTimeZone.map { Self.inline(Self.insertZone, [$0.key, $0.value.unixMillis]) }
        statements.append(Self.inline(select, selectArguments(after: after, upTo: upTo)))
        statements.append(Self.inline(Self.countChunk, [plan.controlBelow, plan.controlBelow]))
        statements.append(Self.inline(Self.insertControl, [plan.campaignId, plan.run, now, plan.controlBelow]))
        statements.append(Self.inline(insert, insertArguments(queuedBefore: 0, now: now)))
        statements.append(Self.inline(Self.countQueued, [plan.lane.rawValue]))
        statements.append(Self.inline(Self.advance, [upTo, 0, 0, 0, plan.campaignId, plan.run]))
        statements += ["COMMIT", "PRAGMA foreign_keys = ON"]
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) + ";" }.joined(separator: "\n")
    }

    /// `?` replaced by SQL literals, in order (the statements have no `?` inside their own literals).
    static func inline(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) -> String {
        var values = arguments.makeIterator()
        var result = ""
        for character in sql {
            guard character == "?" else {
                result.append(character)
                continue
            }
            switch (values.next() ?? nil)?.databaseValue.storage ?? .null {
            case .null: result += "NULL"
            case .int64(let value): result += String(value)
            case .double(let value): result += String(value)
            case .string(let value): result += "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
            case .blob(let data): result += "X'" + data.map { String(format: "%02x", $0) }.joined() + "'"
            }
        }
        return result
    }

    func run(_ db: Database, after: Int64, upTo: Int64, queuedBefore: Int, now: Int64) throws -> Chunk {
        try db.execute(sql: Self.prepareChunk)
        for (zone, start) in plan.startsByTimeZone {
            try db.execute(sql: Self.insertZone, arguments: [zone, start.unixMillis])
        }
        try db.execute(sql: select, arguments: StatementArguments(selectArguments(after: after, upTo: upTo)))
        var chunk = Chunk()
        chunk.audience = db.changesCount
        guard chunk.audience > 0 else { return try finish(db, chunk, upTo: upTo) }
        let counts = try Row.fetchOne(db, sql: Self.countChunk, arguments: [plan.controlBelow, plan.controlBelow])
        chunk.control = counts?[0] ?? 0
        chunk.unreachable = counts?[1] ?? 0
        if chunk.control > 0 {
            try db.execute(sql: Self.insertControl, arguments: [plan.campaignId, plan.run, now, plan.controlBelow])
        }
        try db.execute(sql: insert, arguments: StatementArguments(insertArguments(queuedBefore: queuedBefore, now: now)))
        chunk.queued = db.changesCount
        try db.execute(sql: Self.countQueued, arguments: [plan.lane.rawValue])
        return try finish(db, chunk, upTo: upTo)
    }

    private func finish(_ db: Database, _ chunk: Chunk, upTo: Int64) throws -> Chunk {
        try db.execute(
            sql: Self.advance, arguments: [upTo, chunk.audience, chunk.control, chunk.unreachable, plan.campaignId, plan.run])
        return chunk
    }
}
