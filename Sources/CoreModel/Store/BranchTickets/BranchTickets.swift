/// The order tickets sent to branches, for people to read. The automation
/// writes them through `AutomationScans.commit`; receipts and key presses
/// acknowledge them through the feedback rules' actions.
public protocol BranchTickets: Sendable {
    /// Latest slot first, then latest ticket first.
    func branchTickets(_ filter: BranchTicketFilter) async throws -> [BranchTicket]
}
