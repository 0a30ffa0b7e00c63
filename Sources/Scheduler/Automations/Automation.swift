import CoreModel
import Foundation

/// One rule over the store: finds what is due at `now` and commits the
/// messages for it. What it committed before an error stays committed.
protocol Automation: Sendable {
    var name: AutomationName { get }
    var rule: AutomationRule { get }
    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws
}
