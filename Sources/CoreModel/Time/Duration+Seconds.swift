extension Duration {
    /// The duration in seconds, for figures and logs.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
