import Campaigns
import Channels
import CoreModel
import Foundation
import Logging
import Scheduler
import Synchronization
import TestSupport
import Testing

/// Campaign messages through the real dispatcher and the campaign gate:
/// rendered at send time, stopped by a pause, and under the same quiet
/// hours, frequency caps and lane shares as every other message.
struct CampaignDispatchTests {
    /// A gateway that takes `delay` per message, recording when it was handed each.
    final class TimedGateway: Gateway {
        let name = "timed"
        let channels: Set<Channel> = [.sms, .email]
        let delay: Duration
        private let calls = Mutex<[(at: ContinuousClock.Instant, message: OutboundMessage)]>([])

        init(delay: Duration) { self.delay = delay }

        func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
            calls.withLock { $0.append((.now, message)) }
            try? await Task.sleep(for: delay)
            return Submission(providerMessageId: "p-\(message.id)")
        }

        var sent: [(at: ContinuousClock.Instant, message: OutboundMessage)] { calls.withLock { $0 } }
    }

    /// Writes the campaign's template, saves and launches it; returns the gate the dispatcher uses.
    func launch(
        _ definition: CampaignDefinition, in fixture: DispatchFixture, templates: URL, now: Date
    ) async throws -> (CampaignSendGate, FanOutResult?) {
        let library = TemplateLibrary(directory: templates)
        let environment = CampaignEnvironment(savedSegments: [:], templates: library, timeZone: try zone("Asia/Shanghai"))
        #expect(definition.issues(in: environment).isEmpty)
        let record = try await fixture.store.saveCampaign(
            name: definition.name, category: definition.category, definition: definition.storedJSON(), file: nil, actor: "test", now: now)
        let launch = try await CampaignLauncher(store: fixture.store, planner: CampaignPlanner(environment: environment))
            .launch(record, actor: "test", now: now)
        let gate = CampaignSendGate(store: fixture.store, templates: library, timeZone: try zone("Asia/Shanghai"), refresh: .milliseconds(100))
        return (gate, launch.fanOut)
    }

    func withTemplates<T>(_ body: (URL) async throws -> T) async throws -> T {
        try await withTemporaryDirectory("tidings-campaign-templates") { directory in
            let folder = directory.appendingPathComponent("offer")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "【鸿福楼】{{member_name}}您好，您有{{points}}积分，{{dish}}八折。回T退订\n".write(
                to: folder.appendingPathComponent("sms.zh-CN.mustache"), atomically: true, encoding: .utf8)
            return try await body(directory)
        }
    }

    func members(_ count: Int) -> [Member] {
        (1...count).map { member(String(format: "M%05d", $0), phone: String(format: "+86138%08d", $0)) }
    }

    func grantMarketing(_ numbers: [String], _ store: SQLiteStore, at: Date) async throws {
        for number in numbers {
            _ = try await store.recordConsent(
                ConsentChange(subject: .member(number), channel: .sms, category: .marketing, granted: true, source: "test", at: at), now: at)
        }
    }

    static func offer(_ category: ConsentCategory = .service) -> CampaignDefinition {
        CampaignDefinition(
            name: "offer", category: category, audience: "level = regular", channels: [.sms], template: "offer",
            values: ["dish": "松鼠桂鱼"])
    }

    @Test func messagesAreRenderedAtSendTimeForTheMemberAsTheyAreThen() async throws {
        let noon = try instant("2026-11-26T04:00:00Z")  // 12:00 in Shanghai
        try await withTemplates { templates in
            try await DispatchFixture.with(now: noon, members: members(3)) { fixture in
                let (gate, fanOut) = try await launch(Self.offer(), in: fixture, templates: templates, now: noon)
                #expect(fanOut?.queued == 3)
                // Points change after the launch: the message says what is true when it goes.
                var changed = member("M00002", phone: "+8613800000002")
                changed.points = 880
                _ = try await fixture.store.apply(.members([changed]), dryRun: false)
                let gateway = ScriptedGateway("sms")
                let dispatcher = fixture.dispatcher([gateway]) { _ in }
                let withGate = Dispatcher(store: fixture.store, registry: dispatcher.registry, settings: dispatcher.settings, campaigns: gate, clock: fixture.clock)
                try await withGate.sendDue()
                let texts = Dictionary(uniqueKeysWithValues: gateway.sent.map { ($0.to, $0.content.text ?? "") })
                #expect(texts["+8613800000002"] == "【鸿福楼】会员M00002您好，您有880积分，松鼠桂鱼八折。回T退订")
                #expect(texts["+8613800000001"] == "【鸿福楼】会员M00001您好，您有0积分，松鼠桂鱼八折。回T退订")
            }
        }
    }

    @Test func aPauseStopsSendsWithinASecondAndAResumeSendsTheRest() async throws {
        let noon = try instant("2026-11-26T04:00:00Z")
        try await withTemplates { templates in
            try await DispatchFixture.with(now: noon, members: members(600)) { fixture in
                let (gate, fanOut) = try await launch(Self.offer(), in: fixture, templates: templates, now: noon)
                #expect(fanOut?.queued == 600)
                let gateway = TimedGateway(delay: .milliseconds(20))
                let settings = [GatewaySettings(name: "timed", kind: .http, channels: [.sms], url: nil, rate: 0, maxInFlight: 8)]
                let plain = fixture.dispatcher([gateway], settings: settings) { $0.maxWaitForCapacity = 60 }
                let dispatcher = Dispatcher(store: fixture.store, registry: plain.registry, settings: plain.settings, campaigns: gate, clock: fixture.clock)
                // At most 400 a second (a debug build does about 100): pause after one second.
                let record = try #require(try await fixture.store.campaign(named: "offer"))
                try await running([dispatcher]) {
                    try await Task.sleep(for: .seconds(1))
                    #expect(try await fixture.store.changeCampaign(id: record.id, .pause, startsLater: false, actor: "t", detail: nil, now: noon) == .moved(to: .paused))
                    let paused = ContinuousClock.now
                    try await Task.sleep(for: .seconds(2))
                    let late = gateway.sent.filter { $0.at > paused + .seconds(1) }
                    let before = gateway.sent.count
                    #expect(late.isEmpty, "\(late.count) messages went to the gateway more than a second after the pause")
                    #expect(before > 30 && before < 600, "\(before) sent before the pause took hold")
                    // Resume: the rest go, none twice.
                    #expect(try await fixture.store.changeCampaign(id: record.id, .resume, startsLater: false, actor: "t", detail: nil, now: noon) == .moved(to: .running))
                    // Messages the gate stopped on their way out wait 30 s (`CampaignSendGate.pausedRecheck`) on
                    // the dispatcher's clock, which is the fixture's: move it on, or on a slow machine (where the
                    // gate stops some) they never come due.
                    fixture.clock.advance(by: 31)
                    let done = try await eventually(within: 20) { gateway.sent.count >= 600 }
                    #expect(done != nil, "\(gateway.sent.count) of 600 sent after the resume")
                }
                #expect(gateway.sent.count == 600)
                #expect(Set(gateway.sent.map(\.message.id)).count == 600)
                #expect(try await fixture.store.campaignProgress(id: record.id).total([.submitted]) == 600)
            }
        }
    }

    @Test func quietHoursAndFrequencyCapsHoldForCampaignMessages() async throws {
        let night = try instant("2026-11-26T14:00:00Z")  // 22:00 in Shanghai: quiet hours by default
        try await withTemplates { templates in
            try await DispatchFixture.with(now: night, members: members(3)) { fixture in
                try await grantMarketing(["M00001", "M00002", "M00003"], fixture.store, at: night - 86_400)
                // M00001 already had two marketing messages this week (the default cap: 2 per 7 days).
                for key in ["earlier-1", "earlier-2"] {
                    let id = try await fixture.enqueue(key, lane: .marketing, category: .marketing, member: "M00001", to: "+8613800000001")
                    _ = try await fixture.store.record([MessageEventRequest(messageId: id, event: .leased(owner: "t"))], now: night - 3 * 86_400)
                    _ = try await fixture.store.record([MessageEventRequest(messageId: id, event: .accepted(providerMessageId: key))], now: night - 3 * 86_400)
                }
                let (gate, fanOut) = try await launch(Self.offer(.marketing), in: fixture, templates: templates, now: night)
                #expect(fanOut?.queued == 3)
                let gateway = ScriptedGateway("sms")
                let plain = fixture.dispatcher([gateway])
                let dispatcher = Dispatcher(store: fixture.store, registry: plain.registry, settings: plain.settings, campaigns: gate, clock: fixture.clock)
                try await dispatcher.sendDue()
                #expect(gateway.sent.isEmpty)
                let record = try #require(try await fixture.store.campaign(named: "offer"))
                let progress = try await fixture.store.campaignProgress(id: record.id)
                #expect(progress.counts["A"]?[.suppressed] == 1)  // M00001: frequency cap
                #expect(progress.counts["A"]?[.deferred] == 2)  // the others wait for 09:00
            }
        }
    }

    /// Seconds from enqueueing an order confirmation to its hand-off to the gateway, while `dispatcher` runs.
    func confirmationLatency(_ fixture: DispatchFixture, _ gateway: TimedGateway, key: String) async throws -> Double {
        let enqueued = ContinuousClock.now
        let id = try await fixture.enqueue(key, lane: .transactional, member: "M00001", to: "+8613800000001")
        let sentAt = try await eventually(within: 10) { gateway.sent.contains { $0.message.id == id } }
        _ = try #require(sentAt)
        let at = try #require(gateway.sent.first { $0.message.id == id }?.at)
        let took = at - enqueued
        return Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
    }

    @Test func anOrderConfirmationIsNotDelayedByADrainingCampaign() async throws {
        let noon = try instant("2026-11-26T04:00:00Z")
        try await withTemplates { templates in
            try await DispatchFixture.with(now: noon, members: members(600)) { fixture in
                let (gate, _) = try await launch(Self.offer(), in: fixture, templates: templates, now: noon)
                let record = try #require(try await fixture.store.campaign(named: "offer"))
                // Held first: the baseline is the same worker with nothing else to send.
                _ = try await fixture.store.changeCampaign(id: record.id, .pause, startsLater: false, actor: "t", detail: nil, now: noon)
                let gateway = TimedGateway(delay: .milliseconds(20))
                let settings = [GatewaySettings(name: "timed", kind: .http, channels: [.sms], url: nil, rate: 0, maxInFlight: 8)]
                let plain = fixture.dispatcher([gateway], settings: settings) { $0.maxWaitForCapacity = 60 }
                let dispatcher = Dispatcher(store: fixture.store, registry: plain.registry, settings: plain.settings, campaigns: gate, clock: fixture.clock)
                try await running([dispatcher]) {
                    var idle: [Double] = []
                    for n in 1...3 { idle.append(try await confirmationLatency(fixture, gateway, key: "idle-\(n)")) }
                    _ = try await fixture.store.changeCampaign(id: record.id, .resume, startsLater: false, actor: "t", detail: nil, now: noon)
                    _ = try await eventually(within: 5) { gateway.sent.count > 60 }
                    var draining: [Double] = []
                    for n in 1...3 { draining.append(try await confirmationLatency(fixture, gateway, key: "busy-\(n)")) }
                    let unsent = try await fixture.store.hasUnsentMessages(campaignId: record.id)
                    #expect(unsent, "the campaign finished before the confirmations were measured")
                    // A FIFO behind 600 campaign messages would take seconds; the transactional lane goes first.
                    #expect(draining.max()! <= idle.max()! + 0.3, "idle \(idle), while draining \(draining)")
                }
            }
        }
    }

    /// Branch pacing: tonight's offer stops for a branch whose evening is 80 % booked and
    /// goes again when a booking is cancelled.
    @Test func aTonightOfferPausesForAFullBranchAndResumesWhenABookingIsCancelled() async throws {
        let noon = try instant("2026-11-26T04:00:00Z")
        let evening = try instant("2026-11-26T11:00:00Z")  // 19:00 in Shanghai
        try await withTemplates { templates in
            try await DispatchFixture.with(now: noon, members: members(3)) { fixture in
                var offer = Self.offer()
                offer.pacing = .init(seatsShare: 0.8, from: "17:00", to: "22:00", recheck: "10m")
                let (_, fanOut) = try await launch(offer, in: fixture, templates: templates, now: noon)
                #expect(fanOut?.queued == 3)
                func booking(_ no: String, party: Int, _ status: OrderStatus = .booked) -> Order {
                    Order(
                        orderNo: no, memberNo: "M00001", branchCode: "B01", source: .agent, kind: .reservation, status: status,
                        orderedAt: noon - 86_400, scheduledAt: evening, partySize: party, amountFen: 0)
                }
                // 70 of B01's 80 seats are booked for tonight: over 80 %.
                _ = try await fixture.store.apply(.orders([booking("R1", party: 40), booking("R2", party: 30)]), dryRun: false)
                let gate = CampaignSendGate(
                    store: fixture.store, templates: TemplateLibrary(directory: templates), timeZone: try zone("Asia/Shanghai"),
                    seatsRefresh: .zero)
                let leased = try await fixture.store.leaseDue(lane: .reminder, limit: 10, owner: "t", leaseUntil: noon + 60, now: noon)
                #expect(leased.count == 3)
                for (_, verdict) in await gate.prepare(leased, now: noon) {
                    guard case .settle(.deferred(let reason, let until)) = verdict else {
                        Issue.record("expected a pacing deferral, got \(verdict)")
                        continue
                    }
                    #expect(reason == "branch B01 is 70/80 booked tonight (pacing at 80%)")
                    #expect(until == noon + 600)
                }
                // A table of 30 cancels: 40/80 — the offer goes again.
                _ = try await fixture.store.apply(.orders([booking("R2", party: 30, .cancelled)]), dryRun: false)
                let again = await gate.prepare(leased, now: noon + 600)
                #expect(again.values.allSatisfy { if case .send = $0 { true } else { false } }, "\(again)")
            }
        }
    }

    /// The worker's campaign clock: a campaign launched for 13:00 waits as scheduled, is
    /// fanned out when 13:00 comes, and completes once nothing is left to send.
    @Test func theWorkerStartsAScheduledCampaignAtItsTimeAndCompletesIt() async throws {
        let noon = try instant("2026-11-26T04:00:00Z")
        let one = try instant("2026-11-26T05:00:00Z")  // 13:00 in Shanghai
        try await withTemplates { templates in
            try await DispatchFixture.with(now: one, members: members(4)) { fixture in
                let library = TemplateLibrary(directory: templates)
                let environment = CampaignEnvironment(savedSegments: [:], templates: library, timeZone: try zone("Asia/Shanghai"))
                var definition = Self.offer()
                definition.schedule = .init(at: "2026-11-26 13:00")
                #expect(definition.issues(in: environment).isEmpty)
                let record = try await fixture.store.saveCampaign(
                    name: definition.name, category: definition.category, definition: definition.storedJSON(), file: nil,
                    actor: "test", now: noon)
                let launcher = CampaignLauncher(store: fixture.store, planner: CampaignPlanner(environment: environment))
                let launch = try await launcher.launch(record, actor: "test", now: noon)
                #expect(launch.outcome == .moved(to: .scheduled) && launch.fanOut == nil)
                var logger = Logger(label: "test")
                logger.logLevel = .critical
                try await launcher.tick(now: noon + 1_800, logger: logger)
                #expect(try await fixture.store.campaign(id: record.id)?.status == .scheduled)
                #expect(try await fixture.store.campaignRuns(id: record.id).isEmpty)
                try await launcher.tick(now: one, logger: logger)
                #expect(try await fixture.store.campaign(id: record.id)?.status == .running)
                #expect(try await fixture.store.campaignRuns(id: record.id).first?.result.audience == 4)

                let gateway = ScriptedGateway("sms")
                let plain = fixture.dispatcher([gateway])
                let gate = CampaignSendGate(store: fixture.store, templates: library, timeZone: try zone("Asia/Shanghai"))
                let dispatcher = Dispatcher(store: fixture.store, registry: plain.registry, settings: plain.settings, campaigns: gate, clock: fixture.clock)
                try await dispatcher.sendDue()
                #expect(gateway.sent.count == 4)
                try await launcher.tick(now: one + 60, logger: logger)
                #expect(try await fixture.store.campaign(id: record.id)?.status == .completed)
                #expect(try await fixture.store.campaignEvents(id: record.id).map(\.event) == ["created", "launch", "fanned_out", "start", "complete"])
            }
        }
    }
}
