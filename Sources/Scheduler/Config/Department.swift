import CoreModel
import Foundation

/// One entry of the `departments:` list: who takes a complaint's work order
/// (`complaints.department` names it) and how soon it must be handled.
public struct Department: Sendable, Codable, Hashable {
    public var name: String
    public var email: String?
    /// E.164, for SMS.
    public var phone: String?
    /// E.164, for fax.
    public var fax: String?
    /// Hours from the complaint's opening to its due time, said in the notice.
    public var dueHours: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, email, phone, fax, dueHours = "due_hours"
    }

    public static let defaultDueHours = 24

    public init(name: String, email: String? = nil, phone: String? = nil, fax: String? = nil, dueHours: Int = Self.defaultDueHours) {
        self.name = name
        self.email = email
        self.phone = phone
        self.fax = fax
        self.dueHours = dueHours
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        fax = try c.decodeIfPresent(String.self, forKey: .fax)
        dueHours = try c.decodeIfPresent(Int.self, forKey: .dueHours) ?? Self.defaultDueHours
    }

    /// The department's contact for `channel`; nil when it has none (voice: never).
    public func address(for channel: Channel) -> String? {
        let value: String? =
            switch channel {
            case .email: email
            case .sms: phone
            case .fax: fax
            case .voice: nil
            }
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// What the loader cannot check, by key path under `path` (the entry's index).
    func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func check(_ ok: Bool, _ key: String, _ message: String) {
            if !ok { issues.append(ConfigIssue(path: path + [key], message: message)) }
        }
        check(!name.trimmedWhitespace.isEmpty, "name", "is empty")
        check(email != nil || phone != nil || fax != nil, "name", "'\(name)' has no email, phone or fax to send its work orders to")
        if let email, case .failure(let rejection) = EmailAddressValidator.normalize(email) {
            check(false, "email", "is not an email address (\(rejection))")
        }
        check(phone.map(Self.isE164) ?? true, "phone", "is not an international number like +8613800000000")
        check(fax.map(Self.isE164) ?? true, "fax", "is not an international number like +862088880000")
        check(dueHours >= 1, "due_hours", "must be at least 1 hour")
        return issues
    }

    /// `+` and 8 to 15 digits: gateways take numbers as given, so they must already be E.164.
    static func isE164(_ number: String) -> Bool {
        let digits = number.dropFirst()
        return number.first == "+" && (8...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
