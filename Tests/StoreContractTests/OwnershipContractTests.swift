import CoreModel
import Foundation
import Testing

/// Members' owning managers as any store must keep them: a hand-over in one
/// step, recorded as a batch whose members are tracked afterwards.
struct OwnershipContractTests {
    let now = Fixture.now

    @Test(arguments: StoreKind.allCases)
    func aHandOverMovesEveryMemberAtOnceAndItsBatchIsTracked(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            for (no, role) in [("S1", "manager"), ("S3", "branch_manager"), ("A1", "agent")] {
                try await harness.insertStaff(no, role: role)
            }
            try await harness.insertStaff("S2", role: "manager", phone: "+8613900000002", email: nil, manages: nil)
            try await store.load(.members((1...4).map { Fixture.member("M\($0)", phone: String(format: "+86138%08d", $0)) }))
            for (member, owner) in [("M1", "S1"), ("M2", "S1"), ("M3", "S1"), ("M4", "S2")] {
                try await harness.setOwner(memberNo: member, staffNo: owner)
            }
            func owned() async throws -> [String: Int] {
                Dictionary(uniqueKeysWithValues: try await store.managers().map { ($0.staffNo, $0.members) })
            }
            #expect(try await owned() == ["S1": 3, "S2": 1, "S3": 0], "agents own nobody and are not listed")
            try await harness.insertOpenTask(memberNo: "M1", staffNo: "S1", due: now + 86_400)
            let notice: @Sendable (HandoverCounts) -> String = { "您已接手\($0.from)的\($0.members)位会员、\($0.tasks)项跟进" }

            // Refused hand-overs move nobody.
            #expect(try await store.handOver(from: "S1", to: "A1", actor: "li.na", now: now, notice: notice) == .notAManager("A1"))
            #expect(try await store.handOver(from: "S1", to: "S1", actor: "li.na", now: now, notice: notice) == .samePerson)
            #expect(try await store.handOver(from: "S9", to: "S2", actor: "li.na", now: now, notice: notice) == .unknownStaff("S9"))
            #expect(try await store.handOver(from: "S3", to: "S2", actor: "li.na", now: now, notice: notice) == .handedOver(batchId: nil, members: 0, tasks: 0))
            #expect(try await owned() == ["S1": 3, "S2": 1, "S3": 0])
            #expect(try await store.allocationBatches(managerNo: nil, limit: 10).isEmpty)

            guard case .handedOver(let first?, 3, 1) = try await store.handOver(from: "S1", to: "S2", actor: "li.na", now: now, notice: notice) else {
                Issue.record("the hand-over of S1's three members did not happen")
                return
            }
            #expect(try await owned() == ["S1": 0, "S2": 4, "S3": 0])
            // The open task went with M1, and S2 was told on their phone, once.
            #expect(try await store.tasks(TaskFilter(staffNo: "S2"), now: now).map(\.memberNo) == ["M1"])
            let told = try await store.messageStates(idempotencyKeys: ["handover:\(first):notify"])
            #expect(told["handover:\(first):notify"]?.status == .queued)

            // Since then: M1 ordered, M2 went back to S1, M3 untouched.
            try await store.load(.orders([Fixture.order("SO1", member: "M1", orderedAt: now + 3_600)]))
            try await harness.setOwner(memberNo: "M2", staffNo: "S1")
            let batches = try await store.allocationBatches(managerNo: "S2", limit: 10)
            #expect(batches.count == 1)
            let batch = try #require(batches.first)
            #expect(batch.id == first && batch.kind == .handover && batch.staffNo == "S2" && batch.fromStaffNo == "S1")
            #expect(batch.actor == "li.na" && batch.at == now)
            #expect(Self.counts(batch) == [3, 1, 1, 1], "members, ordered, moved on, untouched")

            // A second hand-over is its own batch, listed first; another manager's filter sees neither.
            let second = try await store.handOver(from: "S1", to: "S3", actor: "wang.fang", now: now + 7_200, notice: notice)
            #expect(second == .handedOver(batchId: first + 1, members: 1, tasks: 0))
            #expect(try await store.allocationBatches(managerNo: nil, limit: 10).map(\.id) == [first + 1, first])
            #expect(try await store.allocationBatches(managerNo: "S1", limit: 10).isEmpty)
            let earlier = try #require(try await store.allocationBatches(managerNo: "S2", limit: 10).first)
            #expect(Self.counts(earlier) == [3, 1, 1, 1])
        }
    }

    /// An assignments import: each row checked against the database, every
    /// row of one run (even across the importer's transactions) in one batch,
    /// and a row that changes nothing recorded nowhere.
    @Test(arguments: StoreKind.allCases)
    func importedAssignmentsOfOneRunAreOneBatch(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            for (no, role) in [("S1", "manager"), ("S2", "manager"), ("A1", "agent")] {
                try await harness.insertStaff(no, role: role)
            }
            try await store.load(.members((1...4).map { Fixture.member("M\($0)", phone: String(format: "+86138%08d", $0)) }))
            try await harness.setOwner(memberNo: "M4", staffNo: "S2")
            func row(_ member: String, _ staff: String, at: Date) -> Assignment {
                Assignment(memberNo: member, staffNo: staff, file: "owners.csv", importedAt: at, actor: "li.na")
            }
            let first = try await store.apply(
                .assignments([row("M1", "S1", at: now), row("M2", "S1", at: now), row("M3", "A1", at: now), row("M9", "S1", at: now), row("M4", "S2", at: now)]),
                dryRun: false)
            #expect(
                first == [
                    .inserted, .inserted, .rejected(field: "staff_no", reason: "'A1' is not a manager or branch manager"),
                    .rejected(field: "member_no", reason: "unknown member 'M9'"), .unchanged,
                ])
            // The importer's next transaction of the same run.
            #expect(try await store.apply(.assignments([row("M3", "S2", at: now)]), dryRun: false) == [.inserted])
            let batches = try await store.allocationBatches(managerNo: nil, limit: 10)
            #expect(batches.map(\.staffNo) == ["S1", "S2"] && Set(batches.map(\.id)).count == 1, "\(batches)")
            #expect(batches.map(\.members) == [2, 1] && batches.allSatisfy { $0.kind == .import && $0.source == "owners.csv" })
            // The same file again later: nothing changes, no batch; a dry run writes nothing.
            #expect(try await store.apply(.assignments([row("M1", "S1", at: now + 60)]), dryRun: false) == [.unchanged])
            #expect(try await store.apply(.assignments([row("M1", "S2", at: now + 60)]), dryRun: true) == [.updated])
            #expect(try await store.allocationBatches(managerNo: nil, limit: 10).count == 2)
            #expect(Dictionary(uniqueKeysWithValues: try await store.managers().map { ($0.staffNo, $0.members) }) == ["S1": 2, "S2": 2])
        }
    }

    /// An allocation run writes one batch; a member who got a manager in the meantime is left alone,
    /// and prospects are never offered.
    @Test(arguments: StoreKind.allCases)
    func anAllocationRunIsOneBatchAndLeavesOwnedMembersAlone(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            for no in ["S1", "S2"] { try await harness.insertStaff(no, role: "manager") }
            try await store.load(.members((1...3).map { Fixture.member("M\($0)", phone: String(format: "+86138%08d", $0)) }))
            #expect(try await store.unownedMembers().map(\.memberNo) == ["M1", "M2", "M3"])
            try await harness.setOwner(memberNo: "M3", staffNo: "S1")  // after the plan was made
            let outcome = try await store.allocate(["M1": "S1", "M2": "S2", "M3": "S2", "M9": "S1"], source: "rules", actor: "li.na", now: now)
            #expect(outcome.members == 2)
            let batches = try await store.allocationBatches(managerNo: nil, limit: 10)
            #expect(batches.map(\.staffNo) == ["S1", "S2"] && batches.allSatisfy { $0.kind == .allocation && $0.id == outcome.batchId })
            #expect(Dictionary(uniqueKeysWithValues: try await store.managers().map { ($0.staffNo, $0.members) }) == ["S1": 2, "S2": 1])
            #expect(try await store.unownedMembers().isEmpty)
            #expect(try await store.allocate(["M1": "S2"], source: "rules", actor: "li.na", now: now) == AllocationOutcome(batchId: nil, members: 0))
            #expect(try await store.allocationBatches(managerNo: nil, limit: 10).count == 2)
        }
    }

    /// An order taken through another manager than the member's own is recorded once, and the member
    /// stays with their manager; their own manager taking it, or a member without one, is no conflict.
    @Test(arguments: StoreKind.allCases)
    func anOrderTakenByAnotherManagerIsRecordedNotTakenOver(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            for no in ["S1", "S2"] { try await harness.insertStaff(no, role: "manager") }
            try await store.load(.members((1...2).map { Fixture.member("M\($0)", phone: String(format: "+86138%08d", $0)) }))
            try await harness.setOwner(memberNo: "M1", staffNo: "S1")
            func order(_ no: String, _ member: String, by staff: String?) -> Order {
                var order = Fixture.order(no, member: member, kind: .reservation, status: .booked, orderedAt: now, scheduledAt: now + 86_400)
                order.takenBy = staff
                return order
            }
            try await store.load(.orders([order("R1", "M1", by: "S2"), order("R2", "M1", by: "S1"), order("R3", "M2", by: "S2")]))
            try await store.load(.orders([order("R1", "M1", by: "S2")]))  // again: still one
            let conflicts = try await store.ownershipConflicts(limit: 10)
            #expect(conflicts.map { [$0.orderNo, $0.memberNo, $0.ownerStaffNo, $0.takerStaffNo] } == [["R1", "M1", "S1", "S2"]])
            #expect(Dictionary(uniqueKeysWithValues: try await store.managers().map { ($0.staffNo, $0.members) }) == ["S1": 1, "S2": 0])
            let unknown = try await store.apply(.orders([order("R4", "M1", by: "S9")]), dryRun: false)
            #expect(unknown == [.rejected(field: "taken_by", reason: "unknown staff member 'S9'")])
        }
    }

    static func counts(_ batch: AllocationBatch) -> [Int] {
        [batch.members, batch.ordered, batch.movedOn, batch.untouched]
    }
}
