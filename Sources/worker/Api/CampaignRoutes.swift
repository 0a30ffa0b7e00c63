import Campaigns
import CoreModel
import Foundation
import Hummingbird

/// /api/v1/campaigns: the same operations as `tidings campaign`, through the
/// same `CampaignControl` and `CampaignPreview`. A definition is posted as
/// JSON with the campaign file's keys and checked as a file is, with the
/// same field paths.
struct CampaignRoutes: Sendable {
    let config: TidingsConfig
    let store: any Store

    func register(on routes: ApiRoutes) {
        routes.on(.get, "campaigns", needs: .read) { _, _, _ in try await list() }
        routes.on(.post, "campaigns", needs: .write) { request, _, token in try await create(request, token) }
        routes.on(.get, "campaigns/{name}", needs: .read) { _, context, _ in try await show(context.parameter("name")) }
        routes.on(.post, "campaigns/{name}/preview", needs: .read) { request, context, token in
            try await preview(context.parameter("name"), sample: request.query("sample", default: 3, in: 1...20), token)
        }
        routes.on(.post, "campaign-previews", needs: .read) { request, _, token in
            try await preview(request, sample: request.query("sample", default: 3, in: 1...20), token)
        }
        routes.on(.post, "campaigns/{name}/launch", needs: .write) { _, context, token in
            try await launch(context.parameter("name"), token)
        }
        for action in [CampaignAction.pause, .resume, .cancel] {
            routes.on(.post, RouterPath("campaigns/{name}/\(action.rawValue)"), needs: .write) { _, context, token in
                try await change(context.parameter("name"), action, token)
            }
        }
    }

    var control: CampaignControl { CampaignControl(config: config, store: store) }

    struct Listed: Encodable {
        var name: String
        var title: String?
        var status: CampaignStatus
        var category: ConsentCategory
        var createdAt: Date
        var launchedAt: Date?
        var messages: CampaignTally
    }

    func list() async throws -> Response {
        var campaigns: [Listed] = []
        for record in try await store.campaigns() {
            let title = (try? CampaignDefinition.decodeStored(record.definition))?.title
            campaigns.append(
                Listed(
                    name: record.name, title: title, status: record.status, category: record.category,
                    createdAt: record.createdAt, launchedAt: record.launchedAt,
                    messages: CampaignTally(try await store.campaignProgress(id: record.id))))
        }
        return ApiJSON.response(["campaigns": campaigns])
    }

    struct Detail: Encodable {
        struct Run: Encodable {
            var run: Int64
            var startsAt: Date
            var fannedOutAt: Date?
            var fanOut: FanOut
        }
        struct Count: Encodable {
            var variant: String
            var status: MessageStatus
            var messages: Int
        }
        struct Event: Encodable {
            var at: Date
            var event: String
            var detail: String?
            var actor: String
        }
        var name: String
        var status: CampaignStatus
        var category: ConsentCategory
        var file: String?
        var createdAt: Date
        var updatedAt: Date
        var launchedAt: Date?
        var definition: CampaignDefinition
        var messages: CampaignTally
        /// Messages by variant and status, as `campaign show` tabulates them.
        var counts: [Count]
        var runs: [Run]
        /// The latest events, oldest first.
        var events: [Event]
    }

    /// What a fan-out did, with the variants as a list (their names are data, not keys).
    struct FanOut: Encodable {
        struct Variant: Encodable {
            var variant: String
            var messages: Int
        }
        var audience: Int
        var queued: Int
        var control: Int
        var unreachable: Int
        var byVariant: [Variant]

        init(_ result: FanOutResult) {
            audience = result.audience
            queued = result.queued
            control = result.control
            unreachable = result.unreachable
            byVariant = result.byVariant.sorted { $0.key < $1.key }.map { Variant(variant: $0.key, messages: $0.value) }
        }
    }

    static let eventLimit = 50

    func show(_ name: String) async throws -> Response {
        let record = try await find(name)
        let progress = try await store.campaignProgress(id: record.id)
        let counts = progress.counts.sorted { $0.key < $1.key }.flatMap { variant, byStatus in
            byStatus.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                Detail.Count(variant: variant, status: $0.key, messages: $0.value)
            }
        }
        let events = try await store.campaignEvents(id: record.id).suffix(Self.eventLimit).map {
            Detail.Event(at: $0.at, event: $0.event, detail: $0.detail, actor: $0.actor)
        }
        let detail = Detail(
            name: record.name, status: record.status, category: record.category, file: record.file,
            createdAt: record.createdAt, updatedAt: record.updatedAt, launchedAt: record.launchedAt,
            definition: try CampaignDefinition.decodeStored(record.definition), messages: CampaignTally(progress),
            counts: counts,
            runs: progress.runs.map {
                Detail.Run(run: $0.run, startsAt: $0.startsAt, fannedOutAt: $0.fannedOutAt, fanOut: FanOut($0.result))
            },
            events: Array(events))
        return ApiJSON.response(detail)
    }

    struct Saved: Encodable {
        var name: String
        var status: CampaignStatus
        var created: Bool
        var warnings: [ApiError.Issue]
    }

    func create(_ request: Request, _ token: ApiToken) async throws -> Response {
        let (definition, issues) = try await checked(request)
        let existed = try await store.campaign(named: definition.name) != nil
        let record: CampaignRecord
        do { record = try await control.save(definition, file: nil, actor: token.actor) } catch let failure
            as CampaignControl.Failure
        {
            throw ApiError.conflict(failure.message)
        }
        let warnings = issues.filter { $0.severity == .warning }.map {
            ApiError.Issue(field: $0.keyPath, message: $0.message)
        }
        return ApiJSON.response(
            Saved(name: record.name, status: record.status, created: !existed, warnings: warnings),
            status: existed ? .ok : .created)
    }

    func preview(_ name: String, sample: Int, _ token: ApiToken) async throws -> Response {
        let record = try await find(name)
        return ApiJSON.response(try await makePreview(record, sample: sample, reveal: token.reveals))
    }

    /// A definition not saved yet (the console's editor, as it is typed), checked as `create` checks it.
    func preview(_ request: Request, sample: Int, _ token: ApiToken) async throws -> Response {
        let (definition, _) = try await checked(request)
        return ApiJSON.response(try await makePreview(definition, sample: sample, reveal: token.reveals))
    }

    /// The posted definition and its warnings; 422 with every error when it has any.
    private func checked(_ request: Request) async throws -> (CampaignDefinition, [ConfigIssue]) {
        let definition = try await ApiJSON.decode(CampaignDefinition.self, from: request)
        let issues = definition.issues(in: config.campaignEnvironment())
        let errors = issues.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw ApiError.unprocessable(
                "invalid_definition",
                "the campaign definition has \(errors.count) problem(s); the first is \(errors[0])",
                issues: errors)
        }
        return (definition, issues)
    }

    struct Launched: Encodable {
        var name: String
        var status: CampaignStatus
        /// False when it was launched before (nothing queued twice).
        var changed: Bool
        var startsAt: Date?
        /// Nil when nothing was fanned out now (scheduled for later).
        var fanOut: FanOut?
    }

    /// Checks the templates as `campaign launch` does (any lint or render error refuses), then launches.
    func launch(_ name: String, _ token: ApiToken) async throws -> Response {
        let record = try await find(name)
        let preview = try await makePreview(record, sample: 1, reveal: false)
        guard preview.errors == 0 else {
            let issues =
                preview.lint.filter { $0.severity == .error }.map { ConfigIssue(path: ["template"], message: "\($0)") }
                + preview.renderings.compactMap { rendering in
                    rendering.error.map {
                        ConfigIssue(
                            path: ["template"],
                            message: "variant \(rendering.variant), \(rendering.channel.rawValue): \($0)")
                    }
                }
            throw ApiError.unprocessable(
                "template_errors", "\(name): the templates have \(preview.errors) error(s); fix them first",
                issues: issues)
        }
        let launch: CampaignLauncher.Launch
        do { launch = try await control.launch(record, actor: token.actor) } catch let failure
            as CampaignControl.Failure
        {
            throw ApiError.conflict(failure.message)
        }
        let now = try await find(name)
        var changed = false
        if case .moved = launch.outcome { changed = true }
        return ApiJSON.response(
            Launched(
                name: now.name, status: now.status, changed: changed, startsAt: launch.startsAt,
                fanOut: launch.fanOut.map(FanOut.init)))
    }

    struct Changed: Encodable {
        var name: String
        var status: CampaignStatus
        /// False when it was there already (a second pause).
        var changed: Bool
    }

    func change(_ name: String, _ action: CampaignAction, _ token: ApiToken) async throws -> Response {
        let record = try await find(name)
        let outcome: CampaignLifecycle.Outcome
        do { outcome = try await control.change(record, action, actor: token.actor) } catch let failure
            as CampaignControl.Failure
        {
            throw ApiError.conflict(failure.message)
        }
        switch outcome {
        case .moved(let status): return ApiJSON.response(Changed(name: name, status: status, changed: true))
        case .unchanged, .refused: return ApiJSON.response(Changed(name: name, status: record.status, changed: false))
        }
    }

    private func find(_ name: String) async throws -> CampaignRecord {
        do { return try await control.record(name) } catch let failure as CampaignControl.Failure {
            throw ApiError.notFound(failure.message)
        }
    }

    private func makePreview(_ record: CampaignRecord, sample: Int, reveal: Bool) async throws -> CampaignPreview {
        try await makePreview(try CampaignDefinition.decodeStored(record.definition), sample: sample, reveal: reveal)
    }

    private func makePreview(_ definition: CampaignDefinition, sample: Int, reveal: Bool) async throws -> CampaignPreview {
        do {
            return try await CampaignPreview.make(
                definition, config: config, store: store, reveal: reveal, sample: sample)
        } catch let error as CampaignPreview.Unparsable {
            throw ApiError.unprocessable(
                "invalid_audience", error.description,
                issues: [
                    ConfigIssue(path: ["audience"], message: error.error.description)
                ])
        }
    }
}
