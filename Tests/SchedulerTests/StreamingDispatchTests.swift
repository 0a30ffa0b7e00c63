import Channels
import CoreModel
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

/// Answers at once, or after `delay(message)` for the messages it picks; a send
/// cut while it waits (task cancellation) is unanswered, as a cut transfer is.
final class SlowGateway: Gateway {
    let name: String
    let channels: Set<Channel> = [.sms]
    private let delay: @Sendable (OutboundMessage) -> Duration?
    private let calls = Mutex<[Int64]>([])

    init(_ name: String, delay: @escaping @Sendable (OutboundMessage) -> Duration?) {
        self.name = name
        self.delay = delay
    }

    func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        calls.withLock { $0.append(message.id) }
        if let delay = delay(message) {
            do { try await Task.sleep(for: delay) } catch { throw .unanswered(reason: "cut while in flight") }
        }
        return Submission(providerMessageId: "p-\(message.id)")
    }

    var sent: [Int64] { calls.withLock { $0 } }
}

/// Runs `services` in a service group around `body`, then shuts them down gracefully.
func running<T: Sendable>(_ services: [any Service], _ body: () async throws -> T) async throws -> T {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let group = ServiceGroup(
        configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [], logger: logger))
    let task = Task { try await group.run() }
    do {
        let result = try await body()
        await group.triggerGracefulShutdown()
        try await task.value
        return result
    } catch {
        await group.triggerGracefulShutdown()
        try? await task.value
        throw error
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns the time it took, nil if it never held.
func eventually(within seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Double? {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < .milliseconds(Int(seconds * 1000)) {
        if try await condition() {
            let took = ContinuousClock.now - start
            return Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return nil
}

/// The dispatcher as `tidings run` drives it: streaming, reaping, cutting at shutdown.
struct StreamingDispatchTests {
    let noon = Date(timeIntervalSince1970: 1_773_115_200)  // 12:00 in Shanghai

    func count(_ store: SQLiteStore, _ ids: [Int64], _ status: MessageStatus) async throws -> Int {
        var count = 0
        for id in ids where try await store.messageState(id: id)?.status == status { count += 1 }
        return count
    }

    /// The old batch loop freed a batch's slots when its slowest answer came.
    @Test func aSlowAnswerHoldsOnlyItsOwnSlot() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            var ids: [Int64] = []
            for index in 0..<100 { ids.append(try await fixture.enqueue("order:\(index)")) }
            let slowId = ids[0]
            let gateway = SlowGateway("g") { $0.id == slowId ? .seconds(3) : nil }
            let dispatcher = fixture.dispatcher(
                [gateway], settings: [.init(name: "g", kind: .http, channels: [.sms], url: nil, rate: 0, maxInFlight: 10)])
            try await running([dispatcher]) {
                let took = try await eventually(within: 2.5) { try await count(fixture.store, ids, .submitted) == 99 }
                #expect(took != nil, "99 messages recorded while one answer takes 3 s (took \(took ?? -1) s)")
                #expect(try await fixture.state(slowId)?.status == .sending)
            }
            #expect(try await fixture.state(slowId)?.status == .submitted, "shutdown lets the slow send finish within grace")
        }
    }

    /// The primary hangs (every send times out), then dies (connections
    /// refused) and its breaker opens; a secondary is configured. What the
    /// primary may hold stays pinned there; only messages it surely never
    /// took go to the secondary.
    @Test func aHungThenDeadPrimaryNeverSharesAMessageWithTheSecondary() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let dead = Atomic<Bool>(false)
            let primary = ScriptedGateway("primary") { _ in
                dead.load(ordering: .relaxed)
                    ? .failure(.transient(reason: "connection refused", retryAfter: nil))
                    : .failure(.unanswered(reason: "timed out after 8 s"))
            }
            let secondary = ScriptedGateway("secondary")
            let dispatcher = fixture.dispatcher([primary, secondary]) { $0.breaker = .init(failureThreshold: 5, openSeconds: 30) }
            var hung: [Int64] = []
            for index in 0..<40 { hung.append(try await fixture.enqueue("order:hung:\(index)")) }
            _ = try await dispatcher.sendDue()
            #expect(Set(primary.sent.map(\.id)) == Set(hung))
            dead.store(true, ordering: .relaxed)
            for round in 0..<30 {
                for index in 0..<5 { try await fixture.enqueue("order:later:\(round):\(index)") }
                fixture.clock.advance(by: 20)
                _ = try await dispatcher.sendDue()
            }
            // After it died the primary refused connections: it can hold only what it timed out on.
            let both = Set(hung).intersection(secondary.sent.map(\.id))
            #expect(both.isEmpty, "accepted by both: \(both.sorted())")
            #expect(secondary.sent.count == 150, "every later message went to the secondary")
            #expect(primary.sent.count > 40, "pinned messages were retried on the primary")
            for id in hung {
                let state = try #require(try await fixture.state(id))
                #expect(state.pinnedGateway == "primary")
                #expect(state.gateway == "primary")
                #expect(state.status != .submitted)
            }
        }
    }

    @Test func failoverAfterUnansweredOnlyWhereConfiguredAndMarkedAsAPossibleDuplicate() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let id = try await fixture.enqueue("order:1")
            let silent = ScriptedGateway("silent") { _ in .failure(.unanswered(reason: "200 without an id")) }
            let other = ScriptedGateway("other")
            let dispatcher = fixture.dispatcher([silent, other]) {
                $0.failoverAfterUnanswered = [.sms: 1800]
                $0.retry = RetryPolicy(base: 1, cap: 1)
            }
            _ = try await dispatcher.sendDue()
            fixture.clock.advance(by: 60)
            _ = try await dispatcher.sendDue()
            #expect(other.sent.isEmpty, "within 30 minutes it stays with the gateway that may have it")
            #expect(silent.sent.count == 2)
            fixture.clock.advance(by: 1800)
            _ = try await dispatcher.sendDue()
            #expect(other.sent.map(\.id) == [id])
            let state = try #require(try await fixture.state(id))
            #expect(state.status == .submitted)
            #expect(state.gateway == "other")
            #expect(state.possibleDuplicate)

            let voice = ScriptedGateway("never") { _ in .failure(.unanswered(reason: "timed out")) }
            let elsewhere = ScriptedGateway("elsewhere")
            let strict = fixture.dispatcher([voice, elsewhere]) { $0.retry = RetryPolicy(base: 1, cap: 1) }
            let second = try await fixture.enqueue("order:2")
            _ = try await strict.sendDue()
            fixture.clock.advance(by: 7200)
            _ = try await strict.sendDue()
            let stays = try await fixture.state(second)
            #expect(elsewhere.sent.isEmpty, "without failover_after_unanswered it never leaves: \(String(describing: stays))")
            #expect(stays?.pinnedGateway == "never")
        }
    }

    /// A worker died holding leases; another keeps running with the reaper.
    @Test func leasesOfADeadWorkerAreBackInPlayWithinLeaseTimePlusFiveSeconds() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            var ids: [Int64] = []
            for index in 0..<10 { ids.append(try await fixture.enqueue("order:\(index)")) }
            let taken = try await fixture.store.leaseDue(
                lane: .transactional, limit: 10, owner: "elsewhere:4242:dead", leaseUntil: noon + 30, now: noon)
            #expect(taken.count == 10)
            let gateway = ScriptedGateway("g")
            let dispatcher = fixture.dispatcher([gateway]) {
                $0.leaseSeconds = 30
                $0.reapInterval = .milliseconds(100)
            }
            let reaper = LeaseReaper(store: fixture.store, settings: dispatcher.settings, clock: fixture.clock)
            try await running([dispatcher, reaper]) {
                try await Task.sleep(for: .milliseconds(300))
                #expect(gateway.sent.isEmpty, "a live lease is left alone")
                fixture.clock.advance(by: 31)
                let took = try await eventually(within: 5) { try await count(fixture.store, ids, .submitted) == 10 }
                #expect(took != nil, "all ten sent again within 5 s of their lease running out")
            }
            #expect(Set(gateway.sent.map(\.idempotencyKey)) == Set((0..<10).map { "order:\($0)" }), "same keys")
        }
    }

    @Test func shutdownCutsHungSendsAtGraceAndPinsThem() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            var ids: [Int64] = []
            for index in 0..<5 { ids.append(try await fixture.enqueue("order:\(index)")) }
            let hung = SlowGateway("hung") { _ in .seconds(60) }
            let dispatcher = fixture.dispatcher([hung]) { $0.shutdownGrace = .milliseconds(300) }
            let asked = try await running([dispatcher]) {
                #expect(await eventually(within: 10) { hung.sent.count == 5 } != nil)
                return ContinuousClock.now
            }
            let took = ContinuousClock.now - asked
            // Alone this takes ~0.35 s; the bound leaves room for a loaded CI machine running every suite at
            // once. The 60 s hang is what it must not wait for (`tidings run --grace 3` is timed end to end
            // in RunShutdownTests).
            #expect(took < .seconds(5), "stopped \(took) after the shutdown began (grace 0.3 s), not after the 60 s hang")
            #expect(dispatcher.cutAtShutdown == 5)
            for id in ids {
                let state = try #require(try await fixture.state(id))
                #expect(state.status == .retrying)
                #expect(state.lastErrorKind == "unanswered")
                #expect(state.pinnedGateway == "hung")
            }
        }
    }

    @Test func aReceiptThatNeverComesExpiresUnconfirmed() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let id = try await fixture.enqueue("order:1")
            let dispatcher = fixture.dispatcher([ScriptedGateway("g")])
            _ = try await dispatcher.sendDue()
            let reaper = LeaseReaper(store: fixture.store, settings: dispatcher.settings, clock: fixture.clock)
            fixture.clock.advance(by: 71 * 3600)
            #expect(try await reaper.reapOnce().unconfirmed == 0)
            fixture.clock.advance(by: 3600 + 1)
            #expect(try await reaper.reapOnce().unconfirmed == 1)
            let state = try #require(try await fixture.state(id))
            #expect(state.status == .expired)
            #expect(state.lastErrorKind == "unconfirmed")
        }
    }
}
