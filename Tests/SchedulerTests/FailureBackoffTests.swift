import Channels
@testable import CoreModel
import Foundation
import GRDB
import InMemoryLogging
import Logging
import Scheduler
import Testing

struct FailureBackoffTests {
    let noon = Date(timeIntervalSince1970: 1_773_115_200)

    @Test func eachFailureDoublesTheWaitUpToTheCapAndASuccessEndsTheRun() {
        var backoff = FailureBackoff(initial: .seconds(1), cap: .seconds(10))
        #expect(backoff.delay == .zero)
        var waits: [Duration] = []
        for _ in 1...6 { waits.append(backoff.failed()) }
        #expect(waits == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
        #expect(backoff.failures == 6)
        let ended = backoff.succeeded()
        #expect(ended, "the first success ends a run of failures")
        let again = backoff.succeeded()
        #expect(!again)
        let first = backoff.failed()
        #expect(first == .seconds(1))
        #expect(
            FailureBackoff(initial: .seconds(5), cap: .seconds(1)).cap == .seconds(5),
            "the cap is never below the first wait")
    }

    /// A store that refuses every lease (as a full disk does) is asked again after 1, 2, 4 s…, with one line each time,
    /// not every 50 ms poll.
    @Test func leasingThatKeepsFailingBacksOff() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            try await fixture.enqueue("order:1")
            try await fixture.store.pool.write { db in
                try db.execute(
                    sql: """
                        CREATE TEMP TRIGGER refuse_leases BEFORE UPDATE ON messages
                        BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END
                        """)
            }
            let logs = InMemoryLogHandler()
            let dispatcher = Dispatcher(
                store: fixture.store, registry: GatewayRegistry(gateways: [ScriptedGateway("g")]),
                settings: DispatchSettings(owner: "test"), clock: fixture.clock,
                logger: Logger(label: "test") { _ in logs })
            try await running([dispatcher]) { try await Task.sleep(for: .milliseconds(2500)) }
            let failures = logs.entries.filter { $0.message.description.hasPrefix("leasing failed") }
            #expect((2...3).contains(failures.count), "at 0, 1 and 3 s: \(failures.count) lines")
            #expect(
                failures.map { $0.metadata["retry_in"]?.description }
                    == ["1.0 seconds", "2.0 seconds", "4.0 seconds"].prefix(failures.count).map { $0 })
            #expect(failures.first?.metadata["error"]?.description.contains("database or disk is full") == true)
        }
    }
}
