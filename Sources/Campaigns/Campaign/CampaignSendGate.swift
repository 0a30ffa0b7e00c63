import CoreModel
import Foundation
import Logging
import Scheduler
import Synchronization

/// The dispatcher's `CampaignGate`: renders campaign messages at send time
/// from their stored template and locale with the member's values as they
/// are then, and keeps paused and cancelled campaigns, closed send windows
/// and full branches from sending. Campaign states are read every
/// `refresh` (a pause takes effect within it); definitions and templates are
/// read once per campaign and cached.
public final class CampaignSendGate: CampaignGate, Sendable {
    let store: any CampaignRecords
    let templates: TemplateLibrary
    let refresh: Duration
    /// How long a message of a paused campaign that was already leased waits before it looks again.
    static let pausedRecheck: TimeInterval = 30
    /// Where pacing's evening is.
    let timeZone: TimeZone
    /// How long tonight's bookings are reused before they are read again.
    let seatsRefresh: Duration
    let logger: Logger
    private let state = Mutex(State())

    struct State {
        var held: [Int64: CampaignStatus] = [:]
        var lastRefresh: ContinuousClock.Instant?
        var definitions: [Int64: CampaignDefinition] = [:]
        var compiled: [String: ChannelTemplate] = [:]
        var seats: (day: String, at: ContinuousClock.Instant, booked: [String: (booked: Int, seats: Int)])?
    }

    public init(
        store: any CampaignRecords, templates: TemplateLibrary, timeZone: TimeZone, refresh: Duration = .milliseconds(250),
        seatsRefresh: Duration = .seconds(30), logger: Logger = Logger(label: "tidings.campaigns")
    ) {
        self.store = store
        self.seatsRefresh = seatsRefresh
        self.timeZone = timeZone
        self.templates = templates
        self.refresh = refresh
        self.logger = logger
    }

    /// Reads the campaigns' states now (the worker's campaign service calls it after a change it made itself).
    public func refreshHolds() async {
        do {
            let held = try await store.heldCampaigns()
            state.withLock {
                $0.held = held
                $0.lastRefresh = .now
            }
        } catch {
            logger.error("reading campaign states failed", metadata: ["error": "\(error)"])
        }
    }

    private func refreshIfStale() async {
        let stale = state.withLock { $0.lastRefresh.map { ContinuousClock.now - $0 >= refresh } ?? true }
        if stale { await refreshHolds() }
    }

    public func hold(campaignId: Int64, now: Date) -> MessageEvent? {
        let status = state.withLock { $0.held[campaignId] }
        return status.flatMap { Self.holdEvent($0, now: now) }
    }

    static func holdEvent(_ status: CampaignStatus, now: Date) -> MessageEvent? {
        switch status {
        case .paused:
            // Only what was leased before the store parked the rest: a short wait, not a park, so
            // one held just after a resume (the gate's view is up to `refresh` old) is not stranded.
            return .deferred(reason: "campaign paused", until: now.addingTimeInterval(CampaignSendGate.pausedRecheck))
        case .cancelled: return .cancelled(reason: "campaign cancelled")
        case .draft, .scheduled, .running, .completed: return nil
        }
    }

    public func prepare(_ messages: [OutboxMessage], now: Date) async -> [Int64: CampaignVerdict] {
        await refreshIfStale()
        var verdicts: [Int64: CampaignVerdict] = [:]
        var toRender: [OutboxMessage] = []
        for message in messages {
            guard let campaignId = message.campaignId else { continue }
            if let event = hold(campaignId: campaignId, now: now) {
                verdicts[message.id] = .settle(event)
            } else {
                toRender.append(message)
            }
        }
        guard !toRender.isEmpty else { return verdicts }
        let recipients: [Int64: CampaignRecipient]
        do {
            recipients = try await store.campaignRecipients(messageIds: toRender.map(\.id))
            try await loadDefinitions(Set(toRender.compactMap(\.campaignId)))
        } catch {
            logger.error("reading campaign recipients failed; the messages wait", metadata: ["error": "\(error)"])
            for message in toRender { verdicts[message.id] = .settle(.deferred(reason: "campaign store unavailable", until: now.addingTimeInterval(30))) }
            return verdicts
        }
        let seats = await bookedSeats(for: toRender, now: now)
        for message in toRender {
            verdicts[message.id] = verdict(message, recipient: recipients[message.id], seats: seats, now: now)
        }
        return verdicts
    }

    private func verdict(
        _ message: OutboxMessage, recipient: CampaignRecipient?, seats: [String: (booked: Int, seats: Int)], now: Date
    ) -> CampaignVerdict {
        guard let campaignId = message.campaignId, let definition = state.withLock({ $0.definitions[campaignId] }) else {
            return .settle(.permanentFailure(reason: "campaign \(message.campaignId.map(String.init) ?? "?") is not in the store"))
        }
        guard let recipient else { return .settle(.cancelled(reason: "the member is no longer in the store")) }
        let zone = TimeZone(identifier: recipient.member.timezone) ?? .current
        if let window = definition.window,
            let opens = window.opening(after: now, in: zone)
        {
            return .settle(.deferred(reason: "campaign window \(window.from)–\(window.to)", until: opens))
        }
        if let pacing = definition.pacing, let branch = recipient.member.branchCode, let tonight = seats[branch], tonight.seats > 0,
            Double(tonight.booked) >= pacing.seatsShare * Double(tonight.seats)
        {
            let recheck = DispatchConfig.seconds(of: pacing.recheck) ?? 600
            return .settle(.deferred(
                reason: "branch \(branch) is \(tonight.booked)/\(tonight.seats) booked tonight (pacing at \(Int(pacing.seatsShare * 100))%)",
                until: now.addingTimeInterval(recheck)))
        }
        guard let templateName = message.template, let locale = message.locale else {
            return .settle(.permanentFailure(reason: "campaign message without a template"))
        }
        do {
            let template = try compiled(templateName, channel: message.channel, locale: locale)
            let values = RecipientValues.values(
                member: recipient.member, branchName: recipient.branchName, campaignValues: definition.values, now: now)
            return .send(try template.render(values))
        } catch {
            return .settle(.permanentFailure(reason: "template \(templateName) (\(message.channel.rawValue), \(locale)): \(error)"))
        }
    }

    private func compiled(_ name: String, channel: Channel, locale: String) throws -> ChannelTemplate {
        let key = "\(name)|\(channel.rawValue)|\(locale)"
        if let cached = state.withLock({ $0.compiled[key] }) { return cached }
        let template = try templates.template(named: name, channel: channel, locale: locale)
        state.withLock { $0.compiled[key] = template }
        return template
    }

    private func loadDefinitions(_ ids: Set<Int64>) async throws {
        let missing = state.withLock { state in ids.filter { state.definitions[$0] == nil } }
        for id in missing {
            guard let record = try await store.campaign(id: id) else { continue }
            let definition = try CampaignDefinition.decodeStored(record.definition)
            state.withLock { $0.definitions[id] = definition }
        }
    }

    /// Tonight's bookings per branch, read at most every `seatsRefresh`, only when a campaign paces.
    private func bookedSeats(for messages: [OutboxMessage], now: Date) async -> [String: (booked: Int, seats: Int)] {
        let pacing = state.withLock { state in
            messages.compactMap { $0.campaignId.flatMap { state.definitions[$0]?.pacing } }.first
        }
        guard let pacing else { return [:] }
        let zone = timeZone
        let day = Self.dayKey(now, zone)
        if let cached = state.withLock({ $0.seats }), cached.day == day, ContinuousClock.now - cached.at < seatsRefresh {
            return cached.booked
        }
        guard let from = CampaignClock.next(pacing.from, on: day, in: zone, after: now),
            var to = CampaignClock.next(pacing.to, on: day, in: zone, after: now)
        else { return [:] }
        if to <= from { to = to.addingTimeInterval(86_400) }
        do {
            let booked = try await store.bookedSeats(from: from, to: to)
            state.withLock { $0.seats = (day, .now, booked) }
            return booked
        } catch {
            logger.error("reading tonight's bookings failed", metadata: ["error": "\(error)"])
            return [:]
        }
    }

    static func dayKey(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}


extension CampaignDefinition {
    /// The definition as the store keeps it (JSON).
    public func storedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decodeStored(_ json: String) throws -> CampaignDefinition {
        try JSONDecoder().decode(CampaignDefinition.self, from: Data(json.utf8))
    }
}
