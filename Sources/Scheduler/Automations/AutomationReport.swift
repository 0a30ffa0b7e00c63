import Foundation

/// One scan over every enabled automation; a disabled one has no entry.
public struct AutomationReport: Sendable, Hashable, CustomStringConvertible {
    public var at: Date
    public var tallies: [AutomationName: AutomationTally]

    public init(at: Date, tallies: [AutomationName: AutomationTally] = [:]) {
        self.at = at
        self.tallies = tallies
    }

    public subscript(name: AutomationName) -> AutomationTally? { tallies[name] }

    public var enqueued: Int { tallies.values.reduce(0) { $0 + $1.enqueued } }
    public var failed: [AutomationName] { tallies.filter { $0.value.error != nil }.keys.sorted() }

    /// One line per automation: `order_confirmation: 3 enqueued, 1 duplicate, 2 skipped (stale: 2)`.
    public var description: String {
        tallies.keys.sorted().compactMap { name in
            guard let tally = tallies[name] else { return nil }
            var parts = ["\(tally.enqueued) enqueued", "\(tally.duplicates) duplicate"]
            if tally.pointsCredited > 0 { parts.append("\(tally.pointsCredited) points credits") }
            if tally.skippedCount > 0 {
                let reasons = tally.skipped.map { "\($0.key): \($0.value)" }.sorted().joined(separator: ", ")
                parts.append("\(tally.skippedCount) skipped (\(reasons))")
            }
            if let error = tally.error { parts.append("error: \(error)") }
            return "\(name.rawValue): \(parts.joined(separator: ", "))"
        }.joined(separator: "\n")
    }
}
