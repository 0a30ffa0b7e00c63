import CoreModel
import Foundation
import Logging

/// Runs every enabled automation once over the store. Each reads from its
/// own cursor and commits as it goes; one that fails (a template that does
/// not load, a store error) is reported and the others still run.
public struct AutomationRunner: Sendable {
    public let clock: any WallClock
    let automations: [any Automation]
    let context: AutomationContext
    let locale: String
    let logger: Logger

    /// - Parameters: settings, defaults, brand: tidings.yaml's `automations`, `defaults` and `brand`.
    public init(
        store: any AutomationScans, settings: AutomationSettings, defaults: RegionalDefaults, brand: Brand,
        renderer: any MessageRenderer, clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "tidings.automations"), batchSize: Int = 500
    ) {
        let all: [any Automation] = [
            OrderConfirmation(settings: settings.orderConfirmation), ReservationReminder(settings: settings.reservationReminder),
            ReservationCall(settings: settings.reservationCall),
            LateDeliveryApology(settings: settings.lateDeliveryApology), RevisitSurvey(settings: settings.revisitSurvey),
            PointsExpiry(settings: settings.pointsExpiry), WinBack(settings: settings.winBack),
        ]
        self.automations = all.filter(\.rule.enabled)
        self.context = AutomationContext(
            store: store, composer: MessageComposer(renderer: renderer, logger: logger), defaults: defaults,
            brand: brand, batchSize: max(1, batchSize))
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
                for channel in automation.rule.channels {
                    try context.composer.renderer.check(template: automation.rule.template, channel: channel, locale: locale)
                }
                try await automation.run(now: now, context: context, tally: &tally)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                tally.error = "\(error)"
                logger.error(
                    "automation failed; it runs again next scan", metadata: ["automation": "\(automation.name.rawValue)", "error": "\(error)"])
            }
            report.tallies[automation.name] = tally
        }
        return report
    }
}
