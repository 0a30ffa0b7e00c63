import CoreModel
import Foundation

extension ReportBuilder {
    /// A campaign's figures by variant, its failures by reason and its funnel.
    func campaign(_ record: CampaignRecord) async throws -> ReportDocument {
        let figures = try await store.campaignFigures(campaignId: record.id)
        let report = CampaignFiguresTable(figures, price: price)
        var sections = [ReportSection(id: "variants", heading: "By variant", columns: CampaignFiguresTable.columns, rows: report.rows)]
        sections[0].notes = report.reasonLines
        if !figures.isEmpty { sections[0].charts = [report.funnel] }
        return ReportDocument(kind: "campaign", title: record.name, subtitle: record.status.rawValue, sections: sections)
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

    /// Sent → delivered → replied, per variant.
    var funnel: ReportChart {
        ReportChart(
            kind: .funnel, title: "Sent → delivered → replied", labels: ["sent", "delivered", "replied"],
            series: variants.map { variant in
                let f = figures[variant] ?? VariantFigures()
                return .init(name: variant, values: [Double(f.sent), Double(f.delivered), Double(f.replies)])
            }, unit: "messages")
    }
}
