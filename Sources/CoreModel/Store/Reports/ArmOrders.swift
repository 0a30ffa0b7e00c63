/// Orders after a campaign chose its members, for one arm: a variant (`-`
/// for none) or the control group, which was chosen the same way and sent
/// nothing. Members are counted once (their first order), orders and spend
/// every time, all within the days asked.
public struct ArmOrders: Sendable, Hashable, Codable {
    /// Members in the arm: the arm's messages (one per member and run), or the control group's rows.
    public var members: Int
    /// Members whose first order came within the days.
    public var ordered: Int
    public var orders: Int
    public var spendFen: Int

    public init(members: Int = 0, ordered: Int = 0, orders: Int = 0, spendFen: Int = 0) {
        self.members = members
        self.ordered = ordered
        self.orders = orders
        self.spendFen = spendFen
    }

    public mutating func add(_ other: ArmOrders) {
        members += other.members
        ordered += other.ordered
        orders += other.orders
        spendFen += other.spendFen
    }

    /// Ordered per member chosen; nil for an empty arm.
    public var rate: Double? { members == 0 ? nil : Double(ordered) / Double(members) }

    /// This arm's conversion rate minus `control`'s, with a 95 % confidence
    /// interval (normal approximation to the difference of two proportions,
    /// unpooled); nil when either arm is empty.
    public func lift(over control: ArmOrders) -> (lift: Double, low: Double, high: Double)? {
        guard let p = rate, let q = control.rate else { return nil }
        let se = (p * (1 - p) / Double(members) + q * (1 - q) / Double(control.members)).squareRoot()
        let lift = p - q
        return (lift, lift - 1.959964 * se, lift + 1.959964 * se)
    }
}

/// A campaign's orders by arm.
public struct CampaignOrders: Sendable, Hashable, Codable {
    public var variants: [String: ArmOrders]
    public var control: ArmOrders

    public init(variants: [String: ArmOrders] = [:], control: ArmOrders = ArmOrders()) {
        self.variants = variants
        self.control = control
    }

    /// Orders count for the arm that chose the member up to this many days before.
    public static let maxDays = 30
}
