import CoreModel
import Foundation
import Hummingbird

/// /api/v1/reports: the documents `tidings report` prints, as JSON (rows as
/// objects keyed by column key). They read the rolled-up counts as they are
/// (`tidings run` folds every two seconds), so an answer may trail the
/// outbox by that much.
struct ReportRoutes: Sendable {
    let config: TidingsConfig
    let store: any Store

    func register(on routes: ApiRoutes) {
        let builder = ReportBuilder(store: store, config: config)
        routes.on(.get, "reports/campaigns/{name}", needs: .read) { request, context, _ in
            let days = try request.query("days", default: 7, in: 1...CampaignOrders.maxDays)
            let record: CampaignRecord
            do { record = try await CampaignControl(config: config, store: store).record(context.parameter("name")) }
            catch let failure as CampaignControl.Failure { throw ApiError.notFound(failure.message) }
            return ApiJSON.response(try await builder.campaign(record, days: days))
        }
        routes.on(.get, "reports/gateways", needs: .read) { request, _, _ in
            ApiJSON.response(try await builder.gateways(days: request.query("days", default: 1, in: ReportBuilder.days)))
        }
        routes.on(.get, "reports/volumes", needs: .read) { request, _, _ in
            ApiJSON.response(try await builder.volumes(days: request.query("days", default: 7, in: ReportBuilder.days)))
        }
        routes.on(.get, "reports/branches", needs: .read) { request, _, _ in
            ApiJSON.response(
                try await builder.branches(days: request.query("days", default: 7, in: ReportBuilder.days), branch: request.query("branch")))
        }
        // Phones and emails masked unless the token reveals, as `--reveal` of the CLI.
        routes.on(.get, "reports/contacts", needs: .read) { request, _, token in
            ApiJSON.response(
                try await builder.contacts(
                    days: request.query("days", default: 30, in: ReportBuilder.days), limit: request.query("limit", default: 200, in: 1...10_000),
                    reveal: token.reveals))
        }
        routes.on(.get, "reports/churn", needs: .read) { request, _, _ in
            ApiJSON.response(try await builder.churn(month: Self.month(request, zone: builder.zone)))
        }
        routes.on(.get, "reports/managers", needs: .read) { request, _, _ in
            ApiJSON.response(try await builder.managers(month: Self.month(request, zone: builder.zone)))
        }
    }

    /// `?month=YYYY-MM`, else this month in the group's zone; 400 naming `month` otherwise.
    static func month(_ request: Request, zone: TimeZone) throws -> ReportMonth {
        let text = request.query("month")
        guard let month = ReportMonth.chosen(text, in: zone) else {
            throw ApiError.invalid("month", "'\(text ?? "")' is not a month YYYY-MM")
        }
        return month
    }
}
