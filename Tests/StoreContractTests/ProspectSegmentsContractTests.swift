import CoreModel
import Foundation
import Testing

/// Prospects in segments as any store must compile them: left out unless
/// the expression mentions them, their fields compared with bound values.
struct ProspectSegmentsContractTests {
    let now = Fixture.now
    static let day: TimeInterval = 86_400
    static let banquet = ProspectNumber.for(phone: "+8613511110001")
    static let reservation = ProspectNumber.for(phone: "+8613511110002")

    /// M1 gold, SMS marketing granted; M2 regular; BQ a banquet enquiry 3 days
    /// ago with SMS marketing granted on the call; RS a reservation enquiry 30
    /// days ago (both prospects are level regular, like every new row).
    func withFixture(_ body: (any Store) async throws -> Void) async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            var m1 = Fixture.member("M1", phone: "+8613800000001")
            m1.level = .gold
            try await store.load(.members([m1, Fixture.member("M2", phone: "+8613800000002")]))
            _ = try await store.recordConsent(
                memberNo: "M1", channel: .sms, category: .marketing, granted: true, source: "signup", at: now)
            let grant = ConsentChange(
                subject: .member(Self.banquet), channel: .sms, category: .marketing, granted: true, source: "enquiry",
                evidence: "test row 2: enquiry", at: now - 3 * Self.day)
            try await store.load(
                .prospects([
                    Prospect(
                        memberNo: Self.banquet, name: "钱先生", phone: "+8613511110001", source: .banquetEnquiry,
                        enquiredAt: now - 3 * Self.day, consents: [grant]),
                    Prospect(
                        memberNo: Self.reservation, name: "孙女士", phone: "+8613511110002", source: .reservationEnquiry,
                        enquiredAt: now - 30 * Self.day, branchCode: "B1"),
                ]))
            try await body(store)
        }
    }

    @Test(arguments: [
        ("", ["M1", "M2"]),
        ("level = regular", ["M2"]),
        ("branch = 'B1'", ["M1", "M2"]),
        ("consent(sms, marketing)", ["M1"]),
        ("prospect", ["BQ", "RS"]),
        ("prospect AND prospect_source = banquet_enquiry", ["BQ"]),
        ("prospect_source IN (reservation_enquiry, call_centre)", ["RS"]),
        ("prospect_source != banquet_enquiry", ["RS"]),
        ("prospect AND consent(sms, marketing)", ["BQ"]),
        ("enquired_at >= today - 7d", ["BQ"]),
        ("prospect AND enquired_at BETWEEN today - 60d AND today - 10d", ["RS"]),
        ("NOT prospect", ["M1", "M2"]),
        ("prospect = false", ["M1", "M2"]),
        ("prospect OR level = gold", ["M1", "BQ", "RS"]),
        ("enquired_at IS NULL", ["M1", "M2"]),
        // Values are bound: a quote and SQL in a value match nothing, and leave prospects out.
        ("branch = 'B1'' OR prospect = 1 --'", []),
        ("prospect AND branch = 'x'' OR 1=1 --'", []),
    ])
    func prospectsAreLeftOutUnlessAskedFor(_ expression: String, _ expected: [String]) async throws {
        try await withFixture { store in
            let segment = try SegmentParser(now: now, timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse(expression)
            let labels = [Self.banquet: "BQ", Self.reservation: "RS"]
            let sample = try await store.sampleMembers(in: segment, limit: 10, now: now).map { labels[$0.memberNo] ?? $0.memberNo }
            #expect(sample == expected, "\(expression)")
            #expect(try await store.countMembers(in: segment, now: now) == expected.count, "\(expression)")
            #expect(try await store.countMembers(in: .isTrue(.prospect), now: now) == 2, "the prospects are all still there")
        }
    }
}
