import GRDB

/// The schema as named, append-only migrations. Timestamps are INTEGER unix
/// milliseconds (UTC); money is INTEGER fen.
///
/// CHECK constraints list allowed values as `a = x OR a = y`, never
/// `a IN (x, y, z)`: SQLite builds a temporary b-tree for an IN list of more
/// than two values on every statement run, which made each insert 5x slower.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-records", migrate: createRecords)
        migrator.registerMigration("v1-outbox", migrate: createOutbox)
        migrator.registerMigration("v2-outbox-partial-indexes", migrate: partialOutboxIndexes)
        migrator.registerMigration("v3-message-binding", migrate: messageBinding)
        migrator.registerMigration("v4-automations", migrate: automations)
        migrator.registerMigration("v5-message-purpose", migrate: messagePurpose)
        migrator.registerMigration("v6-cursor-gaps", migrate: cursorGaps)
        migrator.registerMigration("v7-pinned-sends", migrate: pinnedSends)
        migrator.registerMigration("v8-receipt-inbox", migrate: receiptInbox)
        migrator.registerMigration("v9-message-uid", migrate: messageUID)
        migrator.registerMigration("v10-consent-ledger", migrate: consentLedger)
        migrator.registerMigration("v11-member-rfm", migrate: memberRFM)
        migrator.registerMigration("v12-campaigns", migrate: campaigns)
        migrator.registerMigration("v13-prospects", migrate: prospects)
        migrator.registerMigration("v14-segment-indexes", migrate: segmentIndexes)
        migrator.registerMigration("v15-lighter-outbox-indexes", migrate: lighterOutboxIndexes)
        migrator.registerMigration("v16-member-order-totals", migrate: memberOrderTotals)
        migrator.registerMigration("v17-survey-tasks", migrate: surveyTasks)
        migrator.registerMigration("v18-complaint-work-orders", migrate: complaintWorkOrders)
        migrator.registerMigration("v19-member-assignments", migrate: memberAssignments)
        migrator.registerMigration("v20-order-takers", migrate: orderTakers)
        migrator.registerMigration("v21-branch-tickets", migrate: branchTickets)
        migrator.registerMigration("v22-manager-briefs", migrate: managerBriefs)
        migrator.registerMigration("v23-api-tokens", migrate: apiTokens)
        migrator.registerMigration("v24-message-rollups", migrate: messageRollups)
        migrator.registerMigration("v25-answer-rollups", migrate: answerRollups)
        migrator.registerMigration("v26-branch-rollups", migrate: peopleReports)
        migrator.registerMigration("v27-campaign-orders", migrate: campaignOrders)
        migrator.registerMigration("v29-traffic-counts", migrate: trafficCounts)
        // v28 was named before v29 landed; registered last, so a store that has v29 applies it next.
        migrator.registerMigration("v28-dashboard", migrate: dashboard)
        return migrator
    }

    /// The due index holds only leasable rows, in exactly the order leasing
    /// takes them (lane, priority, due time, id), so a lease walks the index
    /// and stops at its limit instead of sorting the whole backlog; the lease
    /// index holds only rows being sent. Rows that are submitted or final —
    /// nearly all of them, in time — cost neither index anything.
    /// `Schema.leasable` is the condition the queries must repeat verbatim for
    /// SQLite to use the partial index.
    private static func partialOutboxIndexes(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX messages_due;
            CREATE INDEX messages_due ON messages(lane, priority DESC, next_attempt_at) WHERE \(leasable);
            DROP INDEX messages_lease;
            CREATE INDEX messages_lease ON messages(lease_until) WHERE status = 'sending';
            """)
    }

    /// A message bound to an order (confirmation, reservation reminder) keeps
    /// the order's scheduled time it was written for: at send time a moved or
    /// cancelled reservation drops it.
    private static func messageBinding(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE messages ADD COLUMN bound_at INTEGER;
            CREATE INDEX messages_order ON messages(order_id) WHERE order_id IS NOT NULL;
            """)
    }

    /// Where each automation has read up to (a row id, a scan time or a
    /// month), written in the transaction that enqueues what it found. The
    /// indexes serve the automations' scans: rows changed since a time, booked
    /// reservations and finished visits by time, resolved complaints by time.
    private static func automations(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE automation_cursors (
              name TEXT PRIMARY KEY,
              position INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX orders_updated ON orders(updated_at);
            CREATE INDEX orders_booked ON orders(scheduled_at) WHERE \(booked);
            CREATE INDEX orders_visited ON orders(COALESCE(scheduled_at, ordered_at)) WHERE \(visited);
            CREATE INDEX complaints_updated ON complaints(updated_at);
            CREATE INDEX complaints_resolved ON complaints(resolved_at) WHERE \(resolved);
            """)
    }

    /// What a message is for (`automation:<name>`, `campaign`, `single`) is a
    /// column set at enqueue; scans ask it instead of parsing idempotency keys.
    /// The purpose index serves scans over one automation's recent messages
    /// (with the inbound index: was it answered?), the campaign index the
    /// per-campaign reads to come.
    ///
    /// Rows written before this migration get the purpose of the automation
    /// whose shipped template they were rendered from (`messages.template`, set
    /// at enqueue), so a reminder queued just before an upgrade is still
    /// escalated and a key pressed on an earlier call still answers its
    /// booking; any other old row keeps NULL (unknown), never a guess.
    private static func messagePurpose(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE messages ADD COLUMN purpose TEXT;
            UPDATE messages SET purpose = CASE template
                WHEN 'order-confirmation' THEN 'automation:order_confirmation'
                WHEN 'reservation-reminder' THEN 'automation:reservation_reminder'
                WHEN 'reservation-call' THEN 'automation:reservation_call'
                WHEN 'late-delivery-apology' THEN 'automation:late_delivery_apology'
                WHEN 'revisit-survey' THEN 'automation:revisit_survey'
                WHEN 'points-expiry' THEN 'automation:points_expiry'
                WHEN 'win-back' THEN 'automation:win_back'
              END
              WHERE template IS NOT NULL;
            CREATE INDEX messages_purpose ON messages(purpose, created_at);
            CREATE INDEX messages_complaint ON messages(complaint_id) WHERE complaint_id IS NOT NULL;
            CREATE INDEX messages_campaign ON messages(campaign_id, variant) WHERE campaign_id IS NOT NULL;
            CREATE INDEX inbound_answering ON inbound_messages(message_id) WHERE message_id IS NOT NULL;
            """)
    }

    /// Row cursors keep the id ranges they passed without seeing a row (JSON
    /// `[[low, high, first_seen_ms], …]`): a writer that took an id there may
    /// still commit, and the next scan reads those ranges again.
    private static func cursorGaps(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE automation_cursors ADD COLUMN gaps TEXT NOT NULL DEFAULT '[]'")
    }

    /// A send that may have reached its provider without an answer is pinned
    /// to that gateway (`pinned_gateway`, `pinned_at`) and retried only there;
    /// `last_error_kind` says why the row is where it is (`unanswered`,
    /// `unconfirmed` for a receipt that never came); `possible_duplicate`
    /// marks a pinned message the config let fail over. The receipt index
    /// holds only rows waiting for a receipt, by channel and age, for the
    /// receipt timeout's scan.
    private static func pinnedSends(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE messages ADD COLUMN pinned_gateway TEXT;
            ALTER TABLE messages ADD COLUMN pinned_at INTEGER;
            ALTER TABLE messages ADD COLUMN last_error_kind TEXT;
            ALTER TABLE messages ADD COLUMN possible_duplicate INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX messages_awaiting_receipt ON messages(channel, submitted_at) WHERE status = 'submitted';
            """)
    }

    /// Receipts a webhook took, durable before its 200 and applied later,
    /// oldest first (the id is the arrival order). Only the rowid is indexed
    /// and `message_id` is no foreign key: an append must stay one cheap
    /// write, and a receipt may name a message we do not have.
    private static func receiptInbox(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE receipt_inbox (
              id INTEGER PRIMARY KEY,
              message_id INTEGER,
              gateway TEXT NOT NULL,
              provider_message_id TEXT,
              outcome TEXT NOT NULL,
              detail TEXT,
              address_invalid INTEGER NOT NULL,
              received_at INTEGER NOT NULL
            );
            """)
    }

    /// Every grant and revocation, appended and never changed (triggers refuse
    /// UPDATE and DELETE), for a member or for an address no member has. The
    /// `consents` and `address_consents` tables are the state derived from
    /// it (the latest entry by `at` per member or address, channel and
    /// category), written in the same transaction as each entry. The
    /// blacklist keeps its own history the same way. What `consents` held
    /// before the ledger existed becomes its first entries.
    private static func consentLedger(_ db: Database) throws {
        let channel = "channel = 'sms' OR channel = 'voice' OR channel = 'fax' OR channel = 'email'"
        let category = "category = 'service' OR category = 'marketing' OR category = 'survey'"
        try db.execute(sql: """
            CREATE TABLE consent_ledger (
              id INTEGER PRIMARY KEY,
              member_id INTEGER REFERENCES members(id),
              address TEXT,
              channel TEXT NOT NULL CHECK (\(channel)),
              category TEXT NOT NULL CHECK (\(category)),
              granted INTEGER NOT NULL CHECK (granted IN (0,1)),
              source TEXT NOT NULL,
              evidence TEXT,
              actor TEXT,
              at INTEGER NOT NULL,
              recorded_at INTEGER NOT NULL,
              dedupe_key TEXT UNIQUE,
              CHECK ((member_id IS NULL) <> (address IS NULL))
            );
            CREATE INDEX consent_ledger_member ON consent_ledger(member_id, at) WHERE member_id IS NOT NULL;
            CREATE INDEX consent_ledger_address ON consent_ledger(address, at) WHERE address IS NOT NULL;
            CREATE TRIGGER consent_ledger_no_update BEFORE UPDATE ON consent_ledger
              BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
            CREATE TRIGGER consent_ledger_no_delete BEFORE DELETE ON consent_ledger
              BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
            INSERT INTO consent_ledger (member_id, channel, category, granted, source, evidence, at, recorded_at)
              SELECT member_id, channel, category, granted, source, 'recorded before the ledger', changed_at, changed_at
              FROM consents ORDER BY changed_at;
            CREATE TABLE address_consents (
              address TEXT NOT NULL,
              channel TEXT NOT NULL CHECK (\(channel)),
              category TEXT NOT NULL CHECK (\(category)),
              granted INTEGER NOT NULL CHECK (granted IN (0,1)),
              source TEXT NOT NULL,
              changed_at INTEGER NOT NULL,
              PRIMARY KEY (address, channel, category)
            ) WITHOUT ROWID;
            CREATE TABLE blacklist_ledger (
              id INTEGER PRIMARY KEY,
              address TEXT NOT NULL,
              action TEXT NOT NULL CHECK (action = 'add' OR action = 'remove'),
              reason TEXT NOT NULL,
              actor TEXT NOT NULL,
              at INTEGER NOT NULL
            );
            CREATE INDEX blacklist_ledger_address ON blacklist_ledger(address, at);
            CREATE TRIGGER blacklist_ledger_no_update BEFORE UPDATE ON blacklist_ledger
              BEGIN SELECT RAISE(ABORT, 'the blacklist ledger is append-only'); END;
            CREATE TRIGGER blacklist_ledger_no_delete BEFORE DELETE ON blacklist_ledger
              BEGIN SELECT RAISE(ABORT, 'the blacklist ledger is append-only'); END;
            INSERT INTO blacklist_ledger (address, action, reason, actor, at)
              SELECT address, 'add', reason, added_by, added_at FROM blacklist ORDER BY added_at;
            """)
    }

    /// A random id per message, chosen once at enqueue: unique across
    /// databases (row ids and idempotency keys repeat from one to the next)
    /// and kept by every retry, so an email's Message-ID can be built on it.
    /// Rows from before get theirs here.
    private static func messageUID(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE messages ADD COLUMN uid TEXT NOT NULL DEFAULT '';
            UPDATE messages SET uid = lower(hex(randomblob(16)));
            """)
    }

    /// Each member's RFM scores as `tidings rfm` last computed them (members
    /// without an order in the window have no row).
    /// Campaigns: their lifecycle on the campaign row, one row per run
    /// (a cron campaign runs many times) with how far its fan-out got, the
    /// control group (recorded, never sent, for lift), and one event per
    /// change of the campaign — not one per message.
    private static func campaigns(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE campaigns ADD COLUMN file TEXT;
            ALTER TABLE campaigns ADD COLUMN launched_at INTEGER;
            ALTER TABLE campaigns ADD COLUMN paused_at INTEGER;
            CREATE INDEX campaigns_status ON campaigns(status);
            CREATE TABLE campaign_runs (
              campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
              run INTEGER NOT NULL,
              starts_at INTEGER NOT NULL,
              last_member_id INTEGER NOT NULL DEFAULT 0,
              audience INTEGER NOT NULL DEFAULT 0,
              control INTEGER NOT NULL DEFAULT 0,
              unreachable INTEGER NOT NULL DEFAULT 0,
              fanned_out_at INTEGER,
              created_at INTEGER NOT NULL,
              PRIMARY KEY (campaign_id, run)
            ) WITHOUT ROWID;
            CREATE TABLE campaign_control (
              campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
              run INTEGER NOT NULL,
              member_id INTEGER NOT NULL REFERENCES members(id),
              created_at INTEGER NOT NULL,
              PRIMARY KEY (campaign_id, run, member_id)
            ) WITHOUT ROWID;
            CREATE TABLE campaign_events (
              id INTEGER PRIMARY KEY,
              campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
              at INTEGER NOT NULL,
              event TEXT NOT NULL,
              detail TEXT,
              actor TEXT NOT NULL
            );
            CREATE INDEX campaign_events_campaign ON campaign_events(campaign_id, id);
            """)
    }

    private static func memberRFM(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE member_rfm (
              member_id INTEGER PRIMARY KEY REFERENCES members(id),
              recency_days INTEGER NOT NULL,
              frequency INTEGER NOT NULL,
              monetary_fen INTEGER NOT NULL,
              r INTEGER NOT NULL CHECK (r BETWEEN 1 AND 5),
              f INTEGER NOT NULL CHECK (f BETWEEN 1 AND 5),
              m INTEGER NOT NULL CHECK (m BETWEEN 1 AND 5),
              segment TEXT NOT NULL,
              computed_at INTEGER NOT NULL
            );
            CREATE INDEX member_rfm_segment ON member_rfm(segment);
            """)
    }

    /// Prospects are members marked `prospect = 1` (so segments and fan-out
    /// read one table), with where and when they enquired; the first order
    /// under their number clears the mark and writes one `conversions` row
    /// naming the campaign message that last reached them. The partial index
    /// holds only prospects, for segments that ask for them.
    private static func prospects(_ db: Database) throws {
        let source = """
            prospect_source IS NULL OR prospect_source = 'banquet_enquiry' OR prospect_source = 'reservation_enquiry'
              OR prospect_source = 'call_centre' OR prospect_source = 'other'
            """
        try db.execute(sql: """
            ALTER TABLE members ADD COLUMN prospect INTEGER NOT NULL DEFAULT 0 CHECK (prospect = 0 OR prospect = 1);
            ALTER TABLE members ADD COLUMN prospect_source TEXT CHECK (\(source));
            ALTER TABLE members ADD COLUMN enquired_at INTEGER;
            ALTER TABLE members ADD COLUMN enquiry_note TEXT;
            ALTER TABLE members ADD COLUMN converted_at INTEGER;
            CREATE INDEX members_prospects ON members(prospect_source, enquired_at) WHERE prospect = 1;
            CREATE TABLE conversions (
              id INTEGER PRIMARY KEY,
              member_id INTEGER NOT NULL UNIQUE REFERENCES members(id),
              order_id INTEGER REFERENCES orders(id),
              campaign_id INTEGER REFERENCES campaigns(id),
              message_id INTEGER REFERENCES messages(id),
              converted_at INTEGER NOT NULL
            );
            CREATE INDEX conversions_campaign ON conversions(campaign_id) WHERE campaign_id IS NOT NULL;
            """)
    }

    /// Segments ask per member for orders and spend in a window, complaints
    /// opened in a window and the latest survey score, a million times per
    /// count: each index answers its question alone, without reading the rows
    /// (`orders_member` gains `amount_fen`; its old columns stay its prefix).
    private static func segmentIndexes(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX orders_member;
            CREATE INDEX orders_member ON orders(member_id, ordered_at, amount_fen);
            CREATE INDEX complaints_member_opened ON complaints(member_id, opened_at);
            CREATE INDEX survey_responses_member ON survey_responses(member_id, received_at, id, score) WHERE score IS NOT NULL;
            """)
    }

    /// Two indexes every enqueue wrote for rows that never use them: a
    /// message has no provider id until a gateway accepts it (receipts look
    /// it up by one), and campaign messages are found by `campaign_id`, not
    /// by purpose (the automations' scans are). A campaign's fan-out writes
    /// two index entries fewer per message.
    private static func lighterOutboxIndexes(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX messages_provider;
            CREATE INDEX messages_provider ON messages(gateway, provider_message_id) WHERE provider_message_id IS NOT NULL;
            DROP INDEX messages_purpose;
            CREATE INDEX messages_purpose ON messages(purpose, created_at) WHERE \(automationPurpose);
            """)
    }

    /// Each member's orders ever and the sum of their positive amounts, kept
    /// by triggers on `orders` whatever writes them: an upper bound on the
    /// count and spend in any window, so a segment such as `spend(1y) > 1000`
    /// looks up the orders only of members whose totals could pass (a fifth
    /// of them at 1M, instead of every member). The same triggers keep
    /// `last_order_at` at least the latest order's time (a member whose last
    /// order is before a window has none in it). The bulk loader drops the
    /// triggers while it loads and recounts at the end (`recountOrderTotals`).
    private static func memberOrderTotals(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE members ADD COLUMN orders_total INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE members ADD COLUMN spend_total_fen INTEGER NOT NULL DEFAULT 0;
            \(orderTotalsTriggers)
            \(recountOrderTotals)
            """)
    }

    /// Survey answers become records and low scores follow-up tasks. One
    /// answer per survey message (the first; a later one is kept only as the
    /// inbound) and one per inbound, so a redelivery records nothing twice.
    /// A task knows the answer that opened it, the notifications it sent and
    /// when it was escalated, so the escalation happens once.
    private static func surveyTasks(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE survey_responses ADD COLUMN inbound_id INTEGER REFERENCES inbound_messages(id);
            ALTER TABLE survey_responses ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
            ALTER TABLE survey_responses ADD COLUMN variant TEXT;
            ALTER TABLE survey_responses ADD COLUMN comment TEXT;
            CREATE UNIQUE INDEX survey_responses_message ON survey_responses(message_id) WHERE message_id IS NOT NULL;
            CREATE UNIQUE INDEX survey_responses_inbound ON survey_responses(inbound_id) WHERE inbound_id IS NOT NULL;
            CREATE INDEX survey_responses_campaign ON survey_responses(campaign_id, variant)
              WHERE campaign_id IS NOT NULL;
            ALTER TABLE tasks ADD COLUMN survey_response_id INTEGER REFERENCES survey_responses(id);
            ALTER TABLE tasks ADD COLUMN notified_message_id INTEGER REFERENCES messages(id);
            ALTER TABLE tasks ADD COLUMN escalated_at INTEGER;
            ALTER TABLE tasks ADD COLUMN escalated_to INTEGER REFERENCES staff(id);
            ALTER TABLE tasks ADD COLUMN escalation_message_id INTEGER REFERENCES messages(id);
            ALTER TABLE tasks ADD COLUMN closed_at INTEGER;
            CREATE INDEX tasks_open ON tasks(member_id, reason) WHERE status = 'open';
            CREATE INDEX tasks_due ON tasks(due_at) WHERE status = 'open' AND escalated_at IS NULL;
            """)
    }

    /// A complaint goes to its department as a work order: when that notice
    /// was put in the outbox is kept on the complaint (the timeline shows it,
    /// and a scan never writes it twice); `resolution_kind` (refund, coupon…)
    /// chooses the template that tells the customer the result.
    private static func complaintWorkOrders(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE complaints ADD COLUMN department_notified_at INTEGER;
            ALTER TABLE complaints ADD COLUMN resolution_kind TEXT;
            """)
    }

    /// Every change of a member's owning manager (`members.manager_id`) is
    /// one row of an assignment batch (a hand-over, an import of
    /// assignments, an allocation run), so what became of each batch —
    /// ordered since, moved on, untouched — is read, not guessed.
    private static func memberAssignments(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE assignment_batches (
              id INTEGER PRIMARY KEY,
              kind TEXT NOT NULL CHECK (kind = 'handover' OR kind = 'import' OR kind = 'allocation'),
              from_staff_id INTEGER REFERENCES staff(id),
              source TEXT NOT NULL,
              actor TEXT NOT NULL,
              created_at INTEGER NOT NULL
            );
            CREATE TABLE member_assignments (
              batch_id INTEGER NOT NULL REFERENCES assignment_batches(id),
              member_id INTEGER NOT NULL REFERENCES members(id),
              staff_id INTEGER NOT NULL REFERENCES staff(id),
              previous_staff_id INTEGER REFERENCES staff(id),
              PRIMARY KEY (batch_id, member_id)
            ) WITHOUT ROWID;
            CREATE INDEX member_assignments_staff ON member_assignments(staff_id, batch_id);
            CREATE INDEX members_manager ON members(manager_id) WHERE manager_id IS NOT NULL;
            """)
    }

    /// Who took an order (a reservation through a manager), and each order
    /// taken by someone other than the member's own manager: recorded for
    /// the managers to settle, never a silent change of owner.
    private static func orderTakers(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE orders ADD COLUMN taken_by INTEGER REFERENCES staff(id);
            CREATE TABLE ownership_conflicts (
              id INTEGER PRIMARY KEY,
              order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id),
              member_id INTEGER NOT NULL REFERENCES members(id),
              owner_staff_id INTEGER NOT NULL REFERENCES staff(id),
              taker_staff_id INTEGER NOT NULL REFERENCES staff(id),
              recorded_at INTEGER NOT NULL
            );
            """)
    }

    /// A member's birthday is kept as `MM-DD` only: the brief needs the day,
    /// not the year (nor the age). A dormant member named in a manager's brief
    /// is theirs to call: `personal_calls` holds blanket marketing to them
    /// until `hold_until`, and keeps them out of later briefs for a while.
    private static func managerBriefs(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE members ADD COLUMN birthday TEXT CHECK (birthday IS NULL OR (length(birthday) = 5 AND substr(birthday, 3, 1) = '-'));
            CREATE TABLE personal_calls (
              member_id INTEGER PRIMARY KEY REFERENCES members(id),
              staff_id INTEGER NOT NULL REFERENCES staff(id),
              listed_at INTEGER NOT NULL,
              hold_until INTEGER NOT NULL
            );
            """)
    }

    /// The admin API's bearer tokens, by SHA-256 only; a name is unique among
    /// the tokens not revoked. The API's search by phone finds members' messages
    /// through `messages_member`; the partial address index serves the rest
    /// (single sends, staff notices), so campaign and automation inserts, which
    /// always name a member, pay nothing for it.
    private static func apiTokens(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE api_tokens (
              id INTEGER PRIMARY KEY,
              name TEXT NOT NULL,
              token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
              scopes TEXT NOT NULL,
              created_at INTEGER NOT NULL,
              created_by TEXT NOT NULL,
              last_used_at INTEGER,
              revoked_at INTEGER
            );
            CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;
            CREATE INDEX messages_unlinked_address ON messages(address) WHERE member_id IS NULL;
            """)
    }

    /// Delivery and banquet orders go to their branch ahead of time as
    /// tickets, one per branch and time slot (and one more for an order
    /// booked into a slot already sent). `branch_ticket_orders` has each
    /// order once, so no scan or restart tickets an order twice; the ticket
    /// keeps its message, its escalation call, and who acknowledged it how.
    /// The open index holds only tickets still waiting, by slot, for the
    /// escalation scan; the message indexes serve receipts and key presses.
    private static func branchTickets(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE branches ADD COLUMN email TEXT;
            CREATE TABLE branch_tickets (
              id INTEGER PRIMARY KEY,
              branch_id INTEGER NOT NULL REFERENCES branches(id),
              slot_start INTEGER NOT NULL,
              channel TEXT NOT NULL CHECK (channel = 'fax' OR channel = 'email' OR channel = 'sms'),
              message_id INTEGER NOT NULL REFERENCES messages(id),
              call_message_id INTEGER REFERENCES messages(id),
              created_at INTEGER NOT NULL,
              acknowledged_at INTEGER,
              acknowledged_by TEXT
                CHECK (acknowledged_by IS NULL OR acknowledged_by = 'fax_receipt' OR acknowledged_by = 'keypad'),
              escalated_at INTEGER
            );
            CREATE INDEX branch_tickets_branch ON branch_tickets(branch_id, slot_start);
            CREATE INDEX branch_tickets_open ON branch_tickets(slot_start) WHERE \(ticketOpen);
            CREATE INDEX branch_tickets_message ON branch_tickets(message_id);
            CREATE INDEX branch_tickets_call ON branch_tickets(call_message_id) WHERE call_message_id IS NOT NULL;
            CREATE TABLE branch_ticket_orders (
              order_id INTEGER PRIMARY KEY REFERENCES orders(id),
              ticket_id INTEGER NOT NULL REFERENCES branch_tickets(id)
            );
            CREATE INDEX branch_ticket_orders_ticket ON branch_ticket_orders(ticket_id);
            """)
    }

    /// The reports' rolled-up counts (see `Reports`), by the hour a message
    /// was created: messages by report status and reason, events (accepted,
    /// receipt time-outs…) by the hour they happened and gateway, receipt
    /// times in power-of-two buckets. Filled from what is there now, then
    /// kept by folding new messages and event rows past `rollup_cursors`.
    private static func messageRollups(_ db: Database) throws {
        let key = "hour INTEGER NOT NULL, campaign_id INTEGER NOT NULL, variant TEXT NOT NULL, purpose TEXT NOT NULL, channel TEXT NOT NULL"
        try db.execute(sql: """
            CREATE TABLE message_counts (
              \(key), status TEXT NOT NULL, reason TEXT NOT NULL, messages INTEGER NOT NULL,
              PRIMARY KEY (campaign_id, variant, hour, purpose, channel, status, reason)
            ) WITHOUT ROWID;
            CREATE TABLE message_event_counts (
              \(key), gateway TEXT NOT NULL, event TEXT NOT NULL,
              events INTEGER NOT NULL, segments INTEGER NOT NULL, cost_micros INTEGER NOT NULL,
              PRIMARY KEY (campaign_id, variant, hour, purpose, channel, gateway, event)
            ) WITHOUT ROWID;
            CREATE TABLE receipt_latency (
              \(key), gateway TEXT NOT NULL, bucket INTEGER NOT NULL, receipts INTEGER NOT NULL,
              PRIMARY KEY (campaign_id, variant, hour, purpose, channel, gateway, bucket)
            ) WITHOUT ROWID;
            CREATE TABLE rollup_cursors (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;
            """)
        try SQLiteStore.startRollups(db)
    }

    /// What came back, rolled up like the messages (see `Reports`): inbound
    /// rows by kind (reply, key, opt-out…) and survey answers with their
    /// scores, by the hour they came and the message they answer. The fold
    /// starts from the first row, so a store's earlier answers count too.
    private static func answerRollups(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE answer_counts (
              hour INTEGER NOT NULL, campaign_id INTEGER NOT NULL, variant TEXT NOT NULL, purpose TEXT NOT NULL, channel TEXT NOT NULL,
              kind TEXT NOT NULL, answers INTEGER NOT NULL, scored INTEGER NOT NULL, score_sum INTEGER NOT NULL,
              PRIMARY KEY (campaign_id, variant, hour, purpose, channel, kind)
            ) WITHOUT ROWID;
            """)
    }

    /// The branch report's counts (see `BranchFigure`), by branch and the
    /// hour (UTC) each thing happened, so any zone's days and hours of day
    /// are read from them. Orders, delivery feedback and complaints change
    /// after the fact with no event row: their triggers append each change to
    /// `branch_changes`, which the fold adds to `branch_counts` and empties;
    /// what is there now is counted here. Survey answers and apologies are
    /// folded from their first row by id, like the answers of v25.
    /// The partial index holds only members with a contact to fix, by when
    /// the row last changed, for the contacts report. Each change of a scored
    /// member's RFM segment is kept with the owning manager of the moment
    /// (written by a trigger, so every recomputation records it), for churn;
    /// a first score is no change (a member newly active is no churn).
    /// Tasks closed are found by when, for the managers report; gateway
    /// breaker openings are kept for the gateways report.
    private static func peopleReports(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE branch_counts (
              hour INTEGER NOT NULL, branch_id INTEGER NOT NULL, figure TEXT NOT NULL, label TEXT NOT NULL, bucket INTEGER NOT NULL,
              n INTEGER NOT NULL,
              PRIMARY KEY (hour, branch_id, figure, label, bucket)
            ) WITHOUT ROWID;
            CREATE TABLE branch_changes (
              id INTEGER PRIMARY KEY, hour INTEGER NOT NULL, branch_id INTEGER NOT NULL, figure TEXT NOT NULL, label TEXT NOT NULL,
              bucket INTEGER NOT NULL, n INTEGER NOT NULL
            );
            \(BranchTally.triggers)
            \(BranchTally.recount)
            CREATE INDEX members_contacts_to_fix ON members(updated_at) WHERE \(contactToFix);
            CREATE TABLE rfm_transitions (
              id INTEGER PRIMARY KEY,
              member_id INTEGER NOT NULL REFERENCES members(id),
              from_segment TEXT NOT NULL,
              to_segment TEXT NOT NULL,
              staff_id INTEGER REFERENCES staff(id),
              at INTEGER NOT NULL
            );
            CREATE INDEX rfm_transitions_at ON rfm_transitions(at);
            CREATE INDEX tasks_closed ON tasks(closed_at) WHERE closed_at IS NOT NULL;
            CREATE TABLE breaker_openings (id INTEGER PRIMARY KEY, gateway TEXT NOT NULL, at INTEGER NOT NULL);
            CREATE INDEX breaker_openings_at ON breaker_openings(at);
            CREATE TRIGGER member_rfm_update_transition AFTER UPDATE OF segment ON member_rfm WHEN OLD.segment IS NOT NEW.segment BEGIN
              INSERT INTO rfm_transitions (member_id, from_segment, to_segment, staff_id, at)
                VALUES (NEW.member_id, OLD.segment, NEW.segment, (SELECT manager_id FROM members WHERE id = NEW.member_id), NEW.computed_at);
            END;
            """)
    }

    /// Orders after a campaign chose a member (its message was created, or it
    /// was held out as control), rolled up for the report's orders within N
    /// days and the lift against control: each member's first order once per
    /// campaign (`campaign_buyers`), and counts by arm and days since
    /// chosen. Folded from new orders past their cursor, from the first one.
    private static func campaignOrders(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE campaign_buyers (
              campaign_id INTEGER NOT NULL, member_id INTEGER NOT NULL, control INTEGER NOT NULL, variant TEXT NOT NULL,
              day INTEGER NOT NULL,
              PRIMARY KEY (campaign_id, member_id)
            ) WITHOUT ROWID;
            CREATE TABLE campaign_order_counts (
              campaign_id INTEGER NOT NULL, control INTEGER NOT NULL, variant TEXT NOT NULL, day INTEGER NOT NULL,
              members INTEGER NOT NULL, orders INTEGER NOT NULL, spend_fen INTEGER NOT NULL,
              PRIMARY KEY (campaign_id, control, variant, day)
            ) WITHOUT ROWID;
            CREATE INDEX campaign_control_member ON campaign_control(member_id, created_at);
            """)
    }

    /// The gateway and volume reports' counts: events by hour, gateway,
    /// channel and kind, and receipt times by hour and gateway, without the
    /// campaign, variant and purpose the campaign counts are keyed by, so a
    /// month of traffic is a few thousand rows however many campaigns ran.
    /// Started from the campaign-keyed counts; the fold writes both.
    private static func trafficCounts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE traffic_counts (
              hour INTEGER NOT NULL, gateway TEXT NOT NULL, channel TEXT NOT NULL, event TEXT NOT NULL,
              events INTEGER NOT NULL, segments INTEGER NOT NULL, cost_micros INTEGER NOT NULL,
              PRIMARY KEY (hour, gateway, channel, event)
            ) WITHOUT ROWID;
            CREATE TABLE gateway_latency (
              hour INTEGER NOT NULL, gateway TEXT NOT NULL, bucket INTEGER NOT NULL, receipts INTEGER NOT NULL,
              PRIMARY KEY (hour, gateway, bucket)
            ) WITHOUT ROWID;
            CREATE INDEX answer_counts_hour ON answer_counts(hour);
            """)
        try SQLiteStore.startTraffic(db)
    }

    /// Unfinished messages by lane and status, kept by triggers as messages
    /// come, change status and go, for the dashboard that polls it while a
    /// backlog drains. Counting the partial indexes instead reads every
    /// waiting row (the status is not in them): ~40 ms for a 100,000 backlog
    /// on the 2-core test machine, where this is a read of a few rows.
    /// A row whose status is final counts nowhere.
    private static func dashboard(_ db: Database) throws {
        // OR, not IN: an IN list of more than two values costs a temporary b-tree each time a row is checked.
        // A campaign's fan-out counts its own chunk (`FanOutSQL.countQueued`): a trigger per inserted row made
        // a 1M-member fan-out a third slower (8.4 s against 6.3 s on the same seed).
        func unfinished(_ row: String) -> String {
            "(" + ["queued", "sending", "retrying", "deferred", "unknown", "submitted"].map { "\(row)status = '\($0)'" }
                .joined(separator: " OR ") + ")"
        }
        try db.execute(sql: """
            CREATE TABLE queue_depth (
              lane TEXT NOT NULL, status TEXT NOT NULL, messages INTEGER NOT NULL, PRIMARY KEY (lane, status)
            ) WITHOUT ROWID;
            INSERT INTO queue_depth (lane, status, messages)
              SELECT lane, status, COUNT(*) FROM messages WHERE \(unfinished("")) GROUP BY lane, status;
            CREATE TRIGGER messages_depth_insert AFTER INSERT ON messages
              WHEN NEW.purpose IS NOT 'campaign' AND \(unfinished("NEW.")) BEGIN
              INSERT INTO queue_depth (lane, status, messages) VALUES (NEW.lane, NEW.status, 1)
                ON CONFLICT (lane, status) DO UPDATE SET messages = messages + 1;
            END;
            CREATE TRIGGER messages_depth_update AFTER UPDATE OF status, lane ON messages
              WHEN OLD.status <> NEW.status OR OLD.lane <> NEW.lane BEGIN
              UPDATE queue_depth SET messages = messages - 1 WHERE lane = OLD.lane AND status = OLD.status;
              INSERT INTO queue_depth (lane, status, messages) SELECT NEW.lane, NEW.status, 1 WHERE \(unfinished("NEW."))
                ON CONFLICT (lane, status) DO UPDATE SET messages = messages + 1;
            END;
            CREATE TRIGGER messages_depth_delete AFTER DELETE ON messages WHEN \(unfinished("OLD.")) BEGIN
              UPDATE queue_depth SET messages = messages - 1 WHERE lane = OLD.lane AND status = OLD.status;
            END;
            """)
    }

    static let orderTotalsTriggers = """
        CREATE TRIGGER orders_totals_insert AFTER INSERT ON orders BEGIN
          UPDATE members SET orders_total = orders_total + 1, spend_total_fen = spend_total_fen + MAX(NEW.amount_fen, 0),
            last_order_at = MAX(COALESCE(last_order_at, NEW.ordered_at), NEW.ordered_at)
          WHERE id = NEW.member_id;
        END;
        CREATE TRIGGER orders_totals_delete AFTER DELETE ON orders BEGIN
          UPDATE members SET orders_total = orders_total - 1, spend_total_fen = spend_total_fen - MAX(OLD.amount_fen, 0)
          WHERE id = OLD.member_id;
        END;
        CREATE TRIGGER orders_totals_update AFTER UPDATE OF member_id, amount_fen, ordered_at ON orders BEGIN
          UPDATE members SET orders_total = orders_total - 1, spend_total_fen = spend_total_fen - MAX(OLD.amount_fen, 0)
          WHERE id = OLD.member_id;
          UPDATE members SET orders_total = orders_total + 1, spend_total_fen = spend_total_fen + MAX(NEW.amount_fen, 0),
            last_order_at = MAX(COALESCE(last_order_at, NEW.ordered_at), NEW.ordered_at)
          WHERE id = NEW.member_id;
        END;
        """

    /// Each member's totals counted from their orders: `member_id, orders, spend, latest`.
    static let orderTotalsByMember = """
        SELECT member_id, COUNT(*) AS orders, SUM(MAX(amount_fen, 0)) AS spend, MAX(ordered_at) AS latest FROM orders GROUP BY member_id
        """

    /// Every member's totals from their orders, in one pass (after a migration or a bulk load).
    static let recountOrderTotals = """
        UPDATE members SET orders_total = 0, spend_total_fen = 0 WHERE orders_total <> 0 OR spend_total_fen <> 0;
        UPDATE members SET orders_total = t.orders, spend_total_fen = t.spend,
          last_order_at = MAX(COALESCE(members.last_order_at, t.latest), t.latest)
        FROM (\(orderTotalsByMember)) t
        WHERE members.id = t.member_id;
        """

    /// The condition of `messages_purpose`, repeated verbatim by the queries that use it.
    static let automationPurpose = "purpose <> 'campaign'"

    /// Reservations and banquets still to come: what a reminder is for. Queries
    /// repeat these conditions verbatim so SQLite uses the partial indexes.
    static let booked = """
        (kind = 'reservation' OR kind = 'banquet') AND (status = 'placed' OR status = 'confirmed' OR status = 'booked' OR status = 'moved')
        """
    /// Orders delivered or eaten: what a revisit survey asks about.
    static let visited = "(status = 'delivered' OR status = 'completed')"
    /// Orders still to be prepared (any kind): what a branch ticket lists. Not
    /// dispatched or seated: the branch is already working on those.
    static let ticketable = "(status = 'placed' OR status = 'confirmed' OR status = 'booked' OR status = 'moved')"
    /// Branch tickets neither acknowledged nor escalated: the condition of `branch_tickets_open`.
    static let ticketOpen = "acknowledged_at IS NULL AND escalated_at IS NULL"
    static let resolved = "(status = 'resolved' OR status = 'closed')"

    /// A member with a phone, email or fax no message can reach: the condition of `members_contacts_to_fix`.
    static let contactToFix = """
        (phone_status = 'invalid' OR phone_status = 'bounced' OR email_status = 'invalid' OR email_status = 'bounced'
          OR fax_status = 'invalid' OR fax_status = 'bounced')
        """

    static let leasable = "(status = 'queued' OR status = 'retrying' OR status = 'deferred' OR status = 'unknown')"

    private static func createRecords(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE branches (
              id INTEGER PRIMARY KEY,
              code TEXT NOT NULL UNIQUE,
              name TEXT NOT NULL,
              district TEXT NOT NULL,
              address TEXT NOT NULL,
              phone TEXT,
              fax TEXT,
              seats INTEGER NOT NULL DEFAULT 0 CHECK (seats >= 0),
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            );
            CREATE TABLE staff (
              id INTEGER PRIMARY KEY,
              staff_no TEXT NOT NULL UNIQUE,
              name TEXT NOT NULL,
              role TEXT NOT NULL CHECK (role = 'manager' OR role = 'branch_manager' OR role = 'agent'),
              branch_id INTEGER REFERENCES branches(id),
              phone TEXT,
              email TEXT
            );
            CREATE TABLE members (
              id INTEGER PRIMARY KEY,
              member_no TEXT NOT NULL UNIQUE,
              name TEXT NOT NULL,
              phone TEXT,
              phone_status TEXT NOT NULL CHECK (phone_status = 'valid' OR phone_status = 'invalid' OR phone_status = 'bounced' OR phone_status = 'missing'),
              phone_reason TEXT,
              email TEXT,
              email_status TEXT NOT NULL CHECK (email_status = 'valid' OR email_status = 'invalid' OR email_status = 'bounced' OR email_status = 'missing'),
              email_reason TEXT,
              fax TEXT,
              fax_status TEXT NOT NULL CHECK (fax_status = 'valid' OR fax_status = 'invalid' OR fax_status = 'bounced' OR fax_status = 'missing'),
              fax_reason TEXT,
              level TEXT NOT NULL,
              points INTEGER NOT NULL DEFAULT 0,
              tags TEXT NOT NULL DEFAULT '',
              timezone TEXT NOT NULL,
              locale TEXT NOT NULL,
              branch_id INTEGER REFERENCES branches(id),
              manager_id INTEGER REFERENCES staff(id),
              joined_at INTEGER,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL,
              last_order_at INTEGER,
              last_contacted_at INTEGER
            );
            CREATE INDEX members_phone ON members(phone);
            CREATE INDEX members_email ON members(email);
            CREATE TABLE consents (
              member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
              channel TEXT NOT NULL CHECK (channel = 'sms' OR channel = 'voice' OR channel = 'fax' OR channel = 'email'),
              category TEXT NOT NULL CHECK (category = 'service' OR category = 'marketing' OR category = 'survey'),
              granted INTEGER NOT NULL CHECK (granted IN (0,1)),
              source TEXT NOT NULL,
              changed_at INTEGER NOT NULL,
              PRIMARY KEY (member_id, channel, category)
            ) WITHOUT ROWID;
            CREATE TABLE blacklist (
              id INTEGER PRIMARY KEY,
              address TEXT NOT NULL UNIQUE,
              reason TEXT NOT NULL,
              added_by TEXT NOT NULL,
              added_at INTEGER NOT NULL
            );
            CREATE TABLE menu_items (
              id INTEGER PRIMARY KEY,
              code INTEGER NOT NULL UNIQUE,
              name TEXT NOT NULL,
              price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
              category TEXT NOT NULL,
              active INTEGER NOT NULL DEFAULT 1
            );
            CREATE TABLE orders (
              id INTEGER PRIMARY KEY,
              order_no TEXT NOT NULL UNIQUE,
              member_id INTEGER NOT NULL REFERENCES members(id),
              branch_id INTEGER NOT NULL REFERENCES branches(id),
              source TEXT NOT NULL CHECK (source = 'ivr' OR source = 'agent' OR source = 'web' OR source = 'fax' OR source = 'email'),
              kind TEXT NOT NULL CHECK (kind = 'delivery' OR kind = 'reservation' OR kind = 'dine_in' OR kind = 'banquet'),
              status TEXT NOT NULL CHECK (status = 'placed' OR status = 'confirmed' OR status = 'booked' OR status = 'moved' OR status = 'cancelled' OR status = 'seated' OR status = 'dispatched' OR status = 'delivered' OR status = 'completed'),
              ordered_at INTEGER NOT NULL,
              scheduled_at INTEGER,
              party_size INTEGER,
              amount_fen INTEGER NOT NULL,
              address TEXT,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            );
            CREATE INDEX orders_member ON orders(member_id, ordered_at);
            CREATE INDEX orders_schedule ON orders(status, scheduled_at);
            CREATE TABLE order_items (
              order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
              line INTEGER NOT NULL,
              menu_item_id INTEGER NOT NULL REFERENCES menu_items(id),
              quantity INTEGER NOT NULL CHECK (quantity > 0),
              price_fen INTEGER NOT NULL,
              PRIMARY KEY (order_id, line)
            ) WITHOUT ROWID;
            CREATE TABLE delivery_feedback (
              id INTEGER PRIMARY KEY,
              order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id) ON DELETE CASCADE,
              outcome TEXT NOT NULL CHECK (outcome = 'on_time' OR outcome = 'late_30m' OR outcome = 'late_1h' OR outcome = 'wrong_address' OR outcome = 'not_delivered' OR outcome = 'damaged' OR outcome = 'cold'),
              note TEXT,
              recorded_at INTEGER NOT NULL
            );
            CREATE TABLE complaints (
              id INTEGER PRIMARY KEY,
              complaint_no TEXT NOT NULL UNIQUE,
              member_id INTEGER NOT NULL REFERENCES members(id),
              order_id INTEGER REFERENCES orders(id),
              channel TEXT NOT NULL,
              department TEXT NOT NULL,
              status TEXT NOT NULL CHECK (status = 'open' OR status = 'in_progress' OR status = 'resolved' OR status = 'closed'),
              description TEXT NOT NULL,
              resolution TEXT,
              opened_at INTEGER NOT NULL,
              resolved_at INTEGER,
              satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
              updated_at INTEGER NOT NULL
            );
            CREATE INDEX complaints_member ON complaints(member_id, status);
            CREATE TABLE points_ledger (
              id INTEGER PRIMARY KEY,
              member_id INTEGER NOT NULL REFERENCES members(id),
              delta INTEGER NOT NULL,
              reason TEXT NOT NULL,
              order_id INTEGER REFERENCES orders(id),
              expires_at INTEGER,
              idempotency_key TEXT UNIQUE,
              created_at INTEGER NOT NULL
            );
            CREATE INDEX points_ledger_member ON points_ledger(member_id, expires_at);
            CREATE TABLE tasks (
              id INTEGER PRIMARY KEY,
              member_id INTEGER NOT NULL REFERENCES members(id),
              staff_id INTEGER REFERENCES staff(id),
              reason TEXT NOT NULL,
              due_at INTEGER NOT NULL,
              status TEXT NOT NULL CHECK (status = 'open' OR status = 'done' OR status = 'dropped'),
              note TEXT,
              created_at INTEGER NOT NULL
            );
            """)
    }

    private static func createOutbox(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE campaigns (
              id INTEGER PRIMARY KEY,
              name TEXT NOT NULL UNIQUE,
              category TEXT NOT NULL,
              status TEXT NOT NULL,
              definition TEXT NOT NULL,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            );
            CREATE TABLE messages (
              id INTEGER PRIMARY KEY,
              idempotency_key TEXT NOT NULL UNIQUE,
              channel TEXT NOT NULL CHECK (channel = 'sms' OR channel = 'voice' OR channel = 'fax' OR channel = 'email'),
              lane TEXT NOT NULL CHECK (lane = 'transactional' OR lane = 'reminder' OR lane = 'marketing'),
              category TEXT NOT NULL CHECK (category = 'service' OR category = 'marketing' OR category = 'survey'),
              priority INTEGER NOT NULL DEFAULT 0,
              member_id INTEGER REFERENCES members(id),
              address TEXT NOT NULL,
              order_id INTEGER REFERENCES orders(id),
              complaint_id INTEGER REFERENCES complaints(id),
              campaign_id INTEGER REFERENCES campaigns(id),
              variant TEXT,
              template TEXT,
              locale TEXT,
              payload TEXT NOT NULL,
              not_before INTEGER NOT NULL,
              expires_at INTEGER,
              attempts INTEGER NOT NULL DEFAULT 0,
              max_attempts INTEGER NOT NULL DEFAULT 5,
              next_attempt_at INTEGER NOT NULL,
              lease_owner TEXT,
              lease_until INTEGER,
              gateway TEXT,
              provider_message_id TEXT,
              status TEXT NOT NULL CHECK (status = 'queued' OR status = 'sending' OR status = 'submitted' OR status = 'delivered' OR status = 'failed' OR status = 'expired' OR status = 'retrying' OR status = 'suppressed' OR status = 'deferred' OR status = 'cancelled' OR status = 'unknown'),
              status_reason TEXT,
              segments INTEGER,
              cost_micros INTEGER,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL,
              submitted_at INTEGER,
              final_at INTEGER
            );
            CREATE INDEX messages_due ON messages(lane, status, next_attempt_at);
            CREATE INDEX messages_lease ON messages(status, lease_until);
            CREATE INDEX messages_provider ON messages(gateway, provider_message_id);
            CREATE INDEX messages_member ON messages(member_id, created_at);
            CREATE TABLE message_events (
              id INTEGER PRIMARY KEY,
              message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
              at INTEGER NOT NULL,
              event TEXT NOT NULL,
              from_status TEXT NOT NULL,
              to_status TEXT NOT NULL,
              reason TEXT
            );
            CREATE INDEX message_events_message ON message_events(message_id, at);
            CREATE TABLE inbound_messages (
              id INTEGER PRIMARY KEY,
              channel TEXT NOT NULL,
              kind TEXT NOT NULL CHECK (kind = 'reply' OR kind = 'dtmf' OR kind = 'optout' OR kind = 'bounce' OR kind = 'unsubscribe'),
              from_address TEXT NOT NULL,
              to_address TEXT,
              body TEXT NOT NULL,
              member_id INTEGER REFERENCES members(id),
              message_id INTEGER REFERENCES messages(id),
              gateway TEXT,
              provider_message_id TEXT,
              received_at INTEGER NOT NULL,
              UNIQUE (gateway, provider_message_id)
            );
            CREATE INDEX inbound_member ON inbound_messages(member_id, received_at);
            CREATE TABLE survey_responses (
              id INTEGER PRIMARY KEY,
              member_id INTEGER NOT NULL REFERENCES members(id),
              message_id INTEGER REFERENCES messages(id),
              order_id INTEGER REFERENCES orders(id),
              complaint_id INTEGER REFERENCES complaints(id),
              score INTEGER,
              answer TEXT NOT NULL,
              received_at INTEGER NOT NULL
            );
            """)
    }
}
