import Foundation

/// What an admin API token may do. `write` includes `read`; `reveal` shows
/// full phone numbers and emails in answers (masked otherwise).
public enum ApiScope: String, Sendable, Codable, CaseIterable, Comparable {
    case read, write, reveal

    public static func < (lhs: ApiScope, rhs: ApiScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// "read,reveal" as the store keeps it; nil when any part is unknown or the list is empty.
    public static func parse(list: String) -> Set<ApiScope>? {
        let parts = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let scopes = parts.compactMap(ApiScope.init(rawValue:))
        guard !scopes.isEmpty, scopes.count == parts.count else { return nil }
        return Set(scopes)
    }

    /// The stored form: sorted, comma-separated.
    public static func list(_ scopes: Set<ApiScope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: ",")
    }
}
