import Foundation

/// Recency, frequency and monetary value: how reservation systems find their
/// best and their slipping members. Over a window (a year by default), each
/// member who ordered gets 1–5 per measure by quintile among those members
/// (5: most recent, most orders, most spent; equal values share a score),
/// and a named segment from the R and F scores:
///
/// | R \ F | 1 | 2 | 3 | 4–5 |
/// | --- | --- | --- | --- | --- |
/// | 4–5 | new | potential | loyal | champions |
/// | 3 | potential | potential | loyal | loyal |
/// | 2 | hibernating | hibernating | at_risk | at_risk |
/// | 1 | lost | lost | at_risk | at_risk |
public enum RFMSegment: String, Sendable, Hashable, Codable, CaseIterable {
    case champions, loyal, potential, new, atRisk = "at_risk", hibernating, lost

    public init(r: Int, f: Int) {
        switch (r, f) {
        case (4..., 4...): self = .champions
        case (4..., 3), (3, 3...): self = .loyal
        case (4..., 1): self = .new
        case (3..., _): self = .potential
        case (_, 3...): self = .atRisk
        case (2, _): self = .hibernating
        default: self = .lost
        }
    }
}

/// What a recomputation found, and what it cost: the whole run, the scoring
/// read, and the longest any other writer had to wait for one of its writes.
public struct RFMSummary: Sendable, Hashable, Codable {
    public var windowDays: Int
    public var members: Int
    public var bySegment: [String: Int]
    public var seconds: Double
    public var readSeconds: Double
    public var longestWriteSeconds: Double
    public var writeTransactions: Int

    public init(
        windowDays: Int, members: Int, bySegment: [String: Int], seconds: Double, readSeconds: Double = 0,
        longestWriteSeconds: Double = 0, writeTransactions: Int = 0
    ) {
        self.windowDays = windowDays
        self.members = members
        self.bySegment = bySegment
        self.seconds = seconds
        self.readSeconds = readSeconds
        self.longestWriteSeconds = longestWriteSeconds
        self.writeTransactions = writeTransactions
    }
}
