import CoreModel
import Foundation

extension ReportBuilder {
    /// Members whose RFM segment moved into `at_risk` or `lost` during
    /// `month` (as `tidings rfm` recomputed it), by the manager who owned
    /// them then; `-` for members nobody owned.
    func churn(month: ReportMonth) async throws -> ReportDocument {
        let (from, to) = month.range(in: zone)
        var byManager: [String: (name: String, counts: [RFMSegment: Int])] = [:]
        for count in try await store.churn(from: from, to: to) {
            let key = count.staffNo ?? "-"
            byManager[key, default: (count.staffName ?? "unowned", [:])].counts[count.segment, default: 0] +=
                count.members
        }
        let segments = [RFMSegment.atRisk, .lost]
        let managers = byManager.keys.sorted()
        var section = ReportSection(
            id: "managers", heading: "By owning manager",
            columns: [ReportColumn("staff_no", "manager"), ReportColumn("name", "name")]
                + segments.map { ReportColumn($0.rawValue, $0.rawValue) },
            rows: managers.map { key in
                let entry = byManager[key] ?? ("", [:])
                return [.text(key), .text(entry.name)] + segments.map { .count(entry.counts[$0] ?? 0) }
            })
        if !managers.isEmpty {
            section.charts = [
                ReportChart(
                    kind: .bars, title: "Moved to at_risk and lost by manager", labels: managers,
                    series: segments.map { segment in
                        .init(
                            name: segment.rawValue, values: managers.map { Double(byManager[$0]?.counts[segment] ?? 0) }
                        )
                    }, unit: "members")
            ]
        }
        section.notes = [
            "A member moved into both in the month counts in both; segments change only when tidings rfm recomputes."
        ]
        return ReportDocument(kind: "churn", title: "Churn", subtitle: "month \(month)", sections: [section])
    }
}
