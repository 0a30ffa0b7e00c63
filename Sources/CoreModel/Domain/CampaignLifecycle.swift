import Foundation

/// Where a campaign is: draft → scheduled → running ⇄ paused → completed | cancelled.
public enum CampaignStatus: String, Sendable, Codable, CaseIterable {
    case draft, scheduled, running, paused, completed, cancelled

    /// Nothing more happens to a campaign in these.
    public var isFinal: Bool { self == .completed || self == .cancelled }
}

/// What someone (or the worker's clock) does to a campaign.
public enum CampaignAction: String, Sendable, Codable, CaseIterable {
    /// Its messages are in the outbox (or will be, at its start): scheduled until the start, then running.
    case launch
    /// The start time came (the worker).
    case start
    case pause, resume, cancel
    /// Every message reached a final state and no run is left (the worker).
    case complete
}

/// The campaign lifecycle as a pure function, like the message state machine:
/// the store applies only what it allows and records one event per change.
public enum CampaignLifecycle {
    public enum Outcome: Sendable, Hashable {
        case moved(to: CampaignStatus)
        /// Already there (a second pause): nothing to do, not an error.
        case unchanged
        case refused(reason: String)
    }

    /// `startsLater`: the first run is in the future (a launch then only schedules).
    public static func apply(_ command: CampaignAction, to status: CampaignStatus, startsLater: Bool = false) -> Outcome {
        switch (command, status) {
        case (.launch, .draft): return .moved(to: startsLater ? .scheduled : .running)
        case (.launch, .scheduled), (.launch, .running), (.launch, .paused): return .unchanged
        case (.start, .scheduled): return .moved(to: .running)
        case (.start, .running): return .unchanged
        case (.pause, .scheduled), (.pause, .running): return .moved(to: .paused)
        case (.pause, .paused): return .unchanged
        case (.resume, .paused): return .moved(to: startsLater ? .scheduled : .running)
        case (.resume, .running), (.resume, .scheduled): return .unchanged
        case (.cancel, .draft), (.cancel, .scheduled), (.cancel, .running), (.cancel, .paused): return .moved(to: .cancelled)
        case (.cancel, .cancelled): return .unchanged
        case (.complete, .running): return .moved(to: .completed)
        case (.complete, .completed): return .unchanged
        default:
            return .refused(reason: "cannot \(command.rawValue) a campaign that is \(status.rawValue)")
        }
    }
}
