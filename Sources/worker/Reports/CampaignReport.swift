import CoreModel
import Foundation

extension ReportBuilder {
    /// A campaign's figures by variant with its failures by reason, its funnel
    /// (sent → delivered → replied → ordered), and the orders within `days`
    /// of being chosen by arm, with the lift against the control group.
    func campaign(_ record: CampaignRecord, days: Int = 7) async throws -> ReportDocument {
        let figures = try await store.campaignFigures(campaignId: record.id)
        let orders = try await store.campaignOrders(campaignId: record.id, days: days)
        let report = CampaignFiguresTable(figures, price: price)
        var variants = ReportSection(id: "variants", heading: "By variant", columns: CampaignFiguresTable.columns, rows: report.rows)
        variants.notes = report.reasonLines
        if !figures.isEmpty { variants.charts = [report.funnel(orders)] }
        return ReportDocument(
            kind: "campaign", title: record.name, subtitle: record.status.rawValue,
            sections: [variants, OrdersTable(orders, days: days).section])
    }
}

/// Orders within N days of being chosen, by arm, with each variant's lift
/// over control (percentage points, 95 % interval) where there is a control group.
struct OrdersTable {
    let orders: CampaignOrders
    let days: Int

    init(_ orders: CampaignOrders, days: Int) {
        self.orders = orders
        self.days = days
    }

    static let columns = [
        ReportColumn("arm", "arm"), ReportColumn("members", "members"), ReportColumn("ordered", "ordered"),
        ReportColumn("conversion", "conversion"), ReportColumn("orders", "orders"), ReportColumn("spend_yuan", "spend yuan"),
        ReportColumn("lift", "lift"), ReportColumn("lift_low", "lift 95% low"), ReportColumn("lift_high", "lift 95% high"),
    ]

    var section: ReportSection {
        let hasControl = orders.control.members > 0
        func row(_ name: String, _ arm: ArmOrders, lift: (lift: Double, low: Double, high: Double)?) -> [ReportValue] {
            [
                .text(name), .count(arm.members), .count(arm.ordered), arm.rate.map(ReportValue.percent) ?? .none, .count(arm.orders),
                .amount(Double(arm.spendFen) / 100, decimals: 2), lift.map { .points($0.lift) } ?? .none,
                lift.map { .points($0.low) } ?? .none, lift.map { .points($0.high) } ?? .none,
            ]
        }
        let variants = orders.variants.keys.sorted().map { (name: $0, arm: orders.variants[$0] ?? ArmOrders()) }
        var rows = variants.map { row($0.name, $0.arm, lift: hasControl ? $0.arm.lift(over: orders.control) : nil) }
        let arms = variants + (hasControl ? [(name: "control", arm: orders.control)] : [])
        if hasControl { rows.append(row("control", orders.control, lift: nil)) }
        var notes = ["Members who ordered within \(days) day(s) of the campaign choosing them (its message made, or held out as control)."]
        notes.append(
            hasControl
                ? "Lift: a variant's conversion minus the control group's, in points, with its 95% interval."
                : "No control group: set control (a percentage) in the campaign to measure lift.")
        var section = ReportSection(id: "orders", heading: "Orders within \(days) day(s)", columns: Self.columns, rows: rows, notes: notes)
        if !arms.isEmpty {
            section.charts = [ReportChart(
                kind: .bars, title: "Members who ordered within \(days) day(s), %", labels: arms.map(\.name),
                series: [.init(name: "conversion", values: arms.map { ($0.arm.rate ?? 0) * 100 })], unit: "%")]
        }
        return section
    }
}

/// A campaign's figures as every output shows them.
struct CampaignFiguresTable {
    let figures: [String: VariantFigures]
    /// Yuan per SMS segment (per message on other channels) by gateway name, from tidings.yaml.
    let price: (String) -> Double?

    init(_ figures: [String: VariantFigures], price: @escaping (String) -> Double?) {
        self.figures = figures
        self.price = price
    }

    static let columns = [
        ReportColumn("variant", "variant"), ReportColumn("messages", "messages"), ReportColumn("pending", "pending"),
        ReportColumn("sent", "sent"), ReportColumn("delivered", "delivered"), ReportColumn("failed", "failed"),
        ReportColumn("suppressed", "suppressed"), ReportColumn("expired", "expired"), ReportColumn("unconfirmed", "unconfirmed"),
        ReportColumn("cancelled", "cancelled"), ReportColumn("delivery_rate", "delivery rate"),
        ReportColumn("receipt_median_s", "receipt median s"), ReportColumn("receipt_p95_s", "receipt p95 s"),
        ReportColumn("segments", "segments"), ReportColumn("cost_yuan", "cost yuan"), ReportColumn("replies", "replies"),
        ReportColumn("opt_outs", "opt-outs"), ReportColumn("survey_answers", "survey answers"),
        ReportColumn("response_rate", "response rate"), ReportColumn("mean_score", "mean score"),
    ]

    var variants: [String] { figures.keys.sorted() }

    var rows: [[ReportValue]] {
        variants.map { variant in
            let f = figures[variant] ?? VariantFigures()
            func n(_ status: ReportStatus) -> ReportValue { .count(f.byStatus[status] ?? 0) }
            func seconds(_ fraction: Double) -> ReportValue { f.receiptSeconds(at: fraction).map { .text("≤\($0)") } ?? .none }
            return [
                .text(variant), .count(f.total), n(.pending), .count(f.sent), n(.delivered), n(.failed), n(.suppressed), n(.expired),
                .count(f.unconfirmed), n(.cancelled), f.deliveryRate.map(ReportValue.percent) ?? .none, seconds(0.5), seconds(0.95),
                .count(f.segments), .amount(Double(f.cost(price: price)) / 1_000_000, decimals: 2), .count(f.replies),
                .count(f.optOuts), .count(f.surveyAnswers), f.responseRate.map(ReportValue.percent) ?? .none,
                f.meanScore.map { .amount($0, decimals: 2) } ?? .none,
            ]
        }
    }

    /// `A failed: gateway rejected 12, no route 3` for each variant and status with reasons.
    var reasonLines: [String] {
        variants.flatMap { variant in
            let f = figures[variant] ?? VariantFigures()
            return [ReportStatus.failed, .suppressed, .expired].compactMap { status -> String? in
                guard let reasons = f.reasons[status]?.filter({ $0.value != 0 }), !reasons.isEmpty else { return nil }
                let listed = reasons.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
                return "\(variant) \(status.rawValue): \(listed.joined(separator: ", "))"
            }
        }
    }

    /// Sent → delivered → replied → ordered (members), per variant.
    func funnel(_ orders: CampaignOrders) -> ReportChart {
        ReportChart(
            kind: .funnel, title: "Sent → delivered → replied → ordered", labels: ["sent", "delivered", "replied", "ordered"],
            series: variants.map { variant in
                let f = figures[variant] ?? VariantFigures()
                let ordered = orders.variants[variant]?.ordered ?? 0
                return .init(name: variant, values: [Double(f.sent), Double(f.delivered), Double(f.replies), Double(ordered)])
            }, unit: "messages")
    }
}
