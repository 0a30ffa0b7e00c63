import Foundation

/// A campaign as stored: its definition (JSON of the campaign file, owned by
/// the Campaigns module; the store keeps it whole) and where it is in its lifecycle.
public struct CampaignRecord: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var category: ConsentCategory
    public var status: CampaignStatus
    /// The campaign file's content, as JSON.
    public var definition: String
    /// The file it was created from, for messages.
    public var file: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var launchedAt: Date?

    public init(
        id: Int64, name: String, category: ConsentCategory, status: CampaignStatus, definition: String, file: String?,
        createdAt: Date, updatedAt: Date, launchedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.status = status
        self.definition = definition
        self.file = file
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.launchedAt = launchedAt
    }
}

/// One row of `campaign_events`: what happened to a campaign (not to each message).
public struct CampaignEvent: Sendable, Hashable {
    public var at: Date
    public var event: String
    public var detail: String?
    public var actor: String

    public init(at: Date, event: String, detail: String?, actor: String) {
        self.at = at
        self.event = event
        self.detail = detail
        self.actor = actor
    }
}

/// A campaign's messages by variant and status, for `campaign show` and progress.
public struct CampaignProgress: Sendable, Hashable {
    public var counts: [String: [MessageStatus: Int]]
    /// Per run: audience, control, unreachable as fanned out.
    public var runs: [CampaignRun]

    public init(counts: [String: [MessageStatus: Int]], runs: [CampaignRun]) {
        self.counts = counts
        self.runs = runs
    }

    public func total(_ statuses: Set<MessageStatus>) -> Int {
        counts.values.reduce(0) { sum, byStatus in sum + byStatus.filter { statuses.contains($0.key) }.values.reduce(0, +) }
    }

    /// Messages not yet in a final state (still to send, or awaiting a receipt).
    public var unfinished: Int { total([.queued, .retrying, .deferred, .sending, .unknown]) }
}

public struct CampaignRun: Sendable, Hashable {
    public var run: Int64
    public var startsAt: Date
    public var result: FanOutResult
    public var fannedOutAt: Date?

    public init(run: Int64, startsAt: Date, result: FanOutResult, fannedOutAt: Date?) {
        self.run = run
        self.startsAt = startsAt
        self.result = result
        self.fannedOutAt = fannedOutAt
    }
}

/// Who a campaign message goes to, read at send time to render it.
public struct CampaignRecipient: Sendable, Hashable {
    public var member: Member
    public var branchName: String?

    public init(member: Member, branchName: String?) {
        self.member = member
        self.branchName = branchName
    }
}
