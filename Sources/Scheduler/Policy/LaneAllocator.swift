import CoreModel

/// Splits one tick's batch capacity between lanes: each lane first gets up to
/// its reserved share, then what the others leave goes to lanes with a backlog
/// in serving order (transactional, reminder, marketing). A marketing backlog
/// can therefore never take transactional's share.
public struct LaneAllocator: Sendable, Hashable {
    /// Relative weights, e.g. percentages; a lane without one reserves nothing.
    public let reservations: [Lane: Int]

    public static let defaultReservations: [Lane: Int] = [.transactional: 50, .reminder: 30, .marketing: 20]

    public init(reservations: [Lane: Int] = Self.defaultReservations) {
        self.reservations = reservations.mapValues { max(0, $0) }
    }

    /// How many messages to lease per lane; the sum is at most `capacity`, and
    /// no lane gets more than is due in it.
    public func allocate(capacity: Int, due: [Lane: Int]) -> [Lane: Int] {
        let order = LanePriority.servingOrder
        var granted = Dictionary(uniqueKeysWithValues: order.map { ($0, 0) })
        guard capacity > 0 else { return granted }
        let totalWeight = order.reduce(0.0) { $0 + Double(reservations[$1] ?? 0) }
        var spare = capacity
        if totalWeight > 0 {
            for lane in order {
                // Rounded down (in Double, so large weights cannot overflow);
                // the remainder joins the spare pool below.
                let share = Int(Double(capacity) * Double(reservations[lane] ?? 0) / totalWeight)
                let take = min(share, max(0, due[lane] ?? 0), spare)
                granted[lane] = take
                spare -= take
            }
        }
        for lane in order where spare > 0 {
            let more = min(spare, max(0, due[lane] ?? 0) - (granted[lane] ?? 0))
            granted[lane, default: 0] += more
            spare -= more
        }
        return granted
    }
}
