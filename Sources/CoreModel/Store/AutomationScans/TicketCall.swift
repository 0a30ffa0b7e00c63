/// The escalation of a ticket nobody acknowledged in time: the call to the
/// branch, or nil when it has no phone (escalated once all the same, so it is
/// not looked at again). Written only while the ticket is still unacknowledged.
public struct TicketCall: Sendable, Hashable {
    public var ticketId: Int64
    public var message: NewMessage?

    public init(ticketId: Int64, message: NewMessage?) {
        self.ticketId = ticketId
        self.message = message
    }
}
