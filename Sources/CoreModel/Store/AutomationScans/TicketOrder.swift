import Foundation

/// An order as its branch's ticket shows it: what to prepare, for when, for
/// whom (the branch may need to call the customer), and where the ticket goes.
public struct TicketOrder: Sendable, Hashable {
    /// A branch with the contacts a ticket and its escalation call may use.
    public struct Branch: Sendable, Hashable {
        public var id: Int64
        public var code: String
        public var name: String
        public var phone: String?
        public var fax: String?
        public var email: String?

        public init(id: Int64, code: String, name: String, phone: String?, fax: String?, email: String?) {
            self.id = id
            self.code = code
            self.name = name
            self.phone = phone
            self.fax = fax
            self.email = email
        }

        /// The fax number, email or phone (SMS) for `channel`; nil when the branch has none (voice: no ticket channel).
        public func address(for channel: Channel) -> String? {
            let value: String?
            switch channel {
            case .fax: value = fax
            case .email: value = email
            case .sms: value = phone
            case .voice: value = nil
            }
            return value.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// A dish and how many.
    public struct Item: Sendable, Hashable {
        public var name: String
        public var quantity: Int

        public init(name: String, quantity: Int) {
            self.name = name
            self.quantity = quantity
        }
    }

    public var id: Int64
    public var orderNo: String
    public var kind: OrderKind
    public var scheduledAt: Date
    public var partySize: Int?
    public var amountFen: Int
    /// The delivery address.
    public var address: String?
    public var memberName: String
    /// The customer's phone as stored, whatever its status: the branch calls it, the ticket is a service document.
    public var memberPhone: String?
    public var items: [Item]
    public var branch: Branch

    public init(
        id: Int64, orderNo: String, kind: OrderKind, scheduledAt: Date, partySize: Int?, amountFen: Int,
        address: String?, memberName: String, memberPhone: String?, items: [Item], branch: Branch
    ) {
        self.id = id
        self.orderNo = orderNo
        self.kind = kind
        self.scheduledAt = scheduledAt
        self.partySize = partySize
        self.amountFen = amountFen
        self.address = address
        self.memberName = memberName
        self.memberPhone = memberPhone
        self.items = items
        self.branch = branch
    }
}
