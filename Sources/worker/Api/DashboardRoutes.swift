import Campaigns
import CoreModel
import Foundation
import Hummingbird
import Scheduler

/// GET /api/v1/dashboard: what the console polls every two seconds while a
/// backlog drains, so nothing here scans `messages`: the queue depth is the
/// store's kept counts (`Queues`), rates and errors come from the running
/// dispatcher's own tally, campaign progress from the rolled-up counts.
/// Without a dispatcher (an API served by something else) rates and breaker
/// states are null rather than zero.
struct DashboardRoutes: Sendable {
    let config: TidingsConfig
    let store: any Store
    let dispatcher: Dispatcher?

    struct View: Encodable {
        var at: Date
        var queue: QueueDepth
        /// Nil when no dispatcher runs in this process.
        var throughput: Throughput?
        /// Failures of the last 15 minutes by kind (empty without a dispatcher).
        var errors: [Failures]
        var gateways: [GatewayHealth]
        var campaigns: [CampaignProgressView]
    }

    struct Throughput: Encodable {
        var lastMinute: Int
        var lastQuarterHour: Int
        /// Average of the last 15 minutes.
        var perMinute: Double
        /// Accepted per minute over the last 15 minutes, oldest first (the last minute is the current one).
        var minutes: [Int]
    }

    struct Failures: Encodable {
        var kind: String
        var messages: Int
    }

    struct GatewayHealth: Encodable {
        var name: String
        var kind: String
        var channels: [Channel]
        /// `closed`, `half_open`, `open`; nil without a dispatcher.
        var breaker: String?
        var inFlight: Int?
        /// Last 15 minutes.
        var accepted: Int?
        var refused: Int?
    }

    struct CampaignProgressView: Encodable {
        var name: String
        var title: String?
        var status: CampaignStatus
        var messages: Int
        var pending: Int
        var sent: Int
        var delivered: Int
        var failed: Int
        /// Share of the messages no longer pending (nil before any).
        var progress: Double?
    }

    static let showing: Set<CampaignStatus> = [.scheduled, .running, .paused]

    func register(on routes: ApiRoutes) {
        routes.on(.get, "dashboard", needs: .read) { _, _, _ in ApiJSON.response(try await view(now: Date())) }
    }

    func view(now: Date) async throws -> View {
        let window = RecentTraffic.minutes * 60
        let recent = dispatcher?.recentTraffic
        let counts = recent?.counts(lastSeconds: window, now: now) ?? [:]
        let throughput = recent.map { recent in
            let minutes = recent.acceptedPerMinute(now: now)
            let total = minutes.reduce(0, +)
            return Throughput(
                lastMinute: minutes.last ?? 0, lastQuarterHour: total,
                perMinute: Double(total) / Double(RecentTraffic.minutes), minutes: minutes)
        }
        var failures: [String: Int] = [:]
        for (key, n) in counts where key.outcome != RecentTraffic.accepted { failures[key.outcome, default: 0] += n }
        let breakers = dispatcher?.traffic.breakerStates() ?? [:]
        let inFlight = dispatcher?.traffic.inFlight() ?? [:]
        let gateways = config.gateways.map { gateway in
            let mine = counts.filter { $0.key.gateway == gateway.name }
            let accepted = mine.filter { $0.key.outcome == RecentTraffic.accepted }.values.reduce(0, +)
            return GatewayHealth(
                name: gateway.name, kind: gateway.kind.rawValue, channels: gateway.channels,
                breaker: dispatcher == nil ? nil : breakers[gateway.name] ?? "closed",
                inFlight: dispatcher == nil ? nil : inFlight[gateway.name] ?? 0,
                accepted: dispatcher == nil ? nil : accepted,
                refused: dispatcher == nil ? nil : mine.values.reduce(0, +) - accepted)
        }
        var campaigns: [CampaignProgressView] = []
        for record in try await store.campaigns() where Self.showing.contains(record.status) {
            let figures = try await store.campaignFigures(campaignId: record.id).values
            func sum(_ value: (VariantFigures) -> Int) -> Int { figures.map(value).reduce(0, +) }
            let messages = sum(\.total)
            let pending = sum { $0.byStatus[.pending] ?? 0 }
            campaigns.append(
                CampaignProgressView(
                    name: record.name, title: (try? CampaignDefinition.decodeStored(record.definition))?.title,
                    status: record.status, messages: messages, pending: pending, sent: sum(\.sent),
                    delivered: sum(\.delivered), failed: sum { ($0.byStatus[.failed] ?? 0) + ($0.byStatus[.expired] ?? 0) },
                    progress: messages == 0 ? nil : Double(messages - pending) / Double(messages)))
        }
        return View(
            at: now, queue: try await store.queueDepth(), throughput: throughput,
            errors: failures.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { Failures(kind: $0.key, messages: $0.value) },
            gateways: gateways, campaigns: campaigns)
    }
}
