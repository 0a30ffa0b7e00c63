/// How a branch confirmed it has an order ticket (`branch_tickets.acknowledged_by`).
public enum TicketAcknowledgement: String, Sendable, Codable, Hashable, CaseIterable {
    /// The fax machine at the branch took the sheet (the provider's delivered receipt).
    case faxReceipt = "fax_receipt"
    /// Someone at the branch pressed 1 on the escalation call.
    case keypad
}
