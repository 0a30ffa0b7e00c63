import Foundation
import Synchronization

/// The source of "now". Injected wherever time matters so tests can fix it.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until a test moves it.
public final class FixedClock: WallClock {
    private let instant: Mutex<Date>

    public init(_ instant: Date) { self.instant = Mutex(instant) }

    public func now() -> Date { instant.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

extension Date {
    /// Milliseconds since 1970, the unit of every `*_at` column.
    public var unixMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(unixMillis: Int64) { self.init(timeIntervalSince1970: Double(unixMillis) / 1000) }
}
