import CoreModel
import Foundation
import Scheduler

/// Builds every report from the rolled-up counts, for the CLI, the admin
/// API and the console alike. It reads; it does not fold (`tidings run`
/// folds every two seconds, the CLI folds first with `RollupService`).
struct ReportBuilder: Sendable {
    let store: any Store
    let config: TidingsConfig
    /// The group's zone (`defaults.timezone`): days and hours are its days and hours.
    let zone: TimeZone

    init(store: any Store, config: TidingsConfig) {
        self.store = store
        self.config = config
        self.zone = TimeZone(identifier: config.defaults.timezone) ?? .current
    }

    /// How many days back a report may look (`--days`, `?days=`).
    static let days = 1...366

    /// The last `days` days in the group's zone, today included.
    func window(days: Int, now: Date = Date()) -> (from: Date, to: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: now)
        let from = calendar.date(byAdding: .day, value: -(days - 1), to: today) ?? today
        return (from, calendar.date(byAdding: .day, value: 1, to: today) ?? now)
    }

    /// Yuan per SMS segment (per message on other channels) by gateway name, from tidings.yaml.
    var price: @Sendable (String) -> Double? {
        let prices = Dictionary(config.gateways.map { ($0.name, $0.price) }, uniquingKeysWith: { first, _ in first })
        return { prices[$0] ?? nil }
    }

    func hourFormatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }
}
