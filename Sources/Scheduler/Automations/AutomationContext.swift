import CoreModel
import Foundation

/// What every automation works with, and the two ways they walk the store.
struct AutomationContext: Sendable {
    let store: any AutomationStore
    let composer: MessageComposer
    /// Time zone and locale for members without their own.
    let defaults: RegionalDefaults
    /// Its name stands in for a missing branch name.
    let brand: Brand
    /// Rows read and written per transaction.
    let batchSize: Int

    /// Writers stamp `updated_at` with their own clock: a row written this
    /// long before the last scan's time still counts as changed since it.
    static let writeSlack: TimeInterval = 300

    var defaultTimeZone: TimeZone { TimeZone(identifier: defaults.timezone) ?? TimeZone(identifier: "UTC") ?? .current }

    func timeZone(of member: AutomationMember) -> TimeZone { TimeZone(identifier: member.timezone) ?? defaultTimeZone }

    /// The time the automation last scanned up to (1970 before its first scan).
    func horizon(_ name: AutomationName) async throws -> Date {
        Date(unixMillis: try await store.automationCursor(named: name.rawValue) ?? 0)
    }

    /// Follows a row-id cursor: page after page of rows after it, each page's
    /// messages and credits committed together with the cursor at its last row,
    /// so a crash neither skips nor repeats a row.
    func followRows<Row>(
        _ name: AutomationName, now: Date, tally: inout AutomationTally,
        fetch: (_ afterId: Int64, _ limit: Int) async throws -> [Row], id: (Row) -> Int64,
        produce: (Row, inout AutomationTally) -> AutomationBatch
    ) async throws {
        var position = try await store.automationCursor(named: name.rawValue) ?? 0
        while true {
            let rows = try await fetch(position, batchSize)
            guard let last = rows.last else { return }
            var batch = AutomationBatch()
            for row in rows {
                let produced = produce(row, &tally)
                batch.messages += produced.messages
                batch.credits += produced.credits
            }
            position = id(last)
            batch.cursor = AutomationCursor(name: name.rawValue, position: position)
            tally.record(try await store.commit(batch, now: now))
            if rows.count < batchSize { return }
        }
    }

    /// Commits what a scan produced in transactions of `batchSize` messages;
    /// the last one also moves the cursor, so it passes the scan only once
    /// everything the scan found is in the outbox.
    func commit(_ produced: [AutomationBatch], cursor: AutomationCursor, now: Date, tally: inout AutomationTally) async throws {
        var pending = AutomationBatch()
        for batch in produced {
            pending.messages += batch.messages
            pending.credits += batch.credits
            if pending.messages.count >= batchSize {
                tally.record(try await store.commit(pending, now: now))
                pending = AutomationBatch()
            }
        }
        pending.cursor = cursor
        tally.record(try await store.commit(pending, now: now))
    }
}
