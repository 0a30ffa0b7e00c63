import CoreModel
import Scheduler
import Testing

struct LaneAllocatorTests {
    let allocator = LaneAllocator()

    @Test func aFullBacklogGetsTheReservedShares() {
        let due: [Lane: Int] = [.transactional: 1000, .reminder: 1000, .marketing: 1000]
        #expect(allocator.allocate(capacity: 200, due: due) == [.transactional: 100, .reminder: 60, .marketing: 40])
    }

    @Test func aHugeMarketingBacklogNeverStarvesTransactional() {
        let due: [Lane: Int] = [.transactional: 30, .reminder: 0, .marketing: 1_000_000]
        #expect(allocator.allocate(capacity: 200, due: due) == [.transactional: 30, .reminder: 0, .marketing: 170])
        let busy: [Lane: Int] = [.transactional: 5000, .marketing: 1_000_000]
        #expect(allocator.allocate(capacity: 200, due: busy) == [.transactional: 160, .reminder: 0, .marketing: 40])
    }

    @Test func unusedShareGoesToBackloggedLanesInPriorityOrder() {
        #expect(
            allocator.allocate(capacity: 200, due: [.transactional: 500, .reminder: 10, .marketing: 0])
                == [.transactional: 190, .reminder: 10, .marketing: 0])
        #expect(
            allocator.allocate(capacity: 200, due: [.transactional: 10, .reminder: 500, .marketing: 500])
                == [.transactional: 10, .reminder: 150, .marketing: 40])
        #expect(
            allocator.allocate(capacity: 200, due: [.transactional: 10, .reminder: 20, .marketing: 500])
                == [.transactional: 10, .reminder: 20, .marketing: 170])
    }

    @Test func roundingRemainderGoesByPriority() {
        // 7 × 50/30/20 % = 3.5 / 2.1 / 1.4 → 3 / 2 / 1, and the spare 1 to transactional.
        let due: [Lane: Int] = [.transactional: 100, .reminder: 100, .marketing: 100]
        #expect(allocator.allocate(capacity: 7, due: due) == [.transactional: 4, .reminder: 2, .marketing: 1])
    }

    @Test func nothingDueOrNoCapacityLeasesNothing() {
        let none: [Lane: Int] = [.transactional: 0, .reminder: 0, .marketing: 0]
        #expect(allocator.allocate(capacity: 200, due: [:]) == none)
        #expect(allocator.allocate(capacity: 0, due: [.transactional: 5]) == none)
        #expect(allocator.allocate(capacity: -3, due: [.transactional: 5]) == none)
        #expect(allocator.allocate(capacity: 10, due: [.transactional: -4, .marketing: 3]) == [.transactional: 0, .reminder: 0, .marketing: 3])
    }

    @Test func withoutReservationsLanesAreServedInPriorityOrder() {
        let plain = LaneAllocator(reservations: [:])
        #expect(plain.allocate(capacity: 10, due: [.transactional: 4, .reminder: 4, .marketing: 4]) == [.transactional: 4, .reminder: 4, .marketing: 2])
    }

    @Test func invariantsHoldForRandomInputs() {
        var random = SeededGenerator(seed: 2026)
        for _ in 0..<1000 {
            let capacity = random.below(500)
            let due = Dictionary(uniqueKeysWithValues: Lane.allCases.map { ($0, random.chance(20) ? 0 : random.below(400)) })
            let granted = allocator.allocate(capacity: capacity, due: due)
            let total = granted.values.reduce(0, +)
            let totalDue = due.values.reduce(0, +)
            #expect(total == min(capacity, totalDue), "capacity \(capacity), due \(due)")
            for lane in Lane.allCases {
                let reserved = capacity * (LaneAllocator.defaultReservations[lane] ?? 0) / 100
                #expect((granted[lane] ?? 0) <= (due[lane] ?? 0))
                #expect((granted[lane] ?? 0) >= min(reserved, due[lane] ?? 0), "\(lane): capacity \(capacity), due \(due)")
            }
        }
    }
}
