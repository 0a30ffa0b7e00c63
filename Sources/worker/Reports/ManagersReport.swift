import CoreModel
import Foundation

extension ReportBuilder {
    /// Per manager during `month`: members owned now, members assigned (by
    /// allocation, hand-over or import) and handed away, tasks open and
    /// closed with the median hours to close, briefs sent and members named
    /// for a personal call.
    func managers(month: ReportMonth) async throws -> ReportDocument {
        let (from, to) = month.range(in: zone)
        let activity = try await store.managerActivity(from: from, to: to)
        let rows = try await store.managers().map { manager -> [ReportValue] in
            let a = activity[manager.staffNo] ?? ManagerActivity()
            return [
                .text(manager.staffNo), .text(manager.name), manager.branchCode.map(ReportValue.text) ?? .none,
                .count(manager.members), .count(a.received["allocation"] ?? 0), .count(a.received["handover"] ?? 0),
                .count(a.received["import"] ?? 0), .count(a.handedAway), .count(a.openTasks),
                .count(a.closeHours.values.reduce(0, +)),
                BucketCounts.bucket(at: 0.5, of: a.closeHours).map(ReportValue.count) ?? .none, .count(a.briefs),
                .count(a.personalCalls),
            ]
        }
        let section = ReportSection(
            id: "managers", heading: "By manager",
            columns: [
                ReportColumn("staff_no", "manager"), ReportColumn("name", "name"), ReportColumn("branch", "branch"),
                ReportColumn("members", "members"), ReportColumn("allocated", "allocated"),
                ReportColumn("handed_over_to", "handed over to"), ReportColumn("imported", "imported"),
                ReportColumn("handed_away", "handed away"), ReportColumn("open_tasks", "open tasks"),
                ReportColumn("tasks_closed", "tasks closed"), ReportColumn("close_median_h", "close median h"),
                ReportColumn("briefs", "briefs"), ReportColumn("personal_calls", "personal calls"),
            ],
            rows: rows,
            notes: ["members: owned now; open tasks: open now; the rest during the month."])
        return ReportDocument(kind: "managers", title: "Managers", subtitle: "month \(month)", sections: [section])
    }
}
