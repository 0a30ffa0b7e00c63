/// What one manager's members and work came to over a period (see `Reports.managerActivity`).
public struct ManagerActivity: Sendable, Hashable {
    /// Members assigned to the manager, by the kind of batch (`allocation`, `handover`, `import`).
    public var received: [String: Int] = [:]
    /// Members handed over from the manager to someone else.
    public var handedAway = 0
    /// Follow-up tasks open now.
    public var openTasks = 0
    /// Tasks closed in the period, by the whole hours from opening to closing (rounded up).
    public var closeHours: [Int: Int] = [:]
    /// Briefs (SMS or email) put in the outbox for the manager.
    public var briefs = 0
    /// Members named in the manager's briefs for a personal call.
    public var personalCalls = 0

    public init() {}
}
