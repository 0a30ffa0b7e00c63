@testable import CoreModel
import Foundation
import Testing

/// Campaign fan-out and lifecycle as any store must do them.
struct CampaignsContractTests {
    let now = Fixture.now

    func plan(
        _ id: Int64, segment: Segment = .all, category: ConsentCategory = .service, channels: [Channel] = [.sms],
        control: Int = 0, variants: [FanOutPlan.Variant] = [.init(name: "A", template: "promotion", bucketsBelow: 10_000)],
        salt: Int64 = 7, perMinute: Int? = nil
    ) -> FanOutPlan {
        FanOutPlan(
            campaignId: id, run: 1, segment: segment, category: category, lane: .marketing, channels: channels,
            controlBelow: control, variants: variants, salt: salt, locales: ["zh-CN"], fallbackLocale: "zh-CN", start: now,
            perMinute: perMinute)
    }

    func campaign(_ store: any Store, _ name: String) async throws -> Int64 {
        try await store.saveCampaign(
            name: name, category: .service, definition: "{}", file: nil, actor: "test", now: now
        ).id
    }

    @Test func theSplitFollowsTheWeightsWithinOnePointAndARelaunchQueuesNothing() async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            let count = 100_000
            try await store.load(.members((1...count).map { Fixture.member(String(format: "M%06d", $0), phone: String(format: "+86138%08d", $0)) }))
            let id = try await campaign(store, "split")
            let split = plan(
                id, control: 1_000,
                variants: [.init(name: "A", template: "a", bucketsBelow: 5_500), .init(name: "B", template: "b", bucketsBelow: 10_000)])
            let first = try await store.fanOut(split, chunkSize: 30_000, now: now) { _ in }
            #expect(first.audience == count)
            #expect(first.queued + first.control == count)
            // Within one percentage point of 10 % / 45 % / 45 %.
            #expect(abs(Double(first.control) / Double(count) - 0.10) <= 0.01)
            #expect(abs(Double(first.byVariant["A"] ?? 0) / Double(count) - 0.45) <= 0.01)
            #expect(abs(Double(first.byVariant["B"] ?? 0) / Double(count) - 0.45) <= 0.01)
            // The SQL computes the same hash as its Swift twin (members got ids 1…N).
            let expectedControl = (1...Int64(count)).filter { split.bucketHash.bucket(memberId: $0) < 1_000 }.count
            #expect(first.control == expectedControl)

            let again = try await store.fanOut(split, chunkSize: 30_000, now: now) { _ in }
            #expect(again.queued == 0)
            #expect(again.control == first.control && again.byVariant == first.byVariant)

            // Another campaign splits independently: its control group overlaps ours about 10 % × 10 %.
            let other = try await campaign(store, "other")
            let otherPlan = plan(other, control: 1_000, salt: 99_991)
            _ = try await store.fanOut(otherPlan, chunkSize: 50_000, now: now) { _ in }
            let both = (1...Int64(count)).filter { split.bucketHash.bucket(memberId: $0) < 1_000 && otherPlan.bucketHash.bucket(memberId: $0) < 1_000 }.count
            #expect((500...1_500).contains(both), "control groups overlap on \(both) members")
        }
    }

    @Test func aRelaunchAfterAnInterruptedFanOutGoesOnWithoutDoubling() async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            try await store.load(.members((1...50).map { Fixture.member("M\($0)", phone: String(format: "+86138%08d", $0)) }))
            let id = try await campaign(store, "interrupted")
            // The first launch dies after its first chunk (its task is cancelled; the next write refuses).
            let first = Task {
                try await store.fanOut(plan(id), chunkSize: 20, now: now) { progress in
                    if progress.scanned >= 20 { withUnsafeCurrentTask { $0?.cancel() } }
                }
            }
            await #expect(throws: CancellationError.self) { _ = try await first.value }
            #expect(try await store.campaignProgress(id: id).counts["A"]?[.queued] == 20)
            let result = try await store.fanOut(plan(id), chunkSize: 20, now: now) { _ in }
            #expect(result.audience == 50)
            #expect(result.byVariant["A"] == 50)
        }
    }

    @Test func membersGetTheFirstChannelTheyCanBeReachedOnWithConsent() async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            var noPhone = Fixture.member("M2", email: "m2@example.cn")
            noPhone.phone = .missing
            let revokedSMS = Fixture.member("M3", phone: "+8613800000003", email: "m3@example.cn")
            var nothing = Fixture.member("M4")
            nothing.phone = .invalid("123", reason: "too short")
            let noConsent = Fixture.member("M5", phone: "+8613800000005")
            try await store.load(.members([Fixture.member("M1", phone: "+8613800000001"), noPhone, revokedSMS, nothing, noConsent]))
            for (member, channel, granted) in [
                ("M1", Channel.sms, true), ("M2", .email, true), ("M3", .sms, false), ("M3", .email, true), ("M4", .sms, true),
            ] {
                _ = try await store.recordConsent(
                    ConsentChange(subject: .member(member), channel: channel, category: .marketing, granted: granted, source: "test", at: now),
                    now: now)
            }
            let id = try await campaign(store, "fallback")
            let result = try await store.fanOut(plan(id, category: .marketing, channels: [.sms, .email]), chunkSize: 100, now: now) { _ in }
            #expect(result.audience == 5)
            #expect(result.unreachable == 2)  // M4 (invalid phone, no email), M5 (no consent)
            let leased = try await store.leaseDue(lane: .marketing, limit: 10, owner: "t", leaseUntil: now + 60, now: now + 1)
            let byAddress = Dictionary(uniqueKeysWithValues: leased.map { ($0.address, $0.channel) })
            #expect(byAddress == ["+8613800000001": .sms, "m2@example.cn": .email, "m3@example.cn": .email])
            #expect(leased.allSatisfy { $0.campaignId == id && $0.template == "promotion" && $0.locale == "zh-CN" && $0.payload.isEmpty })
        }
    }

    /// An audience that requires a consent is read through that consent's rows (a join, not a
    /// per-member EXISTS): the same members as the segment's count, each message with its own
    /// uid (hex, new on every run), and foreign keys checked again once the fan-out is over.
    @Test func anAudienceRequiringAConsentMatchesItsCountAndLeavesForeignKeysOn() async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            try await store.load(.members((1...40).map {
                var member = Fixture.member("M\($0)", phone: String(format: "+86138%08d", $0))
                member.level = $0 % 2 == 0 ? .gold : .silver
                return member
            }))
            for number in 1...30 {
                _ = try await store.recordConsent(
                    ConsentChange(subject: .member("M\(number)"), channel: .sms, category: .marketing, granted: number % 3 != 0, source: "test", at: now),
                    now: now)
            }
            let audience = Segment.and(.compare(.level, .equal, .text("gold")), .isTrue(.consent(.sms, .marketing)))
            let expected = try await store.countMembers(in: audience, now: now)
            #expect(expected == 10)  // even numbers up to 30, less the multiples of 6
            let id = try await campaign(store, "consented")
            var once = plan(id, segment: audience, category: .marketing)
            let first = try await store.fanOut(once, chunkSize: 7, now: now) { _ in }
            #expect(first.audience == expected && first.queued == expected && first.unreachable == 0)
            once.run = 2
            _ = try await store.fanOut(once, chunkSize: 100, now: now) { _ in }
            let uids = try await store.leaseDue(lane: .marketing, limit: 100, owner: "t", leaseUntil: now + 60, now: now + 1).map(\.uid)
            #expect(uids.count == 2 * expected && Set(uids).count == uids.count, "\(uids)")
            #expect(uids.allSatisfy { $0.wholeMatch(of: /[0-9a-f]{16}[0-9]+/) != nil }, "\(uids)")
            let sqlite = try #require(store as? SQLiteStore)
            let foreignKeys = try await sqlite.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
            #expect(foreignKeys == 1)
        }
    }

    @Test func theThrottleSpreadsDueTimesFromTheStart() async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            try await store.load(.members((1...10).map { Fixture.member("M\($0)", phone: String(format: "+86138%08d", $0)) }))
            let id = try await campaign(store, "throttled")
            _ = try await store.fanOut(plan(id, perMinute: 60), chunkSize: 4, now: now) { _ in }
            // One a second: at start + 2.5 s, three are due (0 s, 1 s, 2 s), across chunk boundaries too.
            let due = try await store.leaseDue(lane: .marketing, limit: 100, owner: "t", leaseUntil: now + 60, now: now + 2.5)
            #expect(due.count == 3)
            let later = try await store.leaseDue(lane: .marketing, limit: 100, owner: "t", leaseUntil: now + 60, now: now + 9.5)
            #expect(later.count == 7)
        }
    }

    @Test func pauseParksResumeBringsBackAndCancelEnds() async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            try await store.load(.members((1...30).map { Fixture.member("M\($0)", phone: String(format: "+86138%08d", $0)) }))
            let id = try await campaign(store, "paused")
            #expect(try await store.changeCampaign(id: id, .launch, startsLater: false, actor: "t", detail: nil, now: now) == .moved(to: .running))
            _ = try await store.fanOut(plan(id), chunkSize: 100, now: now) { _ in }
            #expect(try await store.changeCampaign(id: id, .pause, startsLater: false, actor: "t", detail: nil, now: now + 10) == .moved(to: .paused))
            #expect(try await store.changeCampaign(id: id, .pause, startsLater: false, actor: "t", detail: nil, now: now + 10) == .unchanged)
            #expect(try await store.heldCampaigns()[id] == .paused)
            // Nothing of it is due, even a year on.
            #expect(try await store.leaseDue(lane: .marketing, limit: 100, owner: "t", leaseUntil: now + 60, now: now + 365 * 86_400).isEmpty)
            #expect(try await store.changeCampaign(id: id, .resume, startsLater: false, actor: "t", detail: nil, now: now + 70) == .moved(to: .running))
            // Back, later by the minute it was paused.
            #expect(try await store.leaseDue(lane: .marketing, limit: 100, owner: "t", leaseUntil: now + 60, now: now + 59).isEmpty)
            let back = try await store.leaseDue(lane: .marketing, limit: 10, owner: "t", leaseUntil: now + 120, now: now + 61)
            #expect(back.count == 10)
            #expect(try await store.changeCampaign(id: id, .cancel, startsLater: false, actor: "t", detail: nil, now: now + 80) == .moved(to: .cancelled))
            let progress = try await store.campaignProgress(id: id)
            #expect(progress.counts["A"]?[.cancelled] == 20)
            #expect(progress.counts["A"]?[.sending] == 10)  // leased before the cancel: the gate stops them before a gateway
            #expect(try await store.hasUnsentMessages(campaignId: id))
            let events = try await store.campaignEvents(id: id).map(\.event)
            #expect(events == ["created", "launch", "fanned_out", "pause", "resume", "cancel"])
            #expect(try await store.changeCampaign(id: id, .resume, startsLater: false, actor: "t", detail: nil, now: now + 90)
                == .refused(reason: "cannot resume a campaign that is cancelled"))
        }
    }

    @Test func aLaunchedCampaignKeepsItsDefinition() async throws {
        try await StoreKind.sqlite.withStore { store, _ in
            let id = try await campaign(store, "kept")
            _ = try await store.saveCampaign(name: "kept", category: .service, definition: #"{"v":2}"#, file: nil, actor: "t", now: now)
            _ = try await store.changeCampaign(id: id, .launch, startsLater: true, actor: "t", detail: nil, now: now)
            #expect(try await store.campaign(id: id)?.status == .scheduled)
            await #expect(throws: StoreError.self) {
                _ = try await store.saveCampaign(name: "kept", category: .service, definition: #"{"v":3}"#, file: nil, actor: "t", now: now)
            }
            #expect(try await store.campaign(named: "kept")?.definition == #"{"v":2}"#)
        }
    }
}
