import Foundation

/// Which manager owns which members (客必得's customer pools): hand-overs
/// from a departing manager in one step, and what became of each batch of
/// members a manager was given. Every change of owner is recorded in an
/// assignment batch, so the tracking reads what happened, not a guess.
public protocol Ownership: Sendable {
    /// Staff who can own members, with how many they own.
    func managers() async throws -> [ManagerSummary]

    /// Moves every member `from` owns, and their open tasks, to `to` in one
    /// transaction, as one batch, and tells `to` (SMS, else email) with the
    /// text `notice` writes from what moved. Refused (nothing moves) if either
    /// is unknown, they are the same person, or `to` is not a manager.
    func handOver(
        from: String, to: String, actor: String, now: Date, notice: @Sendable (HandoverCounts) -> String
    ) async throws -> HandoverResult

    /// Members (not prospects) without an owning manager, in member order.
    func unownedMembers() async throws -> [UnownedMember]

    /// Gives each member (number → staff number) to that manager as one
    /// `allocation` batch, in one transaction; a member who got a manager in
    /// the meantime is left alone.
    func allocate(_ assignments: [String: String], source: String, actor: String, now: Date) async throws -> AllocationOutcome

    /// Orders taken by someone other than the member's own manager, newest first.
    func ownershipConflicts(limit: Int) async throws -> [OwnershipConflict]

    /// Each batch of members given to a manager, newest first: how many
    /// have ordered since, went to another manager since, or are untouched.
    func allocationBatches(managerNo: String?, limit: Int) async throws -> [AllocationBatch]
}
