import CoreModel
import Foundation
import Logging

/// Runs every enabled automation once over the store. Each reads from its
/// own cursor and commits as it goes; one that fails (a template that does
/// not load, a store error) is reported and the others still run. A template
/// that does not load is logged once per (template, channel, locale); other
/// failures are in the report (`AutomationService` logs them as it backs off).
public struct AutomationRunner: Sendable {
    public let clock: any WallClock
    let automations: [any Automation]
    let context: AutomationContext
    let locale: String
    let logger: Logger
    let problems: TemplateProblems

    /// - Parameters: settings, defaults, brand, departments: tidings.yaml's
    ///   `automations`, `defaults`, `brand` and `departments`. briefs: where
    ///   the managers' briefs are read and written; the store, when it plays that role.
    public init(
        store: any AutomationScans, settings: AutomationSettings, defaults: RegionalDefaults, brand: Brand,
        departments: DepartmentDirectory = .defaults, renderer: any MessageRenderer, clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "tidings.automations"), batchSize: Int = 500, briefs: (any ManagerBriefs)? = nil
    ) {
        let all: [any Automation] = [
            OrderConfirmation(settings: settings.orderConfirmation), ReservationReminder(settings: settings.reservationReminder),
            ReservationCall(settings: settings.reservationCall),
            LateDeliveryApology(settings: settings.lateDeliveryApology), RevisitSurvey(settings: settings.revisitSurvey),
            PointsExpiry(settings: settings.pointsExpiry), WinBack(settings: settings.winBack),
            ComplaintWorkOrder(settings: settings.complaintWorkOrder, departments: departments),
            ComplaintResolution(settings: settings.complaintResolution), BranchTicketing(settings: settings.branchTicket),
        ] + [(briefs ?? store as? any ManagerBriefs).map { ManagerBrief(settings: settings.managerBrief, store: $0) }].compactMap { $0 }
        self.automations = all.filter(\.rule.enabled)
        let problems = TemplateProblems()
        self.problems = problems
        self.context = AutomationContext(
            store: store, composer: MessageComposer(renderer: renderer, logger: logger, problems: problems),
            defaults: defaults, brand: brand, batchSize: max(1, batchSize))
        self.clock = clock
        self.locale = defaults.locale
        self.logger = logger
    }

    /// The enabled automations, in the order they run.
    public var enabled: [AutomationName] { automations.map(\.name) }

    public func runOnce() async throws -> AutomationReport {
        try await runOnce(now: clock.now())
    }

    /// One scan at `now` of `only` those automations (all enabled by default).
    /// Throws only when cancelled; every other failure is in the report.
    public func runOnce(now: Date, only: Set<AutomationName>? = nil) async throws -> AutomationReport {
        var report = AutomationReport(at: now)
        for automation in automations where only?.contains(automation.name) ?? true {
            try Task.checkCancellation()
            var tally = AutomationTally()
            do {
                try checkTemplates(of: automation, tally: &tally)
                try await automation.run(now: now, context: context, tally: &tally)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                tally.error = "\(error)"
            }
            report.tallies[automation.name] = tally
        }
        return report
    }

    /// Each channel's template must load before a scan: a missing file holds
    /// the automation back (its cursor stays) instead of skipping every row.
    private func checkTemplates(of automation: any Automation, tally: inout AutomationTally) throws {
        for (template, channel) in automation.templateParts {
            try check(template, channel: channel, of: automation, tally: &tally)
        }
    }

    private func check(_ template: String, channel: Channel, of automation: any Automation, tally: inout AutomationTally) throws {
        let key = TemplateProblems.Key(template: template, channel: channel, locale: locale, stage: .load)
        let metadata: Logger.Metadata = [
            "automation": "\(automation.name.rawValue)", "template": "\(template)",
            "channel": "\(channel.rawValue)", "locale": "\(locale)",
        ]
        do {
            try context.composer.renderer.check(template: template, channel: channel, locale: locale)
        } catch {
            tally.waitingForTemplate = true
            if problems.report(key) {
                logger.error(
                    "template does not load; the automation waits until it does (logged once)",
                    metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
            throw error
        }
        if problems.resolved(key) {
            logger.notice("template loads again; the automation resumes", metadata: metadata)
        }
    }
}
