/// A small, fast, deterministic generator (SplitMix64): the same seed gives
/// the same data on every machine. Inlinable: the demo seeder draws tens of
/// millions of numbers from another module, and a call (or an unspecialized
/// generic `pick`) per draw was a sixth of a seed's time.
@frozen
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<bound without modulo bias worth worrying about at these sizes.
    @inlinable
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// In 0..<1, in steps of a millionth: a roll against a rate.
    @inlinable
    public mutating func unit() -> Double { Double(next() % 1_000_000) / 1_000_000 }

    /// True with probability `percent`/100.
    @inlinable
    public mutating func chance(_ percent: Double) -> Bool { Double(next() % 1_000_000) < percent * 10_000 }

    @inlinable
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Picks by integer weights.
    @inlinable
    public mutating func pick<T>(_ weighted: [(T, Int)]) -> T {
        let total = weighted.reduce(0) { $0 + $1.1 }
        var roll = below(total)
        for (item, weight) in weighted {
            if roll < weight { return item }
            roll -= weight
        }
        return weighted[weighted.count - 1].0
    }
}
