/// Counts by an ordered bucket: a receipt time's power of two, the whole hours a complaint took.
public enum BucketCounts {
    /// The bucket holding the `fraction` rank of `counts` (0.5: the median); nil when they count nothing.
    public static func bucket(at fraction: Double, of counts: [Int: Int]) -> Int? {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((Double(total) * fraction).rounded(.up)))
        var seen = 0
        for bucket in counts.keys.sorted() {
            seen += counts[bucket] ?? 0
            if seen >= rank { return bucket }
        }
        return nil
    }
}
