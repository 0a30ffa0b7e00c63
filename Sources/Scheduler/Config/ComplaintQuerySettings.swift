import CoreModel
import Foundation

/// The `complaint_query:` section: the word a customer texts before a
/// complaint number (`查询 C123`) to be told its stage and department by SMS.
public struct ComplaintQuerySettings: Sendable, Codable, Hashable {
    /// Compared as opt-out words are (NFKC, case); nil (`keyword: null`): no queries.
    public var keyword: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case keyword
    }

    public static let defaults = ComplaintQuerySettings(keyword: "查询")

    public init(keyword: String?) {
        self.keyword = keyword
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Left out: the default; null: none.
        keyword = c.contains(.keyword) ? try c.decodeIfPresent(String.self, forKey: .keyword) : Self.defaults.keyword
    }

    /// A keyword that would take ordinary replies for questions, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        guard let keyword else { return [] }
        let normal = OptOutMatcher.normalized(keyword)
        if normal.isEmpty {
            return [ConfigIssue(path: path + ["keyword"], message: "is empty once normalised; null for no queries")]
        }
        if normal.allSatisfy(\.isNumber) {
            return [ConfigIssue(path: path + ["keyword"], message: "'\(keyword)' is a number: survey scores would be read as queries")]
        }
        return []
    }
}
