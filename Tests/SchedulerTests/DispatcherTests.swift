import Channels
import CoreModel
import Foundation
import Scheduler
import TestSupport
import Testing

/// The dispatcher against a real SQLite store, scripted gateways and a fixed clock.
struct DispatcherTests {
    let noon = Date(timeIntervalSince1970: 1_773_115_200)  // 2026-03-10 04:00 UTC = 12:00 in Shanghai

    @Test func transactionalGoesFirstWhileAMarketingBacklogWaits() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            // Service category in the marketing lane: no consent or cap gets in the way of counting lanes.
            for index in 0..<30 { try await fixture.enqueue("promo:\(index)", lane: .marketing) }
            for index in 0..<5 { try await fixture.enqueue("order:\(index)") }
            let gateway = ScriptedGateway("g")
            let settings = [
                GatewaySettings(name: "g", kind: .http, channels: [.sms], url: nil, rate: 0, maxInFlight: 8)
            ]
            let dispatcher = fixture.dispatcher([gateway], settings: settings)
            #expect(try await dispatcher.sendDue() == 8)
            let first = gateway.sent.map(\.idempotencyKey)
            #expect(first.filter { $0.hasPrefix("order:") }.count == 5, "every due confirmation is in the first batch: \(first)")
            #expect(first.filter { $0.hasPrefix("promo:") }.count == 3)
        }
    }

    @Test func aRefusingGatewayFailsOverToTheNext() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let id = try await fixture.enqueue("order:1")
            let down = ScriptedGateway("down") { _ in .failure(.transient(reason: "HTTP 503", retryAfter: nil)) }
            let up = ScriptedGateway("up")
            _ = try await fixture.dispatcher([down, up]).sendDue()
            #expect(down.sent.count == 1)
            #expect(up.sent.count == 1)
            let state = try await fixture.state(id)
            #expect(state?.status == .submitted)
            #expect(state?.gateway == "up")
        }
    }

    /// Nothing was sent when the connection is refused, so the next gateway may take it.
    @Test func aRefusedConnectionFailsOverToTheNext() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let id = try await fixture.enqueue("order:1")
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let closed = SimulatorGateway(
                name: "closed", channels: [.sms], baseURL: "http://127.0.0.1:\(LocalPorts.block(1))", callbackURL: nil, transport: transport,
                signer: WebhookSigner(secret: "s"))
            let up = ScriptedGateway("up")
            _ = try await fixture.dispatcher([closed, up]).sendDue()
            #expect(try await fixture.state(id)?.gateway == "up")
            #expect(try await fixture.state(id)?.status == .submitted)
        }
    }

    /// A timeout may have been taken: the retry stays with the same gateway and key.
    @Test func anUnansweredSendIsNotFailedOver() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let id = try await fixture.enqueue("order:1")
            let silent = ScriptedGateway("silent") { _ in .failure(.unanswered(reason: "timed out")) }
            let other = ScriptedGateway("other")
            _ = try await fixture.dispatcher([silent, other]).sendDue()
            #expect(other.sent.isEmpty)
            let state = try await fixture.state(id)
            #expect(state?.status == .retrying)
            #expect(state?.gateway == "silent")
        }
    }

    @Test func backoffHonoursRetryAfterAndIsJitteredWithoutIt() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let throttled = try await fixture.enqueue("order:1")
            _ = try await fixture.dispatcher([ScriptedGateway("busy") { _ in .failure(.throttled(reason: "429", retryAfter: 30)) }]).sendDue()
            #expect(try await fixture.state(throttled)?.nextAttemptAt == noon.addingTimeInterval(30))

            let failing = try await fixture.enqueue("order:2")
            _ = try await fixture.dispatcher([ScriptedGateway("down") { _ in .failure(.transient(reason: "503", retryAfter: nil)) }]).sendDue()
            let next = try #require(try await fixture.state(failing)?.nextAttemptAt)
            #expect(next >= noon && next <= noon.addingTimeInterval(2), "first retry within [0, base 2 s]: \(next.timeIntervalSince(noon))")
        }
    }

    @Test func attemptsRunOutAndExpiryWins() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let expired = try await fixture.enqueue("order:old", expiresAt: noon.addingTimeInterval(-1))
            let late = try await fixture.enqueue("order:late", expiresAt: noon.addingTimeInterval(0.001))
            let down = ScriptedGateway("down") { _ in .failure(.transient(reason: "503", retryAfter: 60)) }
            _ = try await fixture.dispatcher([down]).sendDue()
            #expect(try await fixture.state(expired)?.status == .expired)
            #expect(down.sent.map(\.idempotencyKey) == ["order:late"], "an expired message is never sent")
            #expect(try await fixture.state(late)?.status == .expired, "its retry would fall after expires_at")
        }
    }

    @Test func aCancelledOrMovedReservationDropsItsReminder() async throws {
        let dinner = noon.addingTimeInterval(6 * 3600)
        try await DispatchFixture.with(now: noon, members: [member("M1")]) { fixture in
            func reservation(_ number: String, status: OrderStatus, at: Date) -> Order {
                Order(orderNo: number, memberNo: "M1", branchCode: "B01", source: .agent, kind: .reservation, status: status, orderedAt: noon, scheduledAt: at, partySize: 4, amountFen: 0)
            }
            _ = try await fixture.store.apply(.orders([reservation("R1", status: .booked, at: dinner), reservation("R2", status: .booked, at: dinner), reservation("R3", status: .booked, at: dinner)]), dryRun: false)
            let cancelled = try await fixture.enqueue("reservation:R1:remind", lane: .reminder, member: "M1", orderNo: "R1", boundAt: dinner)
            let moved = try await fixture.enqueue("reservation:R2:remind", lane: .reminder, member: "M1", orderNo: "R2", boundAt: dinner)
            let kept = try await fixture.enqueue("reservation:R3:remind", lane: .reminder, member: "M1", orderNo: "R3", boundAt: dinner)
            _ = try await fixture.store.apply(.orders([reservation("R1", status: .cancelled, at: dinner), reservation("R2", status: .moved, at: dinner.addingTimeInterval(3600))]), dryRun: false)
            let gateway = ScriptedGateway("g")
            _ = try await fixture.dispatcher([gateway]).sendDue()
            #expect(gateway.sent.map(\.idempotencyKey) == ["reservation:R3:remind"])
            #expect(try await fixture.state(cancelled)?.status == .cancelled)
            #expect(try await fixture.state(cancelled)?.reason?.contains("cancelled") == true)
            #expect(try await fixture.state(moved)?.status == .cancelled)
            #expect(try await fixture.state(moved)?.reason?.contains("moved") == true)
            #expect(try await fixture.state(kept)?.status == .submitted)
        }
    }

    /// 22:00 in New York is quiet; 11:00 in Shanghai is not. Transactional goes regardless.
    @Test func quietHoursFollowTheMembersTimeZone() async throws {
        let now = try Date("2026-03-10T03:00:00Z", strategy: .iso8601)  // 23:00 on 03-09 in New York (EDT), 11:00 in Shanghai
        try await DispatchFixture.with(now: now, members: [member("NY", phone: "+12125550100", timezone: "America/New_York"), member("SH")]) { fixture in
            for number in ["NY", "SH"] {
                try await fixture.store.recordConsent(memberNo: number, channel: .sms, category: .marketing, granted: true, source: "signup", at: now)
            }
            let newYork = try await fixture.enqueue("promo:NY", lane: .marketing, category: .marketing, member: "NY", to: "+12125550100")
            let shanghai = try await fixture.enqueue("promo:SH", lane: .marketing, category: .marketing, member: "SH")
            let confirmation = try await fixture.enqueue("order:NY", member: "NY", to: "+12125550100")
            _ = try await fixture.dispatcher([ScriptedGateway("g")]).sendDue()
            let held = try await fixture.state(newYork)
            #expect(held?.status == .deferred)
            #expect(held?.reason == "quiet_hours")
            #expect(held?.nextAttemptAt == (try Date("2026-03-10T13:00:00Z", strategy: .iso8601)), "09:00 the next morning in New York")
            #expect(held?.attempts == 0, "a deferral is not an attempt")
            #expect(try await fixture.state(shanghai)?.status == .submitted)
            #expect(try await fixture.state(confirmation)?.status == .submitted)
        }
    }

    @Test func frequencyCapsCountSendsWithinTheBatch() async throws {
        try await DispatchFixture.with(now: noon, members: [member("M1")]) { fixture in
            try await fixture.store.recordConsent(memberNo: "M1", channel: .sms, category: .marketing, granted: true, source: "signup", at: noon)
            let ids = try await (0..<3).asyncMap { try await fixture.enqueue("promo:\($0)", lane: .marketing, category: .marketing, member: "M1") }
            _ = try await fixture.dispatcher([ScriptedGateway("g")]).sendDue()
            let statuses = try await ids.asyncMap { try await fixture.state($0)?.status }
            #expect(statuses.filter { $0 == .submitted }.count == 2)
            #expect(statuses.filter { $0 == .suppressed }.count == 1)
            // A week later the cap has room again.
            fixture.clock.advance(by: 7 * 86_400 + 1)
            let later = try await fixture.enqueue("promo:later", lane: .marketing, category: .marketing, member: "M1")
            _ = try await fixture.dispatcher([ScriptedGateway("g")]).sendDue()
            #expect(try await fixture.state(later)?.status == .submitted)
        }
    }

    @Test func consentBlacklistAndComplaintsSuppressWithTheirReason() async throws {
        try await DispatchFixture.with(now: noon, members: [member("M1"), member("M2", phone: "+8613900000002")]) { fixture in
            try await fixture.store.recordConsent(memberNo: "M2", channel: .sms, category: .marketing, granted: false, source: "sms_reply", at: noon)
            let noConsent = try await fixture.enqueue("promo:M1", lane: .marketing, category: .marketing, member: "M1")
            let optedOut = try await fixture.enqueue("promo:M2", lane: .marketing, category: .marketing, member: "M2", to: "+8613900000002")
            let service = try await fixture.enqueue("order:M1", member: "M1")
            let gateway = ScriptedGateway("g")
            _ = try await fixture.dispatcher([gateway]).sendDue()
            #expect(try await fixture.state(noConsent)?.reason == "no_consent")
            #expect(try await fixture.state(optedOut)?.reason == "opted_out")
            #expect(try await fixture.state(service)?.status == .submitted)
            #expect(gateway.sent.map(\.idempotencyKey) == ["order:M1"])
        }
    }

    /// Five failures in a row open the breaker: the next messages go straight to the second gateway.
    @Test func anOpenBreakerSendsStraightToTheNextGateway() async throws {
        try await DispatchFixture.with(now: noon) { fixture in
            let down = ScriptedGateway("down") { _ in .failure(.transient(reason: "503", retryAfter: nil)) }
            let up = ScriptedGateway("up")
            let dispatcher = fixture.dispatcher([down, up]) { $0.breaker = .init(failureThreshold: 3, openSeconds: 30) }
            for index in 0..<3 {
                try await fixture.enqueue("order:\(index)")
                _ = try await dispatcher.sendDue()
            }
            #expect(down.sent.count == 3)
            #expect(dispatcher.traffic.breakerStates()["down"] == "open")
            try await fixture.enqueue("order:after")
            _ = try await dispatcher.sendDue()
            #expect(down.sent.count == 3, "the open breaker keeps traffic away")
            #expect(up.sent.map(\.idempotencyKey).last == "order:after")
            fixture.clock.advance(by: 31)
            try await fixture.enqueue("order:probe")
            _ = try await dispatcher.sendDue()
            #expect(down.sent.count == 4, "after open_seconds one probe goes to the first gateway")
            #expect(dispatcher.traffic.breakerStates()["down"] == "open", "the failed probe opens it again")
            // Each opening is written down for the gateways report.
            #expect(try await fixture.store.breakerOpenings(from: noon - 60, to: noon + 3600) == ["down": 2])
        }
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
