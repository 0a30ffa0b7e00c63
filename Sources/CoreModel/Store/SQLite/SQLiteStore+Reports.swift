import Foundation
import GRDB

extension SQLiteStore: Reports {
    public func foldRollups(limit: Int) async throws -> RollupFold {
        try await pool.write { db in try Self.fold(db, limit: max(1, limit)) }
    }

    public func campaignFigures(campaignId: Int64) async throws -> [String: VariantFigures] {
        try await pool.read { db in
            var figures: [String: VariantFigures] = [:]
            func variant(_ row: Row) -> String { (row["variant"] as String).isEmpty ? "-" : row["variant"] }
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT variant, status, reason, SUM(messages) AS n FROM message_counts WHERE campaign_id = ?
                        GROUP BY variant, status, reason
                        """), arguments: [campaignId])
            {
                guard let status = ReportStatus(rawValue: row["status"]) else { continue }
                let n: Int = row["n"]
                guard n != 0 else { continue }
                figures[variant(row), default: VariantFigures()].byStatus[status, default: 0] += n
                if status.hasReasons {
                    figures[variant(row), default: VariantFigures()].reasons[status, default: [:]][row["reason"], default: 0] += n
                }
            }
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT variant, event, gateway, channel, SUM(events) AS n, SUM(segments) AS segments, SUM(cost_micros) AS cost
                        FROM message_event_counts WHERE campaign_id = ? GROUP BY variant, event, gateway, channel
                        """), arguments: [campaignId])
            {
                let key = variant(row)
                switch row["event"] as String {
                case MessageEvent.acceptedName:
                    figures[key, default: VariantFigures()].sent += row["n"]
                    figures[key, default: VariantFigures()].segments += row["segments"]
                    figures[key, default: VariantFigures()].costMicros += row["cost"]
                    figures[key, default: VariantFigures()].sentBy.append(
                        SentCount(
                            gateway: row["gateway"], channel: try Self.decoded(row["channel"], column: "message_event_counts.channel"),
                            messages: row["n"], segments: row["segments"], costMicros: row["cost"]))
                case MessageEvent.receiptTimeoutName:
                    figures[key, default: VariantFigures()].unconfirmed += row["n"]
                default: break
                }
            }
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT variant, kind, SUM(answers) AS n, SUM(scored) AS scored, SUM(score_sum) AS score_sum
                        FROM answer_counts WHERE campaign_id = ? GROUP BY variant, kind
                        """), arguments: [campaignId])
            {
                let key = variant(row)
                let n: Int = row["n"]
                switch row["kind"] as String {
                case "reply", "dtmf": figures[key, default: VariantFigures()].replies += n
                case "optout", "unsubscribe": figures[key, default: VariantFigures()].optOuts += n
                case Self.surveyKind:
                    figures[key, default: VariantFigures()].surveyAnswers += n
                    figures[key, default: VariantFigures()].scored += row["scored"]
                    figures[key, default: VariantFigures()].scoreSum += row["score_sum"]
                default: break
                }
            }
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT variant, bucket, SUM(receipts) AS n FROM receipt_latency WHERE campaign_id = ? GROUP BY variant, bucket
                        """), arguments: [campaignId])
            {
                figures[variant(row), default: VariantFigures()].receiptSeconds[row["bucket"], default: 0] += row["n"]
            }
            return figures
        }
    }

    public func eventCounts(from: Date, to: Date) async throws -> [EventCount] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT hour, gateway, channel, event, events AS n FROM traffic_counts
                        WHERE hour >= ? AND hour < ? ORDER BY hour, gateway, event
                        """), arguments: [Self.hour(from), Self.hour(to)]
            ).map { row in
                EventCount(
                    hour: Date(unixMillis: (row["hour"] as Int64) * 3_600_000), gateway: row["gateway"],
                    channel: try Self.decoded(row["channel"], column: "traffic_counts.channel"), event: row["event"], events: row["n"])
            }
        }
    }

    public func receivedPerHour(from: Date, to: Date) async throws -> [Date: Int] {
        try await pool.read { db in
            var hours: [Date: Int] = [:]
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT hour, SUM(answers) AS n FROM answer_counts WHERE kind <> ? AND hour >= ? AND hour < ? GROUP BY hour
                        """), arguments: [Self.surveyKind, Self.hour(from), Self.hour(to)])
            {
                hours[Date(unixMillis: (row["hour"] as Int64) * 3_600_000)] = row["n"]
            }
            return hours
        }
    }

    public func receiptLatency(from: Date, to: Date) async throws -> [LatencyCount] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT gateway, bucket, SUM(receipts) AS n FROM gateway_latency WHERE hour >= ? AND hour < ?
                        GROUP BY gateway, bucket ORDER BY gateway, bucket
                        """), arguments: [Self.hour(from), Self.hour(to)]
            ).map { LatencyCount(gateway: $0["gateway"], bucket: $0["bucket"], receipts: $0["n"]) }
        }
    }

    /// Hours since 1970 (UTC), rounded down: the counts' time key.
    static func hour(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 3600).rounded(.down)) }

    static let messagesCursor = "messages"
    static let eventsCursor = "message_events"

    /// New messages count once where every message starts (`pending`: both
    /// ways in write `queued`); new event rows move a message between
    /// report statuses and count acceptances, receipt time-outs and receipt
    /// times. Each in its own id order, with its cursor, in this transaction.
    static func fold(_ db: Database, limit: Int) throws -> RollupFold {
        var deltas = RollupDeltas()
        var fold = RollupFold()
        let messagesAfter = try cursor(messagesCursor, db)
        if let upTo = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?"),
            arguments: [messagesAfter, limit - 1]) ?? Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(id) FROM messages WHERE id > ?"), arguments: [messagesAfter])
        {
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "\(messageKeySelect), 'queued' AS status, NULL AS status_reason, COUNT(*) AS n FROM messages WHERE id > ? AND id <= ? GROUP BY 1, 2, 3, 4, 5"),
                arguments: [messagesAfter, upTo])
            {
                let n: Int = row["n"]
                fold.messages += n
                deltas.count(RollupDeltas.Message(row), status: .pending, reason: "", by: n)
            }
            try setCursor(messagesCursor, to: upTo, db)
            fold.more = fold.messages >= limit
        }
        fold.events = try foldEvents(db, limit: limit, moves: true, into: &deltas)
        fold.more = fold.more || fold.events >= limit
        try deltas.write(db)
        fold.events += try foldAnswers(db, limit: limit, more: &fold.more)
        fold.events += try foldOrders(db, limit: limit, more: &fold.more)
        fold.events += try foldBranches(db, limit: limit, more: &fold.more)
        return fold
    }

    static let inboundCursor = "inbound_messages"
    static let surveyCursor = "survey_responses"
    /// `answer_counts.kind` of a survey answer; inbound rows keep their own kind.
    static let surveyKind = "survey"

    /// Inbound rows and survey answers past their cursors, by the hour they
    /// came and the message they answer (none: campaign 0, purpose '').
    private static func foldAnswers(_ db: Database, limit: Int, more: inout Bool) throws -> Int {
        var folded = 0
        for (table, cursorName, kind, score, at) in [
            ("inbound_messages", inboundCursor, "a.kind", "NULL", "a.received_at"),
            ("survey_responses", surveyCursor, "'\(surveyKind)'", "a.score", "a.received_at"),
        ] {
            let after = try cursor(cursorName, db)
            guard let last = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(id) FROM (SELECT id FROM \(table) WHERE id > ? ORDER BY id LIMIT ?)"),
                arguments: [after, limit])
            else { continue }
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(at) / 3600000 AS hour, COALESCE(m.campaign_id, 0) AS campaign_id, COALESCE(m.variant, '') AS variant,
                          COALESCE(m.purpose, '') AS purpose, COALESCE(m.channel, '') AS channel, \(kind) AS kind, COUNT(*) AS n,
                          COUNT(\(score)) AS scored, COALESCE(SUM(\(score)), 0) AS score_sum
                        FROM \(table) a LEFT JOIN messages m ON m.id = a.message_id
                        WHERE a.id > ? AND a.id <= ? GROUP BY 1, 2, 3, 4, 5, 6
                        """), arguments: [after, last])
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO answer_counts (hour, campaign_id, variant, purpose, channel, kind, answers, scored, score_sum)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO UPDATE SET answers = answers + excluded.answers, scored = scored + excluded.scored,
                      score_sum = score_sum + excluded.score_sum
                    """)
            var rowsFolded = 0
            for row in rows {
                rowsFolded += row["n"] as Int
                try upsert.execute(arguments: [
                    row["hour"], row["campaign_id"], row["variant"], row["purpose"], row["channel"], row["kind"], row["n"], row["scored"],
                    row["score_sum"],
                ])
                folded += row["n"] as Int
            }
            try setCursor(cursorName, to: last, db)
            // The LEFT JOIN keeps every row in the range: the groups' sum is the rows passed.
            if rowsFolded >= limit { more = true }
        }
        return folded
    }

    private static let messageKeySelect = """
        SELECT created_at / 3600000 AS hour, COALESCE(campaign_id, 0) AS campaign_id, COALESCE(variant, '') AS variant,
          COALESCE(purpose, '') AS purpose, channel
        """

    /// Up to `limit` event rows past the cursor: acceptances, time-outs and
    /// receipt times counted, and (`moves`) each message moved between report
    /// statuses. SQLite groups the rows (a batch of 20,000 events is a few
    /// hundred groups: reasons are read only where a report keeps them, and
    /// receipt times come bucketed), so Swift sees groups, not rows.
    private static func foldEvents(_ db: Database, limit: Int, moves: Bool, into deltas: inout RollupDeltas) throws -> Int {
        let eventsAfter = try cursor(eventsCursor, db)
        guard let last = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(id) FROM (SELECT id FROM message_events WHERE id > ? ORDER BY id LIMIT ?)"),
            arguments: [eventsAfter, limit])
        else { return 0 }
        var folded = 0
        for row in try Row.fetchAll(db.cachedStatement(sql: eventGroups), arguments: [eventsAfter, last]) {
            let n: Int = row["n"]
            folded += n
            let message = RollupDeltas.Message(row)
            deltas.event(
                message, hour: row["event_hour"], gateway: row["gateway"], event: row["event"], count: n, segments: row["segments"],
                cost: row["cost_micros"])
            if let bucket = row["bucket"] as Int? { deltas.receipt(message, gateway: row["gateway"], bucket: bucket, count: n) }
            if let duplicates = row["duplicates"] as Int?, duplicates > 0 {
                deltas.event(
                    message, hour: row["event_hour"], gateway: row["gateway"], event: EventCount.possibleDuplicate, count: duplicates,
                    segments: 0, cost: 0)
            }
            guard moves, let from = MessageStatus(rawValue: row["from_status"]), let to = MessageStatus(rawValue: row["to_status"]),
                from != to
            else { continue }
            let (old, new) = (ReportStatus(from), ReportStatus(to))
            let oldReason = old.hasReasons ? ReportStatus.reasonKey(row["entered_reason"]) : ""
            let newReason = new.hasReasons ? ReportStatus.reasonKey(row["reason"]) : ""
            guard old != new || oldReason != newReason else { continue }
            deltas.count(message, status: old, reason: oldReason, by: -n)
            deltas.count(message, status: new, reason: newReason, by: n)
        }
        try setCursor(eventsCursor, to: last, db)
        return folded
    }

    /// Bucket `b` of a receipt `seconds` after acceptance: the least `b` with `seconds ≤ 2^b` (capped at 2^30).
    private static func bucketSQL(_ seconds: String) -> String {
        "CASE " + (0..<30).map { "WHEN \(seconds) <= \(1 << $0) THEN \($0)" }.joined(separator: " ") + " ELSE 30 END"
    }

    private static let reasonStatus = "'failed', 'expired', 'suppressed'"

    /// The event rows with ids in (`?1`, `?2`], grouped by what the counts
    /// need. `duplicates` counts acceptances that may repeat an earlier
    /// attempt (see `EventCount.possibleDuplicate`); only an acceptance of a
    /// message not flagged looks up its earlier events, by `message_events_message`.
    private static let eventGroups = """
        SELECT m.created_at / 3600000 AS hour, COALESCE(m.campaign_id, 0) AS campaign_id, COALESCE(m.variant, '') AS variant,
          COALESCE(m.purpose, '') AS purpose, m.channel, COALESCE(m.gateway, '') AS gateway, e.event, e.at / 3600000 AS event_hour,
          e.from_status, e.to_status,
          CASE WHEN e.to_status IN (\(reasonStatus)) AND e.from_status <> e.to_status THEN e.reason END AS reason,
          CASE WHEN e.from_status IN (\(reasonStatus)) AND e.from_status <> e.to_status
            THEN (SELECT p.reason FROM message_events p WHERE p.message_id = e.message_id AND p.id < e.id
              AND p.to_status = e.from_status AND p.from_status <> p.to_status ORDER BY p.id DESC LIMIT 1)
          END AS entered_reason,
          CASE WHEN e.to_status = 'delivered' AND e.from_status <> 'delivered' AND m.submitted_at IS NOT NULL
            THEN \(bucketSQL("MAX(0, e.at - m.submitted_at) / 1000")) END AS bucket,
          COUNT(*) AS n,
          SUM(CASE WHEN e.event = '\(MessageEvent.acceptedName)' THEN COALESCE(m.segments, 0) ELSE 0 END) AS segments,
          SUM(CASE WHEN e.event = '\(MessageEvent.acceptedName)' THEN COALESCE(m.cost_micros, 0) ELSE 0 END) AS cost_micros,
          SUM(CASE WHEN e.event = '\(MessageEvent.acceptedName)' AND (m.possible_duplicate = 1 OR EXISTS (
              SELECT 1 FROM message_events p WHERE p.message_id = e.message_id AND p.id < e.id
                AND p.event = '\(MessageEvent.leaseExpired.name)'))
            THEN 1 ELSE 0 END) AS duplicates
        FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE e.id > ?1 AND e.id <= ?2
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
        """

    /// The counts of a store that had messages before the reports did: each
    /// message where it is now, the event rows' acceptances, time-outs and
    /// receipt times; the cursors then stand past both. The counts without
    /// campaign keys are then made from these by `startTraffic` (v29).
    static func startRollups(_ db: Database) throws {
        var deltas = RollupDeltas()
        for row in try Row.fetchAll(
            db, sql: "\(messageKeySelect), status, status_reason, COUNT(*) AS n FROM messages GROUP BY 1, 2, 3, 4, 5, 6, 7")
        {
            guard let current = MessageStatus(rawValue: row["status"]) else { continue }
            let status = ReportStatus(current)
            deltas.count(
                RollupDeltas.Message(row), status: status, reason: status.hasReasons ? ReportStatus.reasonKey(row["status_reason"]) : "",
                by: row["n"])
        }
        try setCursor(messagesCursor, to: Int64.fetchOne(db, sql: "SELECT MAX(id) FROM messages") ?? 0, db)
        // Until the cursor stops: a batch whose events all lost their message would count nothing, yet is passed.
        while true {
            let before = try cursor(eventsCursor, db)
            _ = try foldEvents(db, limit: 50_000, moves: false, into: &deltas)
            if try cursor(eventsCursor, db) == before { break }
        }
        try deltas.write(db, traffic: false)
    }

    /// `traffic_counts` and `gateway_latency` from the campaign-keyed counts.
    static func startTraffic(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO traffic_counts (hour, gateway, channel, event, events, segments, cost_micros)
              SELECT hour, gateway, channel, event, SUM(events), SUM(segments), SUM(cost_micros) FROM message_event_counts GROUP BY 1, 2, 3, 4;
            INSERT INTO gateway_latency (hour, gateway, bucket, receipts)
              SELECT hour, gateway, bucket, SUM(receipts) FROM receipt_latency GROUP BY 1, 2, 3;
            """)
    }

    static func cursor(_ name: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT position FROM rollup_cursors WHERE name = ?"), arguments: [name]) ?? 0
    }

    static func setCursor(_ name: String, to position: Int64, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO rollup_cursors (name, position) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET position = MAX(position, excluded.position)
                """
        ).execute(arguments: [name, position])
    }

    /// A bulk change with no event row per message (cancelling a campaign's
    /// unsent messages) moves its rows between report statuses itself, in the
    /// caller's transaction, before the rows change: `rows` selects them.
    static func recountBeforeBulkChange(_ db: Database, rows: String, arguments: StatementArguments, to status: ReportStatus) throws {
        var deltas = RollupDeltas()
        for row in try Row.fetchAll(
            db,
            sql: "\(messageKeySelect), status, status_reason, COUNT(*) AS n FROM messages WHERE id IN (\(rows)) GROUP BY 1, 2, 3, 4, 5, 6, 7",
            arguments: arguments)
        {
            guard let current = MessageStatus(rawValue: row["status"]) else { continue }
            let old = ReportStatus(current)
            let n: Int = row["n"]
            let message = RollupDeltas.Message(row)
            deltas.count(message, status: old, reason: old.hasReasons ? ReportStatus.reasonKey(row["status_reason"]) : "", by: -n)
            deltas.count(message, status: status, reason: "", by: n)
        }
        try deltas.write(db)
    }
}

/// Count changes gathered in memory over one fold and written with one
/// upsert per distinct key: a fold of 50,000 events touches a few hundred rows.
struct RollupDeltas {
    struct Message: Hashable {
        var hour: Int64
        var campaignId: Int64
        var variant: String
        var purpose: String
        var channel: String

        init(_ row: Row) {
            hour = row["hour"]
            campaignId = row["campaign_id"]
            variant = row["variant"]
            purpose = row["purpose"]
            channel = row["channel"]
        }
    }

    struct CountKey: Hashable {
        var message: Message
        var status: ReportStatus
        var reason: String
    }

    struct EventKey: Hashable {
        var message: Message
        var hour: Int64
        var gateway: String
        var event: String
    }

    struct ReceiptKey: Hashable {
        var message: Message
        var gateway: String
        var bucket: Int
    }

    var counts: [CountKey: Int] = [:]
    var events: [EventKey: (events: Int, segments: Int, cost: Int)] = [:]
    var receipts: [ReceiptKey: Int] = [:]

    mutating func count(_ message: Message, status: ReportStatus, reason: String, by n: Int) {
        counts[CountKey(message: message, status: status, reason: reason), default: 0] += n
    }

    /// Acceptances carry the message's segments and cost (summed by the caller); other events only count.
    mutating func event(_ message: Message, hour: Int64, gateway: String, event: String, count: Int, segments: Int, cost: Int) {
        let key = EventKey(message: message, hour: hour, gateway: gateway, event: event)
        var current = events[key] ?? (0, 0, 0)
        current.events += count
        current.segments += segments
        current.cost += cost
        events[key] = current
    }

    /// Bucket `b` holds receipts up to `2^b` seconds after acceptance.
    mutating func receipt(_ message: Message, gateway: String, bucket: Int, count: Int) {
        receipts[ReceiptKey(message: message, gateway: gateway, bucket: bucket), default: 0] += count
    }

    /// `traffic`: also the counts without campaign keys (not while v24 starts the counts: v29 makes those tables from these).
    func write(_ db: Database, traffic: Bool = true) throws {
        let count = try db.cachedStatement(
            sql: """
                INSERT INTO message_counts (hour, campaign_id, variant, purpose, channel, status, reason, messages)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET messages = messages + excluded.messages
                """)
        for (key, n) in counts where n != 0 {
            let m = key.message
            try count.execute(arguments: [m.hour, m.campaignId, m.variant, m.purpose, m.channel, key.status.rawValue, key.reason, n])
        }
        let event = try db.cachedStatement(
            sql: """
                INSERT INTO message_event_counts (hour, campaign_id, variant, purpose, channel, gateway, event, events, segments, cost_micros)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET events = events + excluded.events, segments = segments + excluded.segments,
                  cost_micros = cost_micros + excluded.cost_micros
                """)
        for (key, value) in events {
            let m = key.message
            try event.execute(arguments: [
                key.hour, m.campaignId, m.variant, m.purpose, m.channel, key.gateway, key.event, value.events, value.segments, value.cost,
            ])
        }
        let receipt = try db.cachedStatement(
            sql: """
                INSERT INTO receipt_latency (hour, campaign_id, variant, purpose, channel, gateway, bucket, receipts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET receipts = receipts + excluded.receipts
                """)
        for (key, n) in receipts {
            let m = key.message
            try receipt.execute(arguments: [m.hour, m.campaignId, m.variant, m.purpose, m.channel, key.gateway, key.bucket, n])
        }
        if traffic { try writeTraffic(db) }
    }

    /// The same events and receipt times without the campaign keys (`traffic_counts`, `gateway_latency`).
    private func writeTraffic(_ db: Database) throws {
        struct Traffic: Hashable { var hour: Int64, gateway: String, channel: String, event: String }
        struct Latency: Hashable { var hour: Int64, gateway: String, bucket: Int }
        var traffic: [Traffic: (events: Int, segments: Int, cost: Int)] = [:]
        for (key, value) in events {
            let k = Traffic(hour: key.hour, gateway: key.gateway, channel: key.message.channel, event: key.event)
            let sum = traffic[k] ?? (0, 0, 0)
            traffic[k] = (sum.events + value.events, sum.segments + value.segments, sum.cost + value.cost)
        }
        var latency: [Latency: Int] = [:]
        for (key, n) in receipts { latency[Latency(hour: key.message.hour, gateway: key.gateway, bucket: key.bucket), default: 0] += n }
        let event = try db.cachedStatement(
            sql: """
                INSERT INTO traffic_counts (hour, gateway, channel, event, events, segments, cost_micros) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET events = events + excluded.events, segments = segments + excluded.segments,
                  cost_micros = cost_micros + excluded.cost_micros
                """)
        for (key, value) in traffic {
            try event.execute(arguments: [key.hour, key.gateway, key.channel, key.event, value.events, value.segments, value.cost])
        }
        let receipt = try db.cachedStatement(
            sql: """
                INSERT INTO gateway_latency (hour, gateway, bucket, receipts) VALUES (?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET receipts = receipts + excluded.receipts
                """)
        for (key, n) in latency { try receipt.execute(arguments: [key.hour, key.gateway, key.bucket, n]) }
    }
}
