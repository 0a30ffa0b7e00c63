import CoreModel
import Foundation

extension ReportBuilder {
    /// Per branch and day (defaults.timezone) over the last `days` days, for
    /// staffing: orders by source and their busiest hour, late and undelivered
    /// deliveries, apologies, survey answers and mean score, complaints opened
    /// and resolved with median and p90 hours to resolve; then complaints by
    /// department over the window.
    func branches(days: Int, branch: String? = nil, now: Date = Date()) async throws -> ReportDocument {
        let (from, to) = window(days: days, now: now)
        let formatter = hourFormatter("yyyy-MM-dd HH")
        var byDay: [BranchKey: BranchFigures] = [:]
        var byBranch: [String: BranchFigures] = [:]
        var byDepartment: [BranchKey: BranchFigures] = [:]
        for count in try await store.branchCounts(from: from, to: to, branchCode: branch) {
            let text = formatter.string(from: count.hour)
            let hourOfDay = Int(text.suffix(2)) ?? 0
            byDay[BranchKey(branch: count.branch, detail: String(text.prefix(10))), default: BranchFigures()].add(
                count, hourOfDay: hourOfDay)
            byBranch[count.branch, default: BranchFigures()].add(count, hourOfDay: hourOfDay)
            if count.figure == .complaint || count.figure == .resolved {
                byDepartment[BranchKey(branch: count.branch, detail: count.label), default: BranchFigures()]
                    .add(count, hourOfDay: hourOfDay)
            }
        }
        let sources = OrderSource.allCases
        let dayColumns =
            [ReportColumn("branch", "branch"), ReportColumn("day", "day"), ReportColumn("orders", "orders")]
            + sources.map { ReportColumn($0.rawValue, $0.rawValue) }
            + [
                ReportColumn("busiest_hour", "busiest hour"), ReportColumn("late", "late"),
                ReportColumn("undelivered", "undelivered"),
                ReportColumn("apologies", "apologies"), ReportColumn("survey_answers", "survey answers"),
                ReportColumn("mean_score", "mean score"), ReportColumn("complaints", "complaints"),
                ReportColumn("resolved", "resolved"),
                ReportColumn("resolve_median_h", "resolve median h"), ReportColumn("resolve_p90_h", "resolve p90 h"),
            ]
        let dayRows = byDay.keys.sorted().map { key -> [ReportValue] in
            let f = byDay[key] ?? BranchFigures()
            return [.text(key.branch), .text(key.detail), .count(f.orderCount)]
                + sources.map { .count(f.orders[$0] ?? 0) }
                + [
                    f.busiestHour, .count(f.late), .count(f.undelivered), .count(f.apologies), .count(f.answers),
                    f.meanScore,
                    .count(f.complaints), .count(f.resolved), f.resolveHours(at: 0.5), f.resolveHours(at: 0.9),
                ]
        }
        var daily = ReportSection(id: "days", heading: "By branch and day", columns: dayColumns, rows: dayRows)
        daily.notes = [
            "late: delivered 30 min or 1 h late; undelivered: not delivered or wrong address (delivery feedback).",
            "Apologies count at the member's branch; survey answers at their order's;"
                + " complaints at their order's, else the member's.",
        ]
        let branchList = byBranch.keys.sorted()
        if branchList.contains(where: { (byBranch[$0]?.orderCount ?? 0) > 0 }) {
            daily.charts = [
                ReportChart(
                    kind: .lines, title: "Orders by hour of day", labels: (0..<24).map { String(format: "%02d", $0) },
                    series: branchList.map { code in
                        .init(name: code, values: (0..<24).map { Double(byBranch[code]?.ordersByHour[$0] ?? 0) })
                    }, unit: "orders"),
                ReportChart(
                    kind: .bars, title: "Orders by source", labels: branchList,
                    series: sources.map { source in
                        .init(
                            name: source.rawValue, values: branchList.map { Double(byBranch[$0]?.orders[source] ?? 0) })
                    }, unit: "orders"),
            ]
        }
        let departments = ReportSection(
            id: "complaints", heading: "Complaints by department",
            columns: [
                ReportColumn("branch", "branch"), ReportColumn("department", "department"),
                ReportColumn("opened", "opened"),
                ReportColumn("resolved", "resolved"), ReportColumn("resolve_median_h", "resolve median h"),
                ReportColumn("resolve_p90_h", "resolve p90 h"),
            ],
            rows: byDepartment.keys.sorted().map { key in
                let f = byDepartment[key] ?? BranchFigures()
                return [
                    .text(key.branch), .text(key.detail), .count(f.complaints), .count(f.resolved),
                    f.resolveHours(at: 0.5),
                    f.resolveHours(at: 0.9),
                ]
            })
        let scope = branch.map { "branch \($0), " } ?? ""
        return ReportDocument(
            kind: "branches", title: "Branches", subtitle: "\(scope)last \(days) day(s)",
            sections: [daily, departments])
    }
}

/// A branch and a day or a department: a row of the report.
private struct BranchKey: Hashable, Comparable {
    var branch: String
    var detail: String

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.branch, lhs.detail) < (rhs.branch, rhs.detail) }
}
