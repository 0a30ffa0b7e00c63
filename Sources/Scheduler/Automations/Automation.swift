import CoreModel
import Foundation

/// One rule over the store: finds what is due at `now` and commits the
/// messages for it. What it committed before an error stays committed.
protocol Automation: Sendable {
    var name: AutomationName { get }
    var rule: AutomationRule { get }
    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws
    /// Every template it may render, each checked before a scan (the rule's, and any others it chooses from).
    var templates: [String] { get }
    /// The channels whose files those templates need: the rule's, and any other part it renders.
    var templateChannels: [Channel] { get }
    /// Each template with each channel it is rendered for: every template on
    /// every channel, unless the automation renders its templates on different ones.
    var templateParts: [(template: String, channel: Channel)] { get }
}

extension Automation {
    var templates: [String] { [rule.template] }
    var templateChannels: [Channel] { rule.channels }
    var templateParts: [(template: String, channel: Channel)] {
        templates.flatMap { template in templateChannels.map { (template, $0) } }
    }
}
