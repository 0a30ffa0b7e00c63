@testable import CoreModel
import Foundation
import GRDB
import Testing

/// The reports' rolled-up counts against the messages table itself: a
/// campaign's messages go through every way a status changes (accepted,
/// refused, suppressed, retried, delivered, failed by receipt, delivered
/// after a failure, expired unconfirmed, cancelled in bulk), folded a few
/// rows at a time while it happens, and every figure equals what a GROUP BY
/// over `messages` says. Starting the counts afresh from the same data
/// (what the migration does for an existing store) gives the same figures.
struct ReportRollupTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Each variant's figures as computed from `messages`, not from the counts.
    func independent(_ store: SQLiteStore, campaignId: Int64) async throws -> [String: VariantFigures] {
        try await store.pool.read { db in
            var figures: [String: VariantFigures] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT variant, status, status_reason, COUNT(*) AS n FROM messages WHERE campaign_id = ? GROUP BY 1, 2, 3",
                arguments: [campaignId])
            {
                let status = ReportStatus(try #require(MessageStatus(rawValue: row["status"])))
                let n: Int = row["n"]
                figures[row["variant"], default: VariantFigures()].byStatus[status, default: 0] += n
                if status.hasReasons {
                    figures[row["variant"], default: VariantFigures()].reasons[status, default: [:]][
                        ReportStatus.reasonKey(row["status_reason"]), default: 0] += n
                }
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT variant, COUNT(submitted_at) AS sent, SUM(last_error_kind = 'unconfirmed') AS unconfirmed,
                      SUM(status = 'delivered' AND submitted_at IS NOT NULL) AS timed,
                      SUM(CASE WHEN submitted_at IS NOT NULL THEN COALESCE(segments, 0) ELSE 0 END) AS segments,
                      SUM(CASE WHEN submitted_at IS NOT NULL THEN COALESCE(cost_micros, 0) ELSE 0 END) AS cost
                    FROM messages WHERE campaign_id = ? GROUP BY variant
                    """, arguments: [campaignId])
            {
                figures[row["variant"], default: VariantFigures()].sent = row["sent"]
                // Receipt times exist for deliveries after an acceptance (not for one delivered after a refusal).
                figures[row["variant"], default: VariantFigures()].receiptSeconds = [-1: row["timed"]]
                figures[row["variant"], default: VariantFigures()].unconfirmed = row["unconfirmed"]
                figures[row["variant"], default: VariantFigures()].segments = row["segments"]
                figures[row["variant"], default: VariantFigures()].costMicros = row["cost"]
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.variant, SUM(i.kind IN ('reply', 'dtmf')) AS replies, SUM(i.kind IN ('optout', 'unsubscribe')) AS opt_outs
                    FROM inbound_messages i JOIN messages m ON m.id = i.message_id WHERE m.campaign_id = ? GROUP BY 1
                    """, arguments: [campaignId])
            {
                figures[row["variant"], default: VariantFigures()].replies = row["replies"]
                figures[row["variant"], default: VariantFigures()].optOuts = row["opt_outs"]
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.variant, COUNT(*) AS n, COUNT(r.score) AS scored, COALESCE(SUM(r.score), 0) AS score_sum
                    FROM survey_responses r JOIN messages m ON m.id = r.message_id WHERE m.campaign_id = ? GROUP BY 1
                    """, arguments: [campaignId])
            {
                figures[row["variant"], default: VariantFigures()].surveyAnswers = row["n"]
                figures[row["variant"], default: VariantFigures()].scored = row["scored"]
                figures[row["variant"], default: VariantFigures()].scoreSum = row["score_sum"]
            }
            return figures
        }
    }

    func foldInSmallSteps(_ store: SQLiteStore) async throws {
        while try await store.foldRollups(limit: 7).more {}
    }

    @Test func everyFigureEqualsTheMessagesTable() async throws {
        try await withStore { store, _ in
            let id = try await seedCampaign(store, name: "report", members: 60, now: now)
            // A message outside the campaign counts elsewhere.
            _ = try await store.enqueue(
                [NewMessage(idempotencyKey: "single", purpose: .single, channel: .sms, lane: .transactional, category: .service,
                    address: "+8613900000000", payload: MessageContent(text: "hi").json())], now: now)
            try await foldInSmallSteps(store)

            let leased = try await store.leaseDue(lane: .marketing, limit: 45, owner: "w", leaseUntil: now + 60, now: now + 1)
            #expect(leased.count == 45)
            let ids = leased.map(\.id)
            var results: [SendResult] = []
            for (index, id) in ids.enumerated() {
                let event: MessageEvent = switch index {
                case 0..<30: .accepted(providerMessageId: "p\(id)")
                case 30..<35: .permanentFailure(reason: "gateway rejected: 400 bad number \(id)")
                case 35..<38: .suppressed(reason: "opted_out")
                case 38..<40: .transientFailure(reason: "HTTP 503", retryAt: now + 30)
                default: .deferred(reason: "quiet_hours", until: now + 3600)
                }
                results.append(SendResult(messageId: id, gateway: "sim", segments: 1, costMicros: 45_000, event: event))
            }
            _ = try await store.recordSendResults(results, owner: "w", now: now + 2)
            try await foldInSmallSteps(store)
            // Receipts: 20 delivered after 3 s, 4 failed, and a refused one delivered after all.
            var receipts = ids[0..<20].map { MessageEventRequest(messageId: $0, event: .receipt(.delivered, detail: nil)) }
            receipts += ids[20..<24].map { MessageEventRequest(messageId: $0, event: .receipt(.failed, detail: "expired at carrier (code 7)")) }
            receipts.append(MessageEventRequest(messageId: ids[30], event: .receipt(.delivered, detail: nil)))
            _ = try await store.record(receipts, now: now + 5)
            // The rest accepted get no receipt: unconfirmed.
            #expect(try await store.expireUnconfirmed(channel: .sms, submittedBefore: now + 100, waited: 3600, limit: 100, now: now + 7200) == 6)
            try await foldInSmallSteps(store)
            // What came back, linked to the messages: replies, a key, opt-outs and survey answers (two scored).
            try await store.pool.write { db in
                for (index, kind) in ["reply", "reply", "dtmf", "optout", "unsubscribe", "reply"].enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO inbound_messages (channel, kind, from_address, body, member_id, message_id, gateway, provider_message_id, received_at)
                            SELECT 'sms', ?, address, 'x', member_id, id, 'sim', ?, ? FROM messages WHERE id = ?
                            """, arguments: [kind, "in-\(index)", (now + 10).unixMillis, ids[index]])
                }
                for (index, score) in [(0, 5), (1, 2), (2, nil)] as [(Int, Int?)] {
                    try db.execute(
                        sql: """
                            INSERT INTO survey_responses (member_id, message_id, score, answer, received_at, campaign_id, variant)
                            SELECT member_id, id, ?, 'x', ?, campaign_id, variant FROM messages WHERE id = ?
                            """, arguments: [score, (now + 10).unixMillis, ids[index]])
                }
            }
            // The campaign is cancelled: its unsent messages, in bulk.
            #expect(try await store.changeCampaign(id: id, .launch, startsLater: false, actor: "t", detail: nil, now: now) == .moved(to: .running))
            #expect(try await store.changeCampaign(id: id, .cancel, startsLater: false, actor: "t", detail: nil, now: now + 7300) == .moved(to: .cancelled))
            try await foldInSmallSteps(store)

            let figures = try await store.campaignFigures(campaignId: id)
            var expected = try await independent(store, campaignId: id)
            #expect(Set(figures.keys) == ["A", "B"])
            for variant in ["A", "B"] {
                let (got, want) = (try #require(figures[variant]), try #require(expected[variant]))
                #expect(got.byStatus.filter { $0.value != 0 } == want.byStatus, "\(variant)")
                #expect(got.reasons.mapValues { $0.filter { $0.value != 0 } }.filter { !$0.value.isEmpty } == want.reasons, "\(variant)")
                #expect(got.sent == want.sent && got.unconfirmed == want.unconfirmed, "\(variant)")
                #expect(got.segments == want.segments && got.costMicros == want.costMicros, "\(variant)")
                #expect(got.replies == want.replies && got.optOuts == want.optOuts, "\(variant)")
                #expect(got.surveyAnswers == want.surveyAnswers && got.scored == want.scored && got.scoreSum == want.scoreSum, "\(variant)")
                #expect(got.receiptSeconds.values.reduce(0, +) == want.receiptSeconds[-1], "\(variant)")
                expected[variant]?.receiptSeconds = got.receiptSeconds
            }
            let all = expected.values.reduce(into: [ReportStatus: Int]()) { $0.merge($1.byStatus, uniquingKeysWith: +) }
            #expect(all == [.delivered: 21, .failed: 8, .suppressed: 3, .pending: 0, .expired: 6, .cancelled: 22].filter { $0.value != 0 })
            #expect(figures.values.map(\.sent).reduce(0, +) == 30)
            // The cost: what the gateway reported (45,000 micro-yuan a message) wins over the configured price.
            #expect(figures.values.map { $0.cost(price: { _ in 0.5 }) }.reduce(0, +) == 30 * 45_000)
            var unpriced = try #require(figures["A"])
            unpriced.sentBy = unpriced.sentBy.map { SentCount(gateway: $0.gateway, channel: $0.channel, messages: $0.messages, segments: $0.segments * 2, costMicros: 0) }
            #expect(unpriced.cost(price: { $0 == "sim" ? 0.045 : nil }) == unpriced.sentBy.map(\.segments).reduce(0, +) * 45_000)
            #expect(unpriced.cost(price: { _ in nil }) == 0)
            #expect(figures.values.map(\.replies).reduce(0, +) == 4 && figures.values.map(\.optOuts).reduce(0, +) == 2)
            #expect(figures.values.map(\.surveyAnswers).reduce(0, +) == 3 && figures.values.map(\.scoreSum).reduce(0, +) == 7)
            // Receipts 3 s after acceptance: at most 4 s in the buckets.
            #expect(figures.values.compactMap { $0.receiptSeconds(at: 0.5) }.allSatisfy { $0 == 4 })
            // Reasons grouped without their numbers; the refusal delivered later no longer counts as failed.
            let failed = figures.values.reduce(into: [String: Int]()) { $0.merge($1.reasons[.failed] ?? [:], uniquingKeysWith: +) }
            #expect(failed.filter { $0.value != 0 } == ["gateway rejected": 4, "failed: expired at carrier": 4])
            let expired = figures.values.reduce(into: [String: Int]()) { $0.merge($1.reasons[.expired] ?? [:], uniquingKeysWith: +) }
            #expect(expired.filter { $0.value != 0 } == ["unconfirmed: no receipt within": 6])

            // The gateway and volume reports' counts are the campaign-keyed ones without the campaign.
            try await store.pool.read { db in
                for (traffic, keyed) in [
                    ("SELECT hour, gateway, channel, event, events, segments, cost_micros FROM traffic_counts WHERE events <> 0 ORDER BY 1, 2, 3, 4",
                     "SELECT hour, gateway, channel, event, SUM(events), SUM(segments), SUM(cost_micros) FROM message_event_counts GROUP BY 1, 2, 3, 4 HAVING SUM(events) <> 0 ORDER BY 1, 2, 3, 4"),
                    ("SELECT hour, gateway, bucket, receipts FROM gateway_latency ORDER BY 1, 2, 3",
                     "SELECT hour, gateway, bucket, SUM(receipts) FROM receipt_latency GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"),
                ] {
                    let (a, b) = (try Row.fetchAll(db, sql: traffic), try Row.fetchAll(db, sql: keyed))
                    #expect(!a.isEmpty && a.map { Array($0.databaseValues) } == b.map { Array($0.databaseValues) }, "\(traffic)")
                }
            }
            // Counted afresh from the same data, as the migration starts an existing store: the same figures.
            try await store.pool.write { db in
                try db.execute(sql: """
                    DELETE FROM message_counts; DELETE FROM message_event_counts; DELETE FROM receipt_latency;
                    DELETE FROM traffic_counts; DELETE FROM gateway_latency;
                    DELETE FROM answer_counts; DELETE FROM rollup_cursors
                    """)
                try SQLiteStore.startRollups(db)
                try SQLiteStore.startTraffic(db)
            }
            while try await store.foldRollups(limit: 100).more {}
            let fresh = try await store.campaignFigures(campaignId: id)
            for variant in ["A", "B"] {
                #expect(fresh[variant]?.byStatus.filter { $0.value != 0 } == figures[variant]?.byStatus.filter { $0.value != 0 })
                #expect(fresh[variant]?.sent == figures[variant]?.sent && fresh[variant]?.receiptSeconds == figures[variant]?.receiptSeconds)
                #expect(fresh[variant]?.replies == figures[variant]?.replies && fresh[variant]?.scoreSum == figures[variant]?.scoreSum)
            }
            #expect(try await store.foldRollups(limit: 100) == RollupFold())
        }
    }
}

/// Possible duplicates against the messages table: an acceptance after a
/// fail-over from an unanswered, pinned attempt, and one after a lost lease,
/// count for the gateway that accepted; a plain acceptance does not.
struct PossibleDuplicateTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func possibleDuplicatesEqualTheMessagesTable() async throws {
        try await withStore { store, _ in
            _ = try await store.enqueue(
                ["a", "b", "c"].map {
                    NewMessage(
                        idempotencyKey: $0, purpose: .single, channel: .sms, lane: .transactional, category: .service,
                        address: "+8613900000000", payload: MessageContent(text: "hi").json())
                }, now: now)
            let first = try await store.leaseDue(lane: .transactional, limit: 3, owner: "w", leaseUntil: now + 60, now: now)
            let (a, b, c) = (first[0].id, first[1].id, first[2].id)
            _ = try await store.recordSendResults(
                [
                    SendResult(messageId: a, gateway: "g1", event: .unanswered(reason: "timeout", retryAt: now + 1)),
                    SendResult(messageId: c, gateway: "g1", event: .accepted(providerMessageId: "pc")),
                ], owner: "w", now: now + 1)
            // b's sender is gone: its lease runs out.
            #expect(try await store.reconcileExpiredLeases(now: now + 120) == 1)
            let again = try await store.leaseDue(lane: .transactional, limit: 3, owner: "w2", leaseUntil: now + 300, now: now + 121)
            #expect(Set(again.map(\.id)) == [a, b])
            _ = try await store.recordSendResults(
                [
                    SendResult(messageId: a, gateway: "g2", event: .accepted(providerMessageId: "pa"), possibleDuplicate: true),
                    SendResult(messageId: b, gateway: "g1", event: .accepted(providerMessageId: "pb")),
                ], owner: "w2", now: now + 122)
            while try await store.foldRollups(limit: 2).more {}

            let counted = try await store.eventCounts(from: now - 3600, to: now + 3600)
                .filter { $0.event == EventCount.possibleDuplicate }
                .reduce(into: [String: Int]()) { $0[$1.gateway, default: 0] += $1.events }
            let expected = try await store.pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT gateway, COUNT(*) AS n FROM messages m WHERE submitted_at IS NOT NULL AND (possible_duplicate = 1
                          OR EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.event = 'lease_expired'))
                        GROUP BY gateway
                        """
                ).reduce(into: [String: Int]()) { $0[$1["gateway"]] = $1["n"] }
            }
            #expect(counted == expected && counted == ["g1": 1, "g2": 1])
        }
    }
}

struct ReportReasonTests {
    @Test(arguments: [
        ("gateway rejected: 400 bad number 17", "gateway rejected"),
        ("failed: expired at carrier (code 7)", "failed: expired at carrier"),
        ("unconfirmed: no receipt within 72 h", "unconfirmed: no receipt within"),
        ("opted_out", "opted_out"),
        ("failed: failed", "failed"),
        ("HTTP 503: service unavailable", "HTTP"),
        ("号码不存在（错误码 12）", "号码不存在"),
        ("12345", "unknown"),
    ])
    func reasonsAreGroupedWithoutTheirNumbers(reason: String, key: String) {
        #expect(ReportStatus.reasonKey(reason) == key)
    }
}
