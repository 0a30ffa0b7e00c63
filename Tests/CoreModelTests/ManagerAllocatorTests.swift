import CoreModel
import Testing

/// Members without a manager given out by rules, evening out the counts.
struct ManagerAllocatorTests {
    let managers = [
        ManagerSummary(staffNo: "S1", name: "甲", role: "manager", branchCode: "B1", members: 5),
        ManagerSummary(staffNo: "S2", name: "乙", role: "manager", branchCode: "B1", members: 0),
        ManagerSummary(staffNo: "S3", name: "丙", role: "manager", branchCode: "B2", members: 1),
    ]

    func member(_ no: String, _ level: MemberLevel = .regular, branch: String? = "B1") -> UnownedMember {
        UnownedMember(memberNo: no, level: level, branchCode: branch)
    }

    @Test func withoutRulesTheFewestGetTheNextUntilTheCountsEvenOut() {
        let result = ManagerAllocator(rules: []).allocate((1...6).map { member("M\($0)") }, to: managers)
        // S2 (0) and S3 (1) fill up to S1's 5 first; ties go to the lower staff number.
        #expect(result.assignments == ["M1": "S2", "M2": "S2", "M3": "S3", "M4": "S2", "M5": "S3", "M6": "S2"])
        #expect(result.unplaced.isEmpty)
    }

    @Test func rulesNarrowWhoMayTakeAMemberAndAMemberNobodyMayTakeIsReported() {
        let rules = [
            ManagerAllocator.Rule(levels: [.diamond, .platinum], only: ["S1"]),
            ManagerAllocator.Rule(branches: ["B2"], never: ["S3"]),
            ManagerAllocator.Rule(levels: [.gold], branches: ["B9"], only: ["S3"]),
            ManagerAllocator.Rule(levels: [.gold], branches: ["B9"], never: ["S3"]),
        ]
        let result = ManagerAllocator(rules: rules).allocate(
            [member("V1", .diamond), member("B2a", branch: "B2"), member("V2", .platinum, branch: "B2"), member("G1", .gold, branch: "B9"),
             member("N1", branch: nil)],
            to: managers)
        #expect(result.assignments["V1"] == "S1" && result.assignments["V2"] == "S1", "VIP levels only to S1")
        #expect(result.assignments["B2a"] == "S2", "B2's members never to S3")
        #expect(result.unplaced == ["G1"], "only S3, but never S3")
        #expect(result.assignments["N1"] == "S2", "no branch matches no branch rule; S2 and S3 had one each, the lower number wins")
    }
}
