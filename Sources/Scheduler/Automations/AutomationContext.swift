import CoreModel
import Foundation

/// What every automation works with, and the two ways they walk the store.
struct AutomationContext: Sendable {
    let store: any AutomationScans
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
        Date(unixMillis: try await store.automationCursor(named: name.rawValue)?.position ?? 0)
    }

    /// How long a row cursor waits for an id it passed to commit (see `RowCursor`).
    static let commitPatience: TimeInterval = 600

    /// Follows a row cursor: page after page of rows past it or in its gaps,
    /// each page's messages and credits committed together with the advanced
    /// cursor, so a crash neither skips nor repeats a row, and a row that
    /// commits after a later one was read is still found.
    func followRows<Row>(
        _ name: AutomationName, now: Date, tally: inout AutomationTally,
        fetch: (_ cursor: RowCursor, _ limit: Int) async throws -> [Row], id: (Row) -> Int64,
        produce: (Row, inout AutomationTally) -> AutomationBatch
    ) async throws {
        var cursor = try await store.automationCursor(named: name.rawValue)?.rows ?? .start
        while true {
            let rows = try await fetch(cursor, batchSize)
            let next = cursor.advanced(over: rows.map(id), limit: batchSize, now: now, patience: Self.commitPatience)
            // Nothing read and no gap given up or shrunk: nothing to write.
            if rows.isEmpty && next == cursor { return }
            var batch = AutomationBatch()
            for row in rows {
                batch.append(produce(row, &tally))
            }
            cursor = next
            batch.cursor = AutomationCursor(name: name.rawValue, rows: cursor)
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
            pending.append(batch)
            if pending.messageCount >= batchSize {
                tally.record(try await store.commit(pending, now: now))
                pending = AutomationBatch()
            }
        }
        pending.cursor = cursor
        tally.record(try await store.commit(pending, now: now))
    }
}
