import CoreModel
import Foundation

extension ReportBuilder {
    /// Per gateway over the last `days` days: acceptances, failures by kind,
    /// possible duplicates (`EventCount.possibleDuplicate`), breaker openings, receipts and receipt times.
    func gateways(days: Int, now: Date = Date()) async throws -> ReportDocument {
        let (from, to) = window(days: days, now: now)
        var events: [String: [String: Int]] = [:]
        for count in try await store.eventCounts(from: from, to: to) where !count.gateway.isEmpty {
            events[count.gateway, default: [:]][count.event, default: 0] += count.events
        }
        var latency: [String: [Int: Int]] = [:]
        for count in try await store.receiptLatency(from: from, to: to) where !count.gateway.isEmpty {
            latency[count.gateway, default: [:]][count.bucket, default: 0] += count.receipts
        }
        let kinds: [(event: String, column: ReportColumn)] = [
            ("accepted", ReportColumn("accepted", "accepted")), ("transient_failure", ReportColumn("transient", "transient")),
            ("unanswered", ReportColumn("unanswered", "unanswered")), ("permanent_failure", ReportColumn("refused", "refused")),
            ("receipt", ReportColumn("receipts", "receipts")), ("receipt_timeout", ReportColumn("receipt_timeouts", "receipt time-outs")),
            ("lease_expired", ReportColumn("lease_lost", "lease lost")),
            (EventCount.possibleDuplicate, ReportColumn("possible_duplicates", "possible duplicates")),
        ]
        let openings = try await store.breakerOpenings(from: from, to: to)
        let gateways = Set(events.keys).union(latency.keys).union(openings.keys).sorted()
        let rows = gateways.map { gateway -> [ReportValue] in
            [.text(gateway)] + kinds.map { .count(events[gateway]?[$0.event] ?? 0) } + [.count(openings[gateway] ?? 0)]
                + [0.5, 0.95].map { VariantFigures.seconds(at: $0, of: latency[gateway] ?? [:]).map { .text("≤\($0)") } ?? .none }
        }
        let columns = [ReportColumn("gateway", "gateway")] + kinds.map(\.column)
            + [ReportColumn("breaker_openings", "breaker openings")]
            + [ReportColumn("receipt_median_s", "receipt median s"), ReportColumn("receipt_p95_s", "receipt p95 s")]
        var section = ReportSection(id: "gateways", heading: "By gateway", columns: columns, rows: rows)
        if !gateways.isEmpty {
            section.charts = [ReportChart(
                kind: .bars, title: "Accepted and refused by gateway", labels: gateways,
                series: [("accepted", "accepted"), ("refused", "permanent_failure"), ("transient", "transient_failure")].map { name, event in
                    .init(name: name, values: gateways.map { Double(events[$0]?[event] ?? 0) })
                }, unit: "messages")]
        }
        return ReportDocument(kind: "gateways", title: "Gateways", subtitle: "last \(days) day(s)", sections: [section])
    }

    /// Messages accepted per day and channel over the last `days` days, with
    /// each day's busiest hour; texts and keys received and delivery receipts per day.
    func volumes(days: Int, now: Date = Date()) async throws -> ReportDocument {
        let (from, to) = window(days: days, now: now)
        var sentByHour: [Date: [Channel: Int]] = [:]
        var receiptsByHour: [Date: Int] = [:]
        for count in try await store.eventCounts(from: from, to: to) {
            switch count.event {
            case MessageEvent.acceptedName: sentByHour[count.hour, default: [:]][count.channel, default: 0] += count.events
            case "receipt": receiptsByHour[count.hour, default: 0] += count.events
            default: break
            }
        }
        let receivedByHour = try await store.receivedPerHour(from: from, to: to)
        let formatter = hourFormatter("yyyy-MM-dd HH")
        struct Day { var channels: [Channel: Int] = [:], received = 0, receipts = 0, peak = (hour: "-", sent: 0) }
        var perDay: [String: Day] = [:]
        var sentByHourOfDay = [Double](repeating: 0, count: 24), receivedByHourOfDay = [Double](repeating: 0, count: 24)
        for hour in Set(sentByHour.keys).union(receivedByHour.keys).union(receiptsByHour.keys) {
            let text = formatter.string(from: hour)
            let (day, hourOfDay) = (String(text.prefix(10)), Int(text.suffix(2)) ?? 0)
            let channels = sentByHour[hour] ?? [:]
            let sent = channels.values.reduce(0, +)
            var entry = perDay[day] ?? Day()
            entry.channels.merge(channels, uniquingKeysWith: +)
            entry.received += receivedByHour[hour] ?? 0
            entry.receipts += receiptsByHour[hour] ?? 0
            if sent > entry.peak.sent { entry.peak = (String(text.suffix(2)) + ":00", sent) }
            perDay[day] = entry
            sentByHourOfDay[hourOfDay] += Double(sent)
            receivedByHourOfDay[hourOfDay] += Double(receivedByHour[hour] ?? 0)
        }
        let dayList = perDay.keys.sorted()
        let rows = dayList.map { day -> [ReportValue] in
            let entry = perDay[day] ?? Day()
            return [.text(day), .count(entry.channels.values.reduce(0, +))] + Channel.allCases.map { .count(entry.channels[$0] ?? 0) }
                + [.text(entry.peak.hour), .count(entry.peak.sent), .count(entry.received), .count(entry.receipts)]
        }
        let columns = [ReportColumn("day", "day"), ReportColumn("sent", "sent")]
            + Channel.allCases.map { ReportColumn($0.rawValue, $0.rawValue) }
            + [ReportColumn("busiest_hour", "busiest hour"), ReportColumn("sent_then", "sent then"), ReportColumn("received", "received"),
               ReportColumn("receipts", "receipts")]
        var section = ReportSection(id: "days", heading: "By day", columns: columns, rows: rows)
        if !dayList.isEmpty {
            section.charts = [
                ReportChart(
                    kind: .bars, title: "Sent per day by channel", labels: dayList,
                    series: Channel.allCases.map { channel in
                        .init(name: channel.rawValue, values: dayList.map { Double(perDay[$0]?.channels[channel] ?? 0) })
                    }, unit: "messages"),
                ReportChart(
                    kind: .lines, title: "Sent and received by hour of day", labels: (0..<24).map { String(format: "%02d", $0) },
                    series: [.init(name: "sent", values: sentByHourOfDay), .init(name: "received", values: receivedByHourOfDay)],
                    unit: "messages"),
            ]
        }
        return ReportDocument(kind: "volumes", title: "Volumes", subtitle: "last \(days) day(s)", sections: [section])
    }
}
