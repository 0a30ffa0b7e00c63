import Foundation

/// A member of the loyalty programme, as imported or seeded.
public struct Member: Sendable, Hashable, Codable {
    public var memberNo: String
    public var name: String
    public var phone: ContactField
    public var email: ContactField
    public var fax: ContactField
    public var level: MemberLevel
    public var points: Int
    public var tags: [String]
    public var timezone: String
    public var locale: String
    public var branchCode: String?
    public var joinedAt: Date?
    /// `MM-DD`: the day is all the group keeps of a birthday.
    public var birthday: String?

    /// A birthday as the store keeps it: `03-08`.
    public static func birthday(month: Int, day: Int) -> String {
        (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)"
    }

    public init(
        memberNo: String, name: String, phone: ContactField = .missing, email: ContactField = .missing,
        fax: ContactField = .missing, level: MemberLevel = .regular, points: Int = 0, tags: [String] = [],
        timezone: String = "Asia/Shanghai", locale: String = "zh-CN", branchCode: String? = nil, joinedAt: Date? = nil,
        birthday: String? = nil
    ) {
        self.memberNo = memberNo
        self.name = name
        self.phone = phone
        self.email = email
        self.fax = fax
        self.level = level
        self.points = points
        self.tags = tags
        self.timezone = timezone
        self.locale = locale
        self.branchCode = branchCode
        self.joinedAt = joinedAt
        self.birthday = birthday
    }
}

public enum MemberLevel: String, Sendable, Codable, CaseIterable {
    case regular, silver, gold, platinum, diamond

    /// How `locale` names the level: `金卡会员`, `Gold member`.
    public func name(locale: String) -> String {
        if locale.lowercased().hasPrefix("zh") {
            switch self {
            case .regular: return "普通会员"
            case .silver: return "银卡会员"
            case .gold: return "金卡会员"
            case .platinum: return "白金会员"
            case .diamond: return "钻石会员"
            }
        }
        return "\(rawValue.capitalized) member"
    }
}

/// A contact value together with whether it is usable and why not.
/// Invalid contacts are kept (with the raw text and a reason), never dropped.
public struct ContactField: Sendable, Hashable, Codable {
    public var value: String?
    public var status: ContactStatus
    public var reason: String?

    public init(value: String?, status: ContactStatus, reason: String? = nil) {
        self.value = value
        self.status = status
        self.reason = reason
    }

    public static let missing = ContactField(value: nil, status: .missing)
    public static func valid(_ value: String) -> ContactField { ContactField(value: value, status: .valid) }
    public static func invalid(_ raw: String, reason: String) -> ContactField {
        ContactField(value: raw, status: .invalid, reason: reason)
    }
}
