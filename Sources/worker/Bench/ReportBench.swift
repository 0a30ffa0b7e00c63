import ArgumentParser
import CoreModel
import Foundation
import GRDB
import Scheduler

/// The reports over a store of `--messages` campaign messages spread over 30
/// days (20 campaigns, two variants, three gateways; 90 % delivered, 5 %
/// refused, 2 % unconfirmed, 2 % awaiting a receipt, 1 % queued) with their
/// event rows: how fast `RollupService` folds them, then each report built
/// and rendered (table and HTML) from the rolled-up counts. Beside each, in
/// the same run: the sqlite3 shell reading the same rolled-up rows (the
/// ceiling: no program gets them faster), and the GROUP BY over `messages`
/// a report without the counts would need (which must also give the same
/// figures, or the bench fails).
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports over 10M messages from the rolled-up counts (target ≤ 1 s) vs the sqlite3 shell, and the fold's rate.",
        discussion: "Example: tidings bench report --messages 10000000   (seeding takes a few minutes at 10M)")

    @Option(help: "Messages to seed.") var messages = 10_000_000
    @Option(help: "Runs per report; the median and the slowest are shown.") var runs = 5
    @Option(help: "The sqlite3 shell.") var sqlite3 = "/usr/bin/sqlite3"
    @Option(help: "Keep the seeded database here instead of a temporary file.") var database: String?

    static let campaigns = 20

    func validate() throws {
        guard messages >= 1_000, runs >= 1 else { throw ValidationError("--messages must be at least 1000 and --runs at least 1") }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bench-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = database ?? directory.appendingPathComponent("report.sqlite").path
        let store = try SQLiteStore(path: path)
        let raw = try DatabaseQueue(path: path)
        print(String(
            format: "machine   %@, %d cores, load average %@", ProcessInfo.processInfo.hostName,
            ProcessInfo.processInfo.activeProcessorCount, SegmentsBench.loadAverage()))
        let now = Date()
        var seeding = ContinuousClock.now
        let events = try await seed(store, raw, now: now)
        print(String(format: "seeded    %d messages and %d event rows in %.1f s", messages, events, (ContinuousClock.now - seeding).seconds))

        seeding = ContinuousClock.now
        let cpu = DispatchBench.cpuSeconds()
        let fold = try await RollupService(store: store, batch: 20_000).catchUp()
        let foldSeconds = (ContinuousClock.now - seeding).seconds
        print(String(
            format: "fold      %d messages + %d events in %.1f s (cpu %.1f s): %.0f rows/s", fold.messages, fold.events, foldSeconds,
            DispatchBench.cpuSeconds() - cpu, Double(fold.messages + fold.events) / foldSeconds))
        let rollupRows = try await raw.read { db in
            try ["message_counts", "message_event_counts", "receipt_latency", "traffic_counts", "gateway_latency"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? 0 }
        }
        print("counts    \(rollupRows.reduce(0, +)) rolled-up rows for \(messages) messages")

        let builder = ReportBuilder(store: store, config: .defaults)
        guard let record = try await store.campaign(named: "bench-1") else { throw CommandFailure("the seeded campaign is missing") }
        let reports: [(name: String, shellSQL: String, build: () async throws -> ReportDocument)] = [
            ("campaign (1/20 of the messages)",
             "SELECT variant, status, reason, SUM(messages) FROM message_counts WHERE campaign_id = \(record.id) GROUP BY 1, 2, 3; SELECT variant, event, gateway, channel, SUM(events), SUM(segments), SUM(cost_micros) FROM message_event_counts WHERE campaign_id = \(record.id) GROUP BY 1, 2, 3, 4; SELECT variant, bucket, SUM(receipts) FROM receipt_latency WHERE campaign_id = \(record.id) GROUP BY 1, 2;",
             { try await builder.campaign(record) }),
            ("gateways, 31 days (all of them)",
             "SELECT hour, gateway, channel, event, events FROM traffic_counts ORDER BY 1, 2, 4; SELECT gateway, bucket, SUM(receipts) FROM gateway_latency GROUP BY 1, 2;",
             { try await builder.gateways(days: 31, now: now) }),
            ("volumes, 31 days (all of them)",
             "SELECT hour, gateway, channel, event, events FROM traffic_counts ORDER BY 1, 2, 4;",
             { try await builder.volumes(days: 31, now: now) }),
        ]
        print("\n" + "report".padding(toLength: 34, withPad: " ", startingAt: 0)
            + ["median", "slowest", "html", "sqlite3", "ratio", "target"].map { $0.leftPadded(to: 10, with: " ") }.joined())
        for report in reports {
            var times: [Double] = []
            var htmlBytes = 0
            for _ in 0..<runs {
                let started = ContinuousClock.now
                let document = try await report.build()
                _ = ReportText.render(document)
                htmlBytes = ReportHTML.render(document, generated: "bench").utf8.count
                times.append((ContinuousClock.now - started).seconds)
            }
            var shell: [Double] = []
            for _ in 0..<runs { shell.append(try SegmentsBench.shell(sqlite3, path, report.shellSQL).1) }
            let (median, slowest, shellMedian) = (SegmentsBench.median(times), times.max() ?? 0, SegmentsBench.median(shell))
            print(report.name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(
                format: "%8.1fms %8.1fms %8.0fkB %8.1fms %9.2fx %9.0f%%", median * 1000, slowest * 1000, Double(htmlBytes) / 1024,
                shellMedian * 1000, median / shellMedian, slowest * 100))
        }
        print("(target: the slowest run as a share of 1 s)")

        // Without the counts: the campaign's figures by scanning messages. They must agree.
        let scanning = ContinuousClock.now
        let scanned = try await raw.read { db in
            try Row.fetchAll(db, sql: "SELECT variant, status, COUNT(*) AS n FROM messages WHERE campaign_id = ? GROUP BY 1, 2", arguments: [record.id])
        }
        let scanSeconds = (ContinuousClock.now - scanning).seconds
        let figures = try await store.campaignFigures(campaignId: record.id)
        for row in scanned {
            let status = ReportStatus(MessageStatus(rawValue: row["status"]) ?? .queued)
            let variant: String = row["variant"]
            guard let counted = figures[variant]?.byStatus[status], counted >= row["n"] as Int else {
                throw CommandFailure("the counts disagree with messages for \(variant) \(status.rawValue)")
            }
        }
        print(String(format: "\nwithout the counts: the campaign's statuses by GROUP BY over messages took %.0f ms (the counts agree)", scanSeconds * 1000))
        print(String(format: "load average %@", SegmentsBench.loadAverage()))
    }

    /// Campaign messages and their event rows, written by SQLite itself in transactions of 500,000 messages.
    func seed(_ store: SQLiteStore, _ raw: DatabaseQueue, now: Date) async throws -> Int {
        for index in 1...Self.campaigns {
            _ = try await store.saveCampaign(name: "bench-\(index)", category: .marketing, definition: "{}", file: nil, actor: "bench", now: now)
        }
        let start = now.addingTimeInterval(-30 * 86_400).unixMillis
        let span = Int64(30 * 86_400_000)
        let chunk = 500_000
        var events = 0
        for first in stride(from: 1, through: messages, by: chunk) {
            let last = min(first + chunk - 1, messages)
            events += try await raw.write { db in
                try db.execute(sql: Self.seedMessages, arguments: [first, last, Self.campaigns, start, span, messages])
                let before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_events") ?? 0
                try db.execute(sql: Self.seedEvents, arguments: [first, last])
                return (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_events") ?? 0) - before
            }
        }
        return events
    }

    /// Rows `?1`…`?2` of `?6`; `k` (the row mod 100) picks the status.
    static let seedMessages = """
        WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2),
        r AS (SELECT i, i % 100 AS k, ?4 + i * ?5 / ?6 AS t FROM n)
        INSERT INTO messages (id, idempotency_key, channel, lane, category, address, campaign_id, variant, template, payload, not_before,
          next_attempt_at, status, status_reason, last_error_kind, gateway, segments, cost_micros, created_at, updated_at, submitted_at,
          purpose, uid)
        SELECT i, 'bench-' || i, CASE WHEN i % 20 < 17 THEN 'sms' WHEN i % 20 < 19 THEN 'email' ELSE 'voice' END, 'marketing',
          'marketing', printf('+86138%08d', i % 1000000), 1 + i % ?3, CASE i % 2 WHEN 0 THEN 'A' ELSE 'B' END, 'promotion', '{}', t, t,
          CASE WHEN k < 90 THEN 'delivered' WHEN k < 95 THEN 'failed' WHEN k < 97 THEN 'expired' WHEN k < 99 THEN 'submitted' ELSE 'queued' END,
          CASE WHEN k >= 90 AND k < 95 THEN 'gateway rejected: 400 bad number ' || i WHEN k >= 95 AND k < 97 THEN 'unconfirmed: no receipt within 72 h' END,
          CASE WHEN k >= 95 AND k < 97 THEN 'unconfirmed' END,
          CASE WHEN k < 99 THEN 'sim-' || (i % 3) END, CASE WHEN k < 99 THEN 1 END, CASE WHEN k < 99 THEN 45000 END,
          t, t, CASE WHEN k < 90 OR (k >= 95 AND k < 99) THEN t + 1000 END, 'campaign', ''
        FROM r
        """

    /// Accepted (all sent), then a delivered receipt, a refusal or a receipt time-out.
    static let seedEvents = """
        INSERT INTO message_events (message_id, at, event, from_status, to_status, reason)
        SELECT id, submitted_at, 'accepted', 'sending', 'submitted', NULL FROM messages
          WHERE id BETWEEN ?1 AND ?2 AND submitted_at IS NOT NULL
        UNION ALL SELECT id, created_at + 800, 'permanent_failure', 'sending', 'failed', status_reason FROM messages
          WHERE id BETWEEN ?1 AND ?2 AND status = 'failed'
        UNION ALL SELECT id, submitted_at + 3000, 'receipt', 'submitted', 'delivered', NULL FROM messages
          WHERE id BETWEEN ?1 AND ?2 AND status = 'delivered'
        UNION ALL SELECT id, submitted_at + 259200000, 'receipt_timeout', 'submitted', 'expired', status_reason FROM messages
          WHERE id BETWEEN ?1 AND ?2 AND status = 'expired'
        ORDER BY 1, 2
        """
}
