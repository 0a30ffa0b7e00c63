import Foundation
import Scheduler
import Testing

struct CircuitBreakerTests {
    let configuration = CircuitBreaker.Configuration(failureThreshold: 3, openSeconds: 30, halfOpenProbes: 1)

    @Test func consecutiveFailuresOpenTheBreaker() {
        var breaker = CircuitBreaker(configuration: configuration)
        breaker.record(.failure, now: t0)
        breaker.record(.failure, now: t0)
        #expect(breaker.state == .closed(consecutiveFailures: 2))
        breaker.record(.success, now: t0)
        #expect(breaker.state == .closed(consecutiveFailures: 0))

        let beforeThreshold = (0..<2).map { _ in breaker.record(.failure, now: t0 + 5) }
        #expect(beforeThreshold == [false, false])
        #expect(breaker.admit(now: t0 + 5) == .allowed)
        let opening = breaker.record(.failure, now: t0 + 10)
        let late = breaker.record(.failure, now: t0 + 11)
        #expect(opening && !late, "the third failure opened it; a late one while open opens nothing")
        #expect(breaker.state == .open(until: t0 + 40))
        #expect(breaker.state.name == "open")
        #expect(breaker.admit(now: t0 + 20) == .rejected(retryAt: t0 + 40))
        #expect(breaker.admit(now: t0 + 39.9) == .rejected(retryAt: t0 + 40))
    }

    /// closed → open → half-open → closed
    @Test func successfulProbeCloses() {
        var breaker = openedAtT0()
        #expect(breaker.admit(now: t0 + 30) == .allowed)
        #expect(breaker.state == .halfOpen(probesInFlight: 1, since: t0 + 30))
        #expect(breaker.state.name == "half_open")
        #expect(breaker.admit(now: t0 + 31) == .rejected(retryAt: t0 + 60))

        breaker.record(.success, now: t0 + 32)
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.state.name == "closed")
        #expect(breaker.admit(now: t0 + 32) == .allowed)
        // Counting starts again from zero.
        breaker.record(.failure, now: t0 + 33)
        breaker.record(.failure, now: t0 + 33)
        #expect(breaker.state == .closed(consecutiveFailures: 2))
    }

    @Test func failedProbeReopensForAnotherPeriod() {
        var breaker = openedAtT0()
        #expect(breaker.admit(now: t0 + 35) == .allowed)
        breaker.record(.failure, now: t0 + 36)
        #expect(breaker.state == .open(until: t0 + 66))
        #expect(breaker.admit(now: t0 + 65) == .rejected(retryAt: t0 + 66))
        #expect(breaker.admit(now: t0 + 66) == .allowed)
        #expect(breaker.state == .halfOpen(probesInFlight: 1, since: t0 + 66))
    }

    @Test func halfOpenAdmitsUpToTheProbeCount() {
        var breaker = CircuitBreaker(configuration: .init(failureThreshold: 1, openSeconds: 10, halfOpenProbes: 2))
        breaker.record(.failure, now: t0)
        #expect(breaker.admit(now: t0 + 10) == .allowed)
        #expect(breaker.admit(now: t0 + 11) == .allowed)
        #expect(breaker.state == .halfOpen(probesInFlight: 2, since: t0 + 10))
        #expect(breaker.admit(now: t0 + 12) == .rejected(retryAt: t0 + 20))
    }

    @Test func probesThatNeverReportAreWrittenOff() {
        var breaker = openedAtT0()
        #expect(breaker.admit(now: t0 + 30) == .allowed)
        #expect(breaker.admit(now: t0 + 59) == .rejected(retryAt: t0 + 60))
        #expect(breaker.admit(now: t0 + 60) == .allowed)
        #expect(breaker.state == .halfOpen(probesInFlight: 1, since: t0 + 60))
    }

    @Test func lateResultsWhileOpenChangeNothing() {
        var breaker = openedAtT0()
        breaker.record(.success, now: t0 + 1)
        breaker.record(.failure, now: t0 + 2)
        #expect(breaker.state == .open(until: t0 + 30))
    }

    @Test func defaultsAreFiveFailuresThirtySecondsOneProbe() {
        var breaker = CircuitBreaker()
        for _ in 0..<4 { breaker.record(.failure, now: t0) }
        #expect(breaker.state == .closed(consecutiveFailures: 4))
        breaker.record(.failure, now: t0)
        #expect(breaker.state == .open(until: t0 + 30))
        #expect(CircuitBreaker.Configuration(failureThreshold: 0, halfOpenProbes: -1) == .init(failureThreshold: 1, halfOpenProbes: 1))
    }

    private func openedAtT0() -> CircuitBreaker {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.record(.failure, now: t0) }
        return breaker
    }
}
