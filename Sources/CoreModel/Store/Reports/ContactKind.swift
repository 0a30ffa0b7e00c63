/// Which of a member's contacts: the phone (SMS and voice), the email or the fax.
public enum ContactKind: String, Sendable, Hashable, Codable, CaseIterable {
    case phone, email, fax
}
