/// Gives members without a manager to managers, by the group's rules: a
/// rule matches members by level and/or branch and says which managers they
/// may go to only (`only`) or never (`never`); every member goes to the
/// eligible manager who owns the fewest members at that moment (ties: the
/// lower staff number), so the counts even out. Pure: the store reads the
/// members and managers and writes the result as one batch.
public struct ManagerAllocator: Sendable {
    public struct Rule: Sendable, Hashable {
        /// Matches members at these levels (nil: any level).
        public var levels: Set<MemberLevel>?
        /// Matches members of these branches, by code (nil: any branch).
        public var branches: Set<String>?
        /// Matched members go only to these staff numbers (nil: any manager).
        public var only: Set<String>?
        /// Matched members never go to these staff numbers.
        public var never: Set<String>

        public init(levels: Set<MemberLevel>? = nil, branches: Set<String>? = nil, only: Set<String>? = nil, never: Set<String> = []) {
            self.levels = levels
            self.branches = branches
            self.only = only
            self.never = never
        }

        func matches(_ member: UnownedMember) -> Bool {
            (levels?.contains(member.level) ?? true) && (branches.map { member.branchCode.map($0.contains) ?? false } ?? true)
        }
    }

    public struct Result: Sendable, Hashable {
        /// Member number → staff number.
        public var assignments: [String: String] = [:]
        /// Members no manager may take under the rules.
        public var unplaced: [String] = []
    }

    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    public func allocate(_ members: [UnownedMember], to managers: [ManagerSummary]) -> Result {
        var load = Dictionary(uniqueKeysWithValues: managers.map { ($0.staffNo, $0.members) })
        let everyone = managers.map(\.staffNo).sorted()
        var result = Result()
        for member in members {
            var eligible = everyone
            for rule in rules where rule.matches(member) {
                if let only = rule.only { eligible = eligible.filter(only.contains) }
                eligible = eligible.filter { !rule.never.contains($0) }
            }
            // The fewest members first; `eligible` is sorted, so the first of equals is the lower number.
            guard let chosen = eligible.min(by: { load[$0, default: 0] < load[$1, default: 0] }) else {
                result.unplaced.append(member.memberNo)
                continue
            }
            load[chosen, default: 0] += 1
            result.assignments[member.memberNo] = chosen
        }
        return result
    }
}

/// A member without an owning manager, with what allocation rules match on.
public struct UnownedMember: Sendable, Hashable {
    public var memberNo: String
    public var level: MemberLevel
    public var branchCode: String?

    public init(memberNo: String, level: MemberLevel, branchCode: String?) {
        self.memberNo = memberNo
        self.level = level
        self.branchCode = branchCode
    }
}

/// What an allocation run wrote.
public struct AllocationOutcome: Sendable, Hashable {
    /// Nil when no member changed owner (nothing is recorded).
    public var batchId: Int64?
    public var members: Int

    public init(batchId: Int64?, members: Int) {
        self.batchId = batchId
        self.members = members
    }
}
