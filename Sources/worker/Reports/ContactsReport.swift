import CoreModel
import Foundation

extension ReportBuilder {
    /// Members' phones, emails and faxes that are invalid or bounced, of
    /// members flagged (or changed) in the last `days` days: the `limit`
    /// changed last, masked unless `reveal`, and all of them by reason.
    func contacts(days: Int, limit: Int, reveal: Bool, now: Date = Date()) async throws -> ReportDocument {
        let found = try await store.contactsToFix(since: window(days: days, now: now).from, limit: limit)
        let formatter = hourFormatter("yyyy-MM-dd HH:mm")
        var list = ReportSection(
            id: "contacts", heading: "Contacts to fix",
            columns: [
                ReportColumn("member_no", "member"), ReportColumn("name", "name"), ReportColumn("contact", "contact"),
                ReportColumn("address", "address"), ReportColumn("status", "status"), ReportColumn("reason", "reason"),
                ReportColumn("updated", "updated"),
            ],
            rows: found.listed.map { reveal ? $0 : $0.masked() }.map { c in
                [
                    .text(c.memberNo), .text(c.name), .text(c.kind.rawValue), c.address.map(ReportValue.text) ?? .none,
                    .text(c.status.rawValue), c.reason.map(ReportValue.text) ?? .none,
                    .text(formatter.string(from: c.updatedAt)),
                ]
            })
        if found.total > found.listed.count {
            list.notes = ["\(found.total - found.listed.count) more not listed (--limit)"]
        }
        var reasons = ReportSection(
            id: "reasons", heading: "By reason",
            columns: [
                ReportColumn("contact", "contact"), ReportColumn("status", "status"), ReportColumn("reason", "reason"),
                ReportColumn("contacts", "contacts"),
            ],
            rows: found.reasons.map {
                [.text($0.kind.rawValue), .text($0.status.rawValue), .text($0.reason), .count($0.contacts)]
            })
        if !found.reasons.isEmpty {
            let kinds = ContactKind.allCases
            let statuses = [ContactStatus.invalid, .bounced]
            reasons.charts = [
                ReportChart(
                    kind: .bars, title: "Contacts to fix by kind", labels: kinds.map(\.rawValue),
                    series: statuses.map { status in
                        .init(
                            name: status.rawValue,
                            values: kinds.map { kind in
                                Double(
                                    found.reasons.filter { $0.kind == kind && $0.status == status }.map(\.contacts)
                                        .reduce(0, +))
                            })
                    }, unit: "contacts")
            ]
        }
        return ReportDocument(
            kind: "contacts", title: "Contacts to fix",
            subtitle: "flagged or changed in the last \(days) day(s), \(found.total) in all",
            sections: [list, reasons])
    }
}
