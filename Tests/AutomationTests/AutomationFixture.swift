import Campaigns
import CoreModel
import Foundation
import GRDB
import Logging
import Scheduler
import TestSupport

/// A fresh SQLite store in a temporary directory with branch B1 (天河店),
/// removed afterwards.
func withAutomationStore<T>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
    try await withTemporaryDirectory("tidings-automation-test") { directory in
        let store = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
        let branch = Branch(code: "B1", name: "天河店", district: "天河区", address: "天河路1号", phone: nil, fax: nil, seats: 120)
        try await store.load(.branches([branch]))
        return try await body(store)
    }
}

extension SQLiteStore {
    /// Imports rows as `tidings import` would; every row must go in.
    func load(_ batch: ImportBatch) async throws {
        let outcomes = try await apply(batch, dryRun: false)
        if let rejected = outcomes.first(where: { if case .rejected = $0 { true } else { false } }) {
            throw FixtureRejected(outcome: rejected)
        }
    }

    /// The same file opened again: what a restarted worker sees.
    func reopened() throws -> SQLiteStore { try SQLiteStore(path: path) }
}

struct FixtureRejected: Error {
    let outcome: RowOutcome
}

/// The repository's own templates/.
let shippedTemplates = TemplateLibrary(
    directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates", isDirectory: true))

/// The default `automations:` with every automation off but `enabled`, changed by `edit`.
func automationConfig(
    enabled: Set<AutomationName>, _ edit: (inout AutomationSettings) -> Void = { _ in }
) -> AutomationSettings {
    var a = AutomationSettings.defaults
    a.orderConfirmation.enabled = enabled.contains(.orderConfirmation)
    a.reservationReminder.enabled = enabled.contains(.reservationReminder)
    a.reservationCall.enabled = enabled.contains(.reservationCall)
    a.lateDeliveryApology.enabled = enabled.contains(.lateDeliveryApology)
    a.revisitSurvey.enabled = enabled.contains(.revisitSurvey)
    a.pointsExpiry.enabled = enabled.contains(.pointsExpiry)
    a.winBack.enabled = enabled.contains(.winBack)
    a.complaintWorkOrder.enabled = enabled.contains(.complaintWorkOrder)
    a.complaintResolution.enabled = enabled.contains(.complaintResolution)
    a.managerBrief.enabled = enabled.contains(.managerBrief)
    a.branchTicket.enabled = enabled.contains(.branchTicket)
    edit(&a)
    return a
}

/// A runner over `settings` with the default regional defaults and brand.
func automationRunner(
    _ store: SQLiteStore, _ settings: AutomationSettings, renderer: any MessageRenderer = shippedTemplates
) -> AutomationRunner {
    AutomationRunner(
        store: store, settings: settings, defaults: .defaults, brand: .defaults, renderer: renderer,
        logger: Logger(label: "test.automations"), batchSize: 2)
}

let shanghai = TimeZone(identifier: "Asia/Shanghai")!

/// Now, to the minute: rows imported during a test carry the real time in `updated_at`.
func currentMinute() -> Date {
    Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
}

/// A time written as in Shanghai: `shanghaiTime("2026-06-02 10:00")`.
func shanghaiTime(_ text: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = shanghai
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.date(from: text)!
}

func member(
    _ no: String, name: String = "李女士", phone: String? = "+8613812345678", email: String? = nil, points: Int = 0, locale: String = "zh-CN"
) -> Member {
    Member(
        memberNo: no, name: name, phone: phone.map(ContactField.valid) ?? .missing, email: email.map(ContactField.valid) ?? .missing,
        points: points, locale: locale, branchCode: "B1")
}

func order(
    _ no: String, member: String = "M1", kind: OrderKind = .delivery, status: OrderStatus = .placed, orderedAt: Date,
    scheduledAt: Date? = nil, partySize: Int? = nil, amountFen: Int = 36800
) -> Order {
    Order(
        orderNo: no, memberNo: member, branchCode: "B1", source: .agent, kind: kind, status: status, orderedAt: orderedAt,
        scheduledAt: scheduledAt, partySize: partySize, amountFen: amountFen)
}

/// One outbox row as a test reads it.
struct OutboxRow: Hashable {
    var key: String
    var channel: String
    var lane: String
    var category: String
    var priority: Int
    var address: String
    var template: String?
    var text: String?
    var notBefore: Date
    var expiresAt: Date?
    var boundAt: Date?
    var orderNo: String?
}

extension SQLiteStore {
    func outbox() throws -> [OutboxRow] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.idempotency_key, m.channel, m.lane, m.category, m.priority, m.address, m.template, m.payload, m.not_before,
                      m.expires_at, m.bound_at, o.order_no
                    FROM messages m LEFT JOIN orders o ON o.id = m.order_id ORDER BY m.id
                    """
            ).map { row in
                OutboxRow(
                    key: row["idempotency_key"], channel: row["channel"], lane: row["lane"], category: row["category"], priority: row["priority"],
                    address: row["address"], template: row["template"], text: MessageContent.decode(row["payload"])?.text,
                    notBefore: Date(unixMillis: row["not_before"]), expiresAt: (row["expires_at"] as Int64?).map(Date.init(unixMillis:)),
                    boundAt: (row["bound_at"] as Int64?).map(Date.init(unixMillis:)), orderNo: row["order_no"])
            }
        }
    }

    /// Ledger rows with `key`: (points, expires_at).
    func ledger(key: String) throws -> [(points: Int, expiresAt: Date?)] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT delta, expires_at FROM points_ledger WHERE idempotency_key = ?", arguments: [key]).map {
                (points: $0["delta"], expiresAt: ($0["expires_at"] as Int64?).map(Date.init(unixMillis:)))
            }
        }
    }

    func points(of memberNo: String) async throws -> Int? {
        try await memberProfile(memberNo: memberNo, timelineLimit: 1)?.member.points
    }
}

extension Date {
    func adding(hours: Double = 0, minutes: Double = 0, days: Double = 0) -> Date {
        addingTimeInterval(hours * 3600 + minutes * 60 + days * 86400)
    }
}
