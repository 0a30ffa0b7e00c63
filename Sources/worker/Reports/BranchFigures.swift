import CoreModel

/// One branch's figures over a day or the whole window, added up from its counts.
struct BranchFigures {
    var orders: [OrderSource: Int] = [:]
    /// Orders by hour of day (0–23) in the group's zone.
    var ordersByHour: [Int: Int] = [:]
    var deliveries: [DeliveryOutcome: Int] = [:]
    var apologies = 0
    var answers = 0
    var scored = 0
    var scoreSum = 0
    var complaints = 0
    /// Complaints resolved, by whole hours taken.
    var resolveHours: [Int: Int] = [:]

    mutating func add(_ count: BranchCount, hourOfDay: Int) {
        switch count.figure {
        case .order:
            guard let source = OrderSource(rawValue: count.label) else { return }
            orders[source, default: 0] += count.count
            ordersByHour[hourOfDay, default: 0] += count.count
        case .delivery:
            guard let outcome = DeliveryOutcome(rawValue: count.label) else { return }
            deliveries[outcome, default: 0] += count.count
        case .apology: apologies += count.count
        case .survey:
            answers += count.count
            if let score = Int(count.label) {
                scored += count.count
                scoreSum += score * count.count
            }
        case .complaint: complaints += count.count
        case .resolved: resolveHours[count.bucket, default: 0] += count.count
        }
    }

    var orderCount: Int { orders.values.reduce(0, +) }
    var late: Int { deliveries.filter { $0.key.isLate }.values.reduce(0, +) }
    var undelivered: Int { deliveries.filter { $0.key.isUndelivered }.values.reduce(0, +) }
    var resolved: Int { resolveHours.values.reduce(0, +) }
    var meanScore: ReportValue { scored == 0 ? .none : .amount(Double(scoreSum) / Double(scored), decimals: 2) }

    /// The busiest hour of day (`14:00`), the earliest of equals; `-` without orders.
    var busiestHour: ReportValue {
        guard let top = ordersByHour.filter({ $0.value > 0 }).max(by: { ($0.value, $1.key) < ($1.value, $0.key) })
        else { return .none }
        return .text(String(format: "%02d:00", top.key))
    }

    /// Whole hours within which `fraction` of the resolved complaints were resolved.
    func resolveHours(at fraction: Double) -> ReportValue {
        BucketCounts.bucket(at: fraction, of: resolveHours).map(ReportValue.count) ?? .none
    }
}
