import CoreModel
import Foundation
import Hummingbird
import Logging
import Scheduler

/// The admin JSON API under /api/v1, documented in docs/openapi.json (a
/// test holds the document and these routes to each other). Bearer tokens
/// (`tidings token create`) carry scopes: `read` for every GET and for the
/// previews and segment counts, `write` for everything that changes data,
/// `reveal` for full phone numbers and emails in answers. Every route calls
/// the code its CLI command calls; none holds a rule of its own.
struct AdminApi: Sendable {
    let store: any Store
    let config: TidingsConfig
    var logger: Logger
    /// The dispatcher running in this process (`tidings run`): the dashboard's rates and breakers.
    var dispatcher: Dispatcher?

    static let prefix = "/api/v1"

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group(RouterPath(Self.prefix)).add(middleware: ApiErrorMiddleware(logger: logger))
        let routes = ApiRoutes(group: group, authenticator: ApiAuthenticator(store: store))
        CampaignRoutes(config: config, store: store).register(on: routes)
        SegmentRoutes(config: config, store: store).register(on: routes)
        MessageRoutes(config: config, store: store).register(on: routes)
        MemberRoutes(store: store).register(on: routes)
        TaskRoutes(store: store).register(on: routes)
        SendRoutes(config: config, store: store).register(on: routes)
        ReportRoutes(config: config, store: store).register(on: routes)
        TemplateRoutes(config: config).register(on: routes)
        BranchRoutes(store: store).register(on: routes)
        DashboardRoutes(config: config, store: store, dispatcher: dispatcher).register(on: routes)
    }
}
