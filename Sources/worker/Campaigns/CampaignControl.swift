import Campaigns
import CoreModel
import Foundation

/// What marketing staff do to campaigns — store a checked definition as a
/// draft, find one, launch it, pause, resume or cancel it — for `tidings
/// campaign` and the admin API alike, so both move a campaign the same way.
struct CampaignControl: Sendable {
    let config: TidingsConfig
    let store: any Store

    struct Failure: Error, CustomStringConvertible {
        enum Code: String, Sendable { case notFound = "not_found", refused }
        var code: Code
        var message: String
        var description: String { message }
    }

    func record(_ name: String) async throws -> CampaignRecord {
        guard let record = try await store.campaign(named: name) else {
            throw Failure(code: .notFound, message: "no campaign named '\(name)'")
        }
        return record
    }

    /// Stores a checked definition as a draft (or replaces a draft's). A
    /// launched campaign keeps its definition: the same one again is fine, a
    /// changed one is refused.
    func save(
        _ definition: CampaignDefinition, file: String?, actor: String, now: Date = Date()
    ) async throws
        -> CampaignRecord
    {
        do {
            return try await store.saveCampaign(
                name: definition.name, category: definition.category, definition: definition.storedJSON(), file: file,
                actor: actor, now: now)
        } catch let error as StoreError where error.code == .refused {
            if let existing = try await store.campaign(named: definition.name),
                let stored = try? CampaignDefinition.decodeStored(existing.definition), stored == definition
            {
                return existing
            }
            throw Failure(
                code: .refused, message: "\(error.message); create a new campaign (another name) for a changed one")
        }
    }

    /// Fans the campaign out now, or schedules it; launching again queues nothing twice.
    func launch(
        _ record: CampaignRecord, actor: String, now: Date = Date(),
        progress: @escaping @Sendable (FanOutProgress) -> Void = { _ in }
    ) async throws -> CampaignLauncher.Launch {
        let launcher = CampaignLauncher(
            store: store, planner: CampaignPlanner(environment: config.campaignEnvironment()))
        let launch = try await launcher.launch(record, actor: actor, now: now, progress: progress)
        if case .refused(let reason) = launch.outcome {
            throw Failure(code: .refused, message: "\(record.name): \(reason)")
        }
        return launch
    }

    /// Pauses, resumes or cancels. A campaign paused before its first run
    /// resumes as scheduled: the worker fans it out at its start.
    func change(
        _ record: CampaignRecord, _ action: CampaignAction, actor: String, now: Date = Date()
    ) async throws
        -> CampaignLifecycle.Outcome
    {
        let startsLater = action == .resume ? try await store.campaignRuns(id: record.id).isEmpty : false
        let outcome = try await store.changeCampaign(
            id: record.id, action, startsLater: startsLater, actor: actor, detail: nil, now: now)
        if case .refused(let reason) = outcome { throw Failure(code: .refused, message: "\(record.name): \(reason)") }
        return outcome
    }
}
