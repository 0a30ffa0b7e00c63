import Foundation
import Testing

/// A round instant for tests that only care about offsets from it.
let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)

/// "2026-03-08T04:00:00Z" as a Date.
func instant(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
}

func zone(_ identifier: String) throws -> TimeZone {
    try #require(TimeZone(identifier: identifier))
}
