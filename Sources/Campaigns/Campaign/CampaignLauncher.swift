import CoreModel
import Foundation
import Logging

/// Launches campaigns and keeps them moving: the CLI's `campaign launch`
/// and the worker's campaign service share it. A campaign that starts now
/// is fanned out at launch (with progress); one that starts later is
/// scheduled and fanned out by the worker when its start comes, so its
/// audience is who matches then; a cron campaign is fanned out run by run.
public struct CampaignLauncher: Sendable {
    public let store: any CampaignRecords
    public let planner: CampaignPlanner
    /// Members per fan-out transaction: small enough that an order confirmation waits milliseconds.
    public var chunkSize = 25_000

    public init(store: any CampaignRecords, planner: CampaignPlanner) {
        self.store = store
        self.planner = planner
    }

    public struct Launch: Sendable {
        public var outcome: CampaignLifecycle.Outcome
        /// Nil when nothing was fanned out now (scheduled for later, or already launched).
        public var fanOut: FanOutResult?
        public var startsAt: Date?
    }

    public func launch(
        _ record: CampaignRecord, actor: String, now: Date, progress: @escaping @Sendable (FanOutProgress) -> Void = { _ in }
    ) async throws -> Launch {
        let definition = try CampaignDefinition.decodeStored(record.definition)
        let zones = definition.schedule?.localTime != nil ? try await store.memberTimeZones() : []
        guard let start = planner.nextStart(definition, after: now, timeZones: zones) else {
            return Launch(outcome: .refused(reason: "its schedule has no time left to run at"), fanOut: nil, startsAt: nil)
        }
        let later = definition.schedule?.cron != nil || start.at > now.addingTimeInterval(60)
        let outcome = try await store.changeCampaign(
            id: record.id, .launch, startsLater: later, actor: actor, detail: later ? "starts \(start.at)" : nil, now: now)
        if case .refused = outcome { return Launch(outcome: outcome, fanOut: nil, startsAt: start.at) }
        // A relaunch of one sent once goes on with (or confirms) the same run: nothing is queued twice.
        guard !later else { return Launch(outcome: outcome, fanOut: nil, startsAt: start.at) }
        let plan = try planner.plan(definition, campaignId: record.id, start: start, now: now)
        let result = try await store.fanOut(plan, chunkSize: chunkSize, now: now, progress: progress)
        return Launch(outcome: outcome, fanOut: result, startsAt: start.at)
    }

    /// The worker's periodic look: start scheduled campaigns whose time came,
    /// fan out cron runs that are due, and complete campaigns with nothing left to send.
    public func tick(now: Date, logger: Logger) async throws {
        for record in try await store.campaigns() where record.status == .scheduled || record.status == .running {
            guard let definition = try? CampaignDefinition.decodeStored(record.definition) else { continue }
            let runs = try await store.campaignRuns(id: record.id)
            let lastStart = runs.map(\.startsAt).max()
            if let cron = definition.schedule?.cron, (try? CronSchedule(cron)) != nil {
                // The run after the last one (or after the launch), if it is due.
                let after = lastStart ?? record.launchedAt ?? record.createdAt
                guard let start = planner.nextStart(definition, after: after, timeZones: []), start.at <= now else { continue }
                try await fanOut(record, definition, start: start, now: now, logger: logger)
                continue
            }
            if record.status == .scheduled {
                let zones = definition.schedule?.localTime != nil ? try await store.memberTimeZones() : []
                let after = record.launchedAt ?? record.createdAt
                guard let start = planner.nextStart(definition, after: after, timeZones: zones), start.at <= now.addingTimeInterval(60) else {
                    continue
                }
                try await fanOut(record, definition, start: start, now: now, logger: logger)
                continue
            }
            // Running, sent once: complete when every run is out and nothing is left to send.
            if runs.allSatisfy({ $0.fannedOutAt != nil }), !runs.isEmpty,
                try await !store.hasUnsentMessages(campaignId: record.id)
            {
                _ = try await store.changeCampaign(id: record.id, .complete, startsLater: false, actor: "tidings", detail: nil, now: now)
                logger.notice("campaign completed", metadata: ["campaign": "\(record.name)"])
            }
        }
    }

    private func fanOut(
        _ record: CampaignRecord, _ definition: CampaignDefinition, start: CampaignPlanner.Start, now: Date, logger: Logger
    ) async throws {
        let plan = try planner.plan(definition, campaignId: record.id, start: start, now: now)
        let result = try await store.fanOut(plan, chunkSize: chunkSize, now: now) { _ in }
        if record.status == .scheduled {
            _ = try await store.changeCampaign(id: record.id, .start, startsLater: false, actor: "tidings", detail: nil, now: now)
        }
        logger.notice(
            "campaign run fanned out",
            metadata: [
                "campaign": "\(record.name)", "run": "\(start.run)", "audience": "\(result.audience)", "queued": "\(result.queued)",
                "control": "\(result.control)", "unreachable": "\(result.unreachable)",
            ])
    }
}
