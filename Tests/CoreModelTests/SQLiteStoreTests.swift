@testable import CoreModel
import GRDB
import TestSupport
import Foundation
import Testing

/// What is SQLite's own: query plans and migrations. The behaviour every
/// store owes is in StoreContractTests.
struct SQLiteStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A lease must walk the partial due index in order and stop at its limit:
    /// a sort over the backlog would make every lease cost O(backlog).
    @Test func leasingReadsTheDueIndexWithoutSorting() async throws {
        try await withStore { store, _ in
            let plan = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(SQLiteStore.dueSQL)", arguments: ["marketing", 0, 10])
                    .map { $0["detail"] as String }.joined(separator: "\n")
            }
            #expect(plan.contains("USING INDEX messages_due"), "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    /// The dashboard's counts are kept by triggers (and by a campaign's fan-out
    /// for its chunks): after messages are queued, fanned out, leased, answered
    /// and cancelled they still equal a count of the table.
    @Test func queueDepthCountsFollowEveryStatusChange() async throws {
        try await withStore { store, _ in
            let messages = (0..<40).map { i in
                NewMessage(
                    idempotencyKey: "k\(i)", purpose: .single, channel: .sms, lane: i % 3 == 0 ? .marketing : .transactional,
                    category: .service, address: "+86138000000\(i % 10)", payload: #"{"text":"您好"}"#)
            }
            _ = try await store.enqueue(messages, now: now)
            // A campaign's fan-out counts its chunks itself (no per-row trigger); its messages then move like any.
            _ = try await seedCampaign(store, name: "depth", members: 30, controlBelow: 1_000, now: now)
            let campaign = try await store.leaseDue(lane: .marketing, limit: 5, owner: "w", leaseUntil: now + 60, now: now + 1)
            _ = try await store.recordSendResults(
                campaign.map { SendResult(messageId: $0.id, gateway: "g", event: .accepted(providerMessageId: "c\($0.id)")) },
                owner: "w", now: now)
            let leased = try await store.leaseDue(lane: .transactional, limit: 12, owner: "w", leaseUntil: now + 60, now: now)
            _ = try await store.recordSendResults(
                leased.prefix(8).map { SendResult(messageId: $0.id, gateway: "g", event: .accepted(providerMessageId: "p\($0.id)")) }
                    + leased.suffix(4).map {
                        SendResult(messageId: $0.id, gateway: "g", event: .permanentFailure(reason: "no"))
                    },
                owner: "w", now: now)
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE messages SET status = 'cancelled' WHERE lane = 'marketing' AND id % 2 = 0")
                try db.execute(sql: "DELETE FROM messages WHERE lane = 'marketing' AND id % 5 = 0 AND status = 'queued'")
            }
            let (kept, counted) = try await store.pool.read { db in
                (
                    try Row.fetchAll(db, sql: "SELECT lane, status, messages FROM queue_depth WHERE messages <> 0 ORDER BY 1, 2")
                        .map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int)" },
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT lane, status, COUNT(*) FROM messages
                            WHERE status IN ('queued', 'sending', 'retrying', 'deferred', 'unknown', 'submitted')
                            GROUP BY 1, 2 ORDER BY 1, 2
                            """
                    ).map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int)" }
                )
            }
            #expect(kept == counted)
            #expect(kept.contains("transactional submitted 8"), "\(kept)")
            let plan = try await plan(store, SQLiteStore.queueDepthSQL, [])
            #expect(plan.contains("queue_depth") && !plan.contains("messages"), "\(plan)")
        }
    }

    @Test func migrationsAreNamedAndApplied() async throws {
        try await withStore { store, _ in
            let applied = try store.appliedMigrations()
            #expect(
                applied == [
                    "v1-records", "v1-outbox", "v2-outbox-partial-indexes", "v3-message-binding", "v4-automations",
                    "v5-message-purpose", "v6-cursor-gaps", "v7-pinned-sends", "v8-receipt-inbox", "v9-message-uid",
                    "v10-consent-ledger", "v11-member-rfm", "v12-campaigns", "v13-prospects", "v14-segment-indexes",
                    "v15-lighter-outbox-indexes", "v16-member-order-totals", "v17-survey-tasks", "v18-complaint-work-orders",
                    "v19-member-assignments", "v20-order-takers", "v21-branch-tickets", "v22-manager-briefs",
                    "v23-api-tokens", "v24-message-rollups", "v25-answer-rollups", "v26-branch-rollups", "v27-campaign-orders",
                    "v29-traffic-counts", "v28-dashboard",
                ])
        }
    }

    /// Messages queued before uids existed get one each on upgrade (a retry's Message-ID needs it).
    @Test func messagesFromBeforeUidsGetOneEach() async throws {
        try await withTemporaryDirectory("tidings-test") { directory in
            let path = directory.appendingPathComponent("old.sqlite").path
            let old = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(old, upTo: "v8-receipt-inbox")
            try await old.write { db in
                for key in ["a", "b"] {
                    try db.execute(
                        sql: """
                            INSERT INTO messages (idempotency_key, channel, lane, category, address, payload, not_before,
                              next_attempt_at, status, created_at, updated_at)
                            VALUES (?, 'email', 'transactional', 'service', 'li@example.com', '{}', 0, 0, 'retrying', 0, 0)
                            """, arguments: [key])
                }
            }
            try old.close()
            let store = try SQLiteStore(path: path)
            let uids = try await store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT uid FROM messages ORDER BY id")
            }
            #expect(uids.count == 2)
            #expect(uids.allSatisfy { $0.wholeMatch(of: /[0-9a-f]{32}/) != nil }, "\(uids)")
            #expect(Set(uids).count == 2)
        }
    }
}

extension SQLiteStoreTests {
    /// The ledgers refuse to be rewritten, and the consents table is exactly
    /// what the ledger says: the latest entry by `at` per member, channel and category.
    @Test func theConsentLedgerIsAppendOnlyAndTheStateIsDerivedFromIt() async throws {
        try await withStore { store, _ in
            _ = try await store.apply(.branches([Branch(code: "B1", name: "店", district: "区", address: "路", phone: nil, fax: nil, seats: 1)]), dryRun: false)
            _ = try await store.apply(.members((1...20).map { Member(memberNo: "M\($0)", name: "客人", phone: .valid("+86138000000\(10 + $0)"), branchCode: "B1") }), dryRun: false)
            var random = SeededGenerator(seed: 7)
            for step in 0..<400 {
                let change = ConsentChange(
                    subject: .member("M\(Int.random(in: 1...20, using: &random))"), channel: [.sms, .email].randomElement(using: &random)!,
                    category: [.marketing, .survey].randomElement(using: &random)!, granted: Bool.random(using: &random), source: "s\(step)",
                    at: now + Double(Int.random(in: 0..<100, using: &random) * 60))
                _ = try await store.recordConsent(change, now: now)
            }
            _ = try await store.addToBlacklist(BlacklistEntry(address: "+8613800000011", reason: "r", addedBy: "a", addedAt: now))
            try await store.pool.write { db in
                for sql in [
                    "UPDATE consent_ledger SET granted = 1 - granted", "DELETE FROM consent_ledger",
                    "UPDATE blacklist_ledger SET reason = 'x'", "DELETE FROM blacklist_ledger",
                ] {
                    #expect(throws: DatabaseError.self, "\(sql)") { try db.execute(sql: sql) }
                }
            }
            let mismatches = try await store.pool.read { db in
                try Int.fetchOne(db, sql: """
                    WITH latest AS (
                      SELECT member_id, channel, category, granted,
                        ROW_NUMBER() OVER (PARTITION BY member_id, channel, category ORDER BY at DESC, id DESC) AS n
                      FROM consent_ledger WHERE member_id IS NOT NULL
                    )
                    SELECT (SELECT COUNT(*) FROM latest l LEFT JOIN consents c USING (member_id, channel, category)
                            WHERE l.n = 1 AND (c.granted IS NULL OR c.granted <> l.granted))
                         + (SELECT COUNT(*) FROM consents) - (SELECT COUNT(*) FROM latest WHERE n = 1)
                    """) ?? -1
            }
            #expect(mismatches == 0)
        }
    }

    /// The plan of one of the store's own statements, one line per step.
    func plan(_ store: SQLiteStore, _ sql: String, _ arguments: StatementArguments) async throws -> String {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments)
                .map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    /// A row cursor's gaps are found by primary-key ranges, not by reading the orders table.
    @Test func gapsAreReadByPrimaryKeyRanges() async throws {
        try await withStore { store, _ in
            let sql = SQLiteStore.ordersPage(SQLiteStore.inGaps(of: "orders"))
            let plan = try await plan(store, sql, ["[[1,2]]", 10])
            #expect(plan.contains("SEARCH t USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"), "\(plan)")
            #expect(plan.contains("SEARCH o USING INTEGER PRIMARY KEY (rowid=?)"), "\(plan)")
            #expect(!plan.contains("SCAN o"), "\(plan)")
        }
    }

    /// The reservation call's scan reads one automation's recent messages by
    /// index, and whether each was answered by index too.
    @Test func theReservationCallScanUsesItsIndexes() async throws {
        try await withStore { store, _ in
            let plan = try await plan(store, SQLiteStore.remindersUnansweredSQL, [0, 1, 0, "automation:reservation_reminder"])
            #expect(plan.contains("INDEX messages_purpose (purpose=? AND created_at>? AND created_at<?)"), "\(plan)")
            #expect(plan.contains("INDEX inbound_answering (message_id=?)"), "\(plan)")
            #expect(!plan.contains("SCAN"), "\(plan)")
        }
    }

    @Test func theBranchTicketScansUseTheirIndexes() async throws {
        try await withStore { store, _ in
            let orders = try await plan(store, SQLiteStore.ordersToTicketSQL, [0, 1, #"["delivery"]"#])
            #expect(
                orders.contains("INDEX orders_schedule (status=? AND scheduled_at>? AND scheduled_at<?)"), "\(orders)")
            #expect(!orders.contains("SCAN o") && !orders.contains("SCAN orders"), "\(orders)")
            let open = try await plan(store, SQLiteStore.ticketsUnacknowledgedSQL, [0, 1])
            #expect(open.contains("INDEX branch_tickets_open (slot_start>?)"), "\(open)")
            #expect(!open.contains("SCAN t") && !open.contains("SCAN branch_tickets"), "\(open)")
        }
    }

    /// The admin API's message search reads indexes, never the whole outbox.
    @Test func theMessageSearchUsesItsIndexes() async throws {
        try await withStore { store, _ in
            let member = try await plan(store, SQLiteStore.memberMessagesSQL, [1, nil, nil, 50])
            #expect(member.contains("USING INDEX messages_member (member_id=?)"), "\(member)")
            let campaign = try await plan(store, SQLiteStore.campaignMessagesSQL, [1, nil, nil, 50])
            #expect(campaign.contains("USING INDEX messages_campaign (campaign_id=?)"), "\(campaign)")
            let number = "+8613812345678"
            let phone = try await plan(store, SQLiteStore.phoneMessagesSQL, [number, nil, nil, number, nil, nil, 50])
            #expect(phone.contains("USING INDEX messages_unlinked_address (address=?)"), "\(phone)")
            #expect(phone.contains("USING INDEX messages_member (member_id=?)"), "\(phone)")
            #expect(phone.contains("members_phone (phone=?)"), "\(phone)")
            for found in [member, campaign, phone] {
                #expect(!found.contains("SCAN m\n") && !found.hasSuffix("SCAN m") && !found.contains("SCAN messages"), "\(found)")
            }
        }
    }

    /// Messages written before v5 get the purpose of the automation whose
    /// shipped template rendered them; anything else stays unknown.
    @Test func oldMessagesGetThePurposeOfTheirShippedTemplate() async throws {
        try await withStore { _, directory in
            let queue = try DatabaseQueue(path: directory.appendingPathComponent("v4.sqlite").path)
            try Schema.migrator.migrate(queue, upTo: "v4-automations")
            try await queue.write { db in
                for (key, template) in [("r", "reservation-reminder"), ("c", "reservation-call"), ("x", "custom"), ("n", nil)] {
                    try db.execute(
                        sql: """
                            INSERT INTO messages (idempotency_key, channel, lane, category, address, payload, not_before,
                              next_attempt_at, status, created_at, updated_at, template)
                            VALUES (?, 'sms', 'reminder', 'service', '+8613800000000', '{}', 0, 0, 'queued', 0, 0, ?)
                            """, arguments: [key, template])
                }
            }
            try Schema.migrator.migrate(queue)
            let purposes = try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT idempotency_key, purpose FROM messages ORDER BY id")
                    .map { "\($0["idempotency_key"] as String)=\(($0["purpose"] as String?) ?? "nil")" }
            }
            #expect(purposes == ["r=automation:reservation_reminder", "c=automation:reservation_call", "x=nil", "n=nil"])
        }
    }
}
