@testable import CoreModel
import Foundation
import GRDB
import Scheduler
import Testing

/// A dormant member named in a manager's brief: the real dispatcher holds
/// marketing to them (the win-back SMS) until the hold ends, while service
/// messages go at once.
struct PersonalCallHoldTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func marketingWaitsForTheManagersCallServiceDoesNot() async throws {
        try await DispatchFixture.with(now: Self.start, members: [member("M1")]) { fixture in
            let store = fixture.store
            let holdUntil = Self.start.addingTimeInterval(7 * 86400)
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO staff (staff_no, name, role, branch_id, phone) VALUES ('S0001', '王经理', 'manager', 1, '+8613900000001');
                        INSERT INTO personal_calls (member_id, staff_id, listed_at, hold_until)
                          SELECT m.id, s.id, ?, ? FROM members m, staff s WHERE m.member_no = 'M1';
                        """, arguments: [Self.start.unixMillis, holdUntil.unixMillis])
            }
            _ = try await store.apply(
                .consents([
                    ConsentChange(
                        subject: .member("M1"), channel: .sms, category: .marketing, granted: true, source: "signup", at: Self.start - 86400)
                ]), dryRun: false)
            let gateway = ScriptedGateway("kannel")
            let dispatcher = fixture.dispatcher([gateway])
            let winBack = try await fixture.enqueue("win-back", lane: .marketing, category: .marketing, member: "M1")
            let confirmation = try await fixture.enqueue("confirm", lane: .transactional, category: .service, member: "M1")
            _ = try await dispatcher.sendDue()
            #expect(try await fixture.state(confirmation)?.status == .submitted)
            let held = try #require(try await fixture.state(winBack))
            #expect(held.status == .deferred && held.reason == "personal_call_first" && held.nextAttemptAt == holdUntil)
            #expect(gateway.sent.count == 1)

            fixture.clock.advance(by: 7 * 86400)
            _ = try await dispatcher.sendDue()
            #expect(try await fixture.state(winBack)?.status == .submitted)
            #expect(gateway.sent.count == 2)
        }
    }
}
