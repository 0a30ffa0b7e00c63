/// A restaurant branch: delivers orders, seats reservations and banquets.
public struct Branch: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var district: String
    public var address: String
    public var phone: String?
    public var fax: String?
    /// Where order tickets go when the branch has no fax (or email comes first in `automations.branch_ticket`).
    public var email: String?
    public var seats: Int

    public init(
        code: String, name: String, district: String, address: String, phone: String?, fax: String?,
        email: String? = nil, seats: Int
    ) {
        self.code = code
        self.name = name
        self.district = district
        self.address = address
        self.phone = phone
        self.fax = fax
        self.email = email
        self.seats = seats
    }
}

/// A numbered dish; callers order by number over the phone.
public struct MenuItem: Sendable, Hashable, Codable {
    public var code: Int
    public var name: String
    public var priceFen: Int
    public var category: String

    public init(code: Int, name: String, priceFen: Int, category: String) {
        self.code = code
        self.name = name
        self.priceFen = priceFen
        self.category = category
    }
}
