import CoreModel
import Foundation
import Testing

/// The row cursor as a pure value: what it remembers after each page.
struct RowCursorTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func gap(_ low: Int64, _ high: Int64, _ since: Date) -> RowCursor.Gap {
        RowCursor.Gap(low: low, high: high, since: since)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var before: RowCursor
        var page: [Int64]
        var limit: Int
        var after: RowCursor
        var testDescription: String { name }
    }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let later = t0.addingTimeInterval(60)

    static let cases: [Case] = [
        Case(
            name: "contiguous rows leave no gap", before: .start, page: [1, 2, 3], limit: 5,
            after: RowCursor(position: 3)),
        Case(
            name: "an empty page changes nothing", before: RowCursor(position: 3), page: [], limit: 5,
            after: RowCursor(position: 3)),
        Case(
            name: "ids skipped become a gap", before: RowCursor(position: 3), page: [4, 7, 8], limit: 5,
            after: RowCursor(position: 8, gaps: [RowCursor.Gap(low: 5, high: 6, since: later)])),
        Case(
            name: "a row found in a gap splits it",
            before: RowCursor(position: 8, gaps: [RowCursor.Gap(low: 5, high: 7, since: t0)]),
            page: [6], limit: 5,
            after: RowCursor(
                position: 8,
                gaps: [RowCursor.Gap(low: 5, high: 5, since: t0), RowCursor.Gap(low: 7, high: 7, since: t0)])),
        Case(
            name: "a gap filled disappears",
            before: RowCursor(position: 8, gaps: [RowCursor.Gap(low: 5, high: 5, since: t0)]),
            page: [5, 9], limit: 5, after: RowCursor(position: 9)),
        Case(
            name: "a full page examined only up to its last row",
            before: RowCursor(position: 10, gaps: [RowCursor.Gap(low: 2, high: 8, since: t0)]),
            page: [3, 4], limit: 2,
            after: RowCursor(
                position: 10,
                gaps: [RowCursor.Gap(low: 2, high: 2, since: t0), RowCursor.Gap(low: 5, high: 8, since: t0)])),
        Case(
            name: "a full page of new rows moves to its last", before: RowCursor(position: 0), page: [1, 3], limit: 2,
            after: RowCursor(position: 3, gaps: [RowCursor.Gap(low: 2, high: 2, since: later)])),
        Case(
            name: "an old gap past a full page is kept until a page reads it",
            before: RowCursor(
                position: 20,
                gaps: [RowCursor.Gap(low: 2, high: 3, since: t0), RowCursor.Gap(low: 9, high: 9, since: t0.addingTimeInterval(-601))]),
            page: [2, 3], limit: 2,
            after: RowCursor(position: 20, gaps: [RowCursor.Gap(low: 9, high: 9, since: t0.addingTimeInterval(-601))])),
        Case(
            name: "a gap older than the patience is given up",
            before: RowCursor(position: 8, gaps: [RowCursor.Gap(low: 5, high: 5, since: t0.addingTimeInterval(-601))]),
            page: [], limit: 5, after: RowCursor(position: 8)),
    ]

    @Test(arguments: cases)
    func advancing(_ test: Case) {
        #expect(test.before.advanced(over: test.page, limit: test.limit, now: Self.later, patience: 600) == test.after)
    }

    @Test func gapsAreBoundedOldestFirst() {
        var cursor = RowCursor.start
        for page in 0..<(RowCursor.maxGaps + 5) {
            let base = Int64(page * 2)
            cursor = cursor.advanced(over: [base + 2], limit: 10, now: t0, patience: 600)
        }
        #expect(cursor.gaps.count == RowCursor.maxGaps)
        #expect(cursor.gaps.first?.low == 11, "the five oldest gaps were given up")
    }
}
