import CoreModel
import Foundation
import Scheduler

/// The `allocation:` section: which managers members without one may be
/// given (`tidings manager allocate`). Each rule matches members by level
/// and/or branch code and names the managers they go `only` to or `never`
/// to; within those, the manager with the fewest members gets the next one.
///
///     allocation:
///       rules:
///         - {levels: [platinum, diamond], only: [S0002, S0003]}
///         - {branches: [B003], never: [S0010]}
struct AllocationSettings: Sendable, Codable, Hashable {
    struct Rule: Sendable, Codable, Hashable {
        var levels: [String]?
        var branches: [String]?
        var only: [String]?
        var never: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable { case levels, branches, only, never }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            levels = try c.decodeIfPresent([String].self, forKey: .levels)
            branches = try c.decodeIfPresent([String].self, forKey: .branches)
            only = try c.decodeIfPresent([String].self, forKey: .only)
            never = try c.decodeIfPresent([String].self, forKey: .never)
        }
    }

    var rules: [Rule]

    enum CodingKeys: String, CodingKey, CaseIterable { case rules }

    static let defaults = AllocationSettings(rules: [])

    init(rules: [Rule]) {
        self.rules = rules
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        rules = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([Rule].self, forKey: .rules) ?? []
    }

    /// The rules for the allocator (levels already checked by `issues`).
    var allocator: ManagerAllocator {
        ManagerAllocator(
            rules: rules.map {
                ManagerAllocator.Rule(
                    levels: $0.levels.map { Set($0.compactMap(MemberLevel.init(rawValue:))) }, branches: $0.branches.map(Set.init),
                    only: $0.only.map(Set.init), never: Set($0.never ?? []))
            })
    }

    /// Unknown levels, and rules that say nothing, by key path under `path`.
    func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        for (index, rule) in rules.enumerated() {
            let at = path + ["rules", "\(index)"]
            for (position, level) in (rule.levels ?? []).enumerated() where MemberLevel(rawValue: level) == nil {
                let known = MemberLevel.allCases.map(\.rawValue).joined(separator: ", ")
                issues.append(.init(path: at + ["levels", "\(position)"], message: "'\(level)' is not a member level (\(known))"))
            }
            if rule.only == nil && (rule.never ?? []).isEmpty {
                issues.append(.init(path: at, message: "the rule names no managers: give 'only' or 'never'"))
            }
            if rule.only?.isEmpty == true {
                issues.append(.init(path: at + ["only"], message: "an empty 'only' would leave these members with nobody"))
            }
        }
        return issues
    }
}
