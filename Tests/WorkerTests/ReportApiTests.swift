import CoreModel
import Foundation
import Testing

@testable import worker

/// /api/v1/reports and /api/v1/dashboard: the figures the CLI prints, as JSON.
struct ReportApiTests {
    typealias Fixture = AdminApiFixture

    /// A launched campaign with some of its messages accepted by a gateway, folded into the counts.
    static func launchAndSend(_ api: Fixture, accepting: Int) async throws {
        let json = try Fixture.campaignJSON("new-dishes.yaml", config: api.config)
        #expect(try await api.call(.post, "/api/v1/campaigns", token: api.tokens.write, body: json).status == 201)
        let launch = try await api.call(.post, "/api/v1/campaigns/new-dishes/launch", token: api.tokens.write)
        #expect(launch.status == 200, "\(launch.text)")
        let now = Date()
        let leased = try await api.store.leaseDue(
            lane: .marketing, limit: accepting, owner: "test", leaseUntil: now + 60, now: now + 86_400 * 30)
        #expect(leased.count == accepting)
        _ = try await api.store.recordSendResults(
            leased.map { SendResult(messageId: $0.id, gateway: "sim", segments: 1, event: .accepted(providerMessageId: "p\($0.id)")) },
            owner: "test", now: now)
        while try await api.store.foldRollups(limit: 10_000).more { continue }
    }

    /// The JSON rows hold the same figures as `tidings report … --csv`, column by column.
    static func expectSameFigures(_ answer: Fixture.Answer, _ csv: String) throws {
        let sections = try #require(answer.json["sections"] as? [[String: Any]], "\(answer.text)")
        let main = try #require(sections.first { !(($0["columns"] as? [Any]) ?? []).isEmpty })
        let keys = try #require(main["columns"] as? [[String: String]]).compactMap { $0["key"] }
        let rows = try #require(main["rows"] as? [[String: Any]])
        let lines = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.count == rows.count && !rows.isEmpty, "\(csv)")
        for (line, row) in zip(lines, rows) {
            for (key, field) in zip(keys, line) {
                if let count = Int(field) {
                    #expect(row[key] as? Int == count, "\(key): \(row[key] ?? "nil") in JSON, \(field) in CSV")
                } else if field.hasSuffix("%"), let percent = Double(field.dropLast()) {
                    #expect(abs((row[key] as? Double ?? -1) * 100 - percent) < 0.051, "\(key)")
                } else if !field.first!.isNumber {
                    #expect("\(row[key] ?? "-")" == field || (field == "-" && row[key] is NSNull), "\(key): \(field)")
                }
            }
        }
    }

    @Test func aCampaignReportCarriesTheCSVsFigures() async throws {
        try await Fixture.run { api in
            try await Self.launchAndSend(api, accepting: 7)
            let answer = try await api.call(.get, "/api/v1/reports/campaigns/new-dishes", token: api.tokens.read)
            #expect(answer.status == 200 && answer.json["kind"] as? String == "campaign", "\(answer.text)")
            let builder = ReportBuilder(store: api.store, config: api.config)
            let record = try #require(try await api.store.campaign(named: "new-dishes"))
            let csv = try ReportText.csv(try await builder.campaign(record))
            try Self.expectSameFigures(answer, csv)
            let rows = try #require((answer.json["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
            #expect(rows.compactMap { $0["sent"] as? Int }.reduce(0, +) == 7, "\(rows)")
            let charts = try #require((answer.json["sections"] as? [[String: Any]])?.first?["charts"] as? [[String: Any]])
            #expect(charts.first?["kind"] as? String == "funnel")

            let missing = try await api.call(.get, "/api/v1/reports/campaigns/nope", token: api.tokens.read)
            #expect(missing.status == 404 && missing.errorCode == "not_found", "\(missing.text)")
        }
    }

    @Test func gatewayAndVolumeReportsCarryTheCSVsFiguresAndCheckDays() async throws {
        try await Fixture.run(members: 120) { api in
            try await Self.launchAndSend(api, accepting: 5)
            let builder = ReportBuilder(store: api.store, config: api.config)
            let gateways = try await api.call(.get, "/api/v1/reports/gateways?days=2", token: api.tokens.read)
            #expect(gateways.status == 200, "\(gateways.text)")
            try Self.expectSameFigures(gateways, try ReportText.csv(try await builder.gateways(days: 2)))
            let volumes = try await api.call(.get, "/api/v1/reports/volumes", token: api.tokens.read)
            #expect(volumes.status == 200 && volumes.json["subtitle"] as? String == "last 7 day(s)", "\(volumes.text)")
            try Self.expectSameFigures(volumes, try ReportText.csv(try await builder.volumes(days: 7)))
            for days in ["0", "367", "x", "-1"] {
                let refused = try await api.call(.get, "/api/v1/reports/volumes?days=\(days)", token: api.tokens.read)
                #expect(refused.status == 400 && refused.field == "days", "\(days): \(refused.text)")
            }
            let refused = try await api.call(.get, "/api/v1/reports/gateways?days=400", token: api.tokens.read)
            #expect(refused.status == 400 && refused.field == "days", "\(refused.text)")
        }
    }

    /// The branch, contacts, churn and managers reports: the CLI's figures,
    /// contacts masked for a token without reveal, a bad month refused by name.
    @Test func branchContactsChurnAndManagerReports() async throws {
        try await Fixture.run(members: 120) { api in
            while try await api.store.foldRollups(limit: 10_000).more { continue }
            let builder = ReportBuilder(store: api.store, config: api.config)
            let branches = try await api.call(.get, "/api/v1/reports/branches?days=366", token: api.tokens.read)
            #expect(branches.status == 200 && branches.json["kind"] as? String == "branches", "\(branches.text)")
            try Self.expectSameFigures(branches, try ReportText.csv(try await builder.branches(days: 366)))

            let masked = try await api.call(.get, "/api/v1/reports/contacts?days=366", token: api.tokens.read)
            let revealed = try await api.call(.get, "/api/v1/reports/contacts?days=366", token: api.tokens.reveal)
            #expect(masked.status == 200 && revealed.status == 200, "\(masked.text)")
            // The list holds text with commas (reasons) and digits (addresses): compared as the document's own JSON.
            for (answer, reveal) in [(masked, false), (revealed, true)] {
                let document = try await builder.contacts(days: 366, limit: 200, reveal: reveal)
                let expected = try JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as? [String: Any]
                let (got, want) = (answer.json["sections"] as? NSArray, expected?["sections"] as? NSArray)
                #expect(got != nil && got == want, "reveal \(reveal): \(answer.text)")
            }
            #expect(masked.text != revealed.text, "the seeded store has contacts to fix, shown masked without reveal")

            for path in ["churn", "managers"] {
                let answer = try await api.call(.get, "/api/v1/reports/\(path)", token: api.tokens.read)
                #expect(answer.status == 200 && answer.json["kind"] as? String == path, "\(answer.text)")
                let refused = try await api.call(.get, "/api/v1/reports/\(path)?month=2026-13", token: api.tokens.read)
                #expect(refused.status == 400 && refused.field == "month", "\(refused.text)")
            }
            let limit = try await api.call(.get, "/api/v1/reports/contacts?limit=0", token: api.tokens.read)
            #expect(limit.status == 400 && limit.field == "limit", "\(limit.text)")
        }
    }

    /// Without a dispatcher in the process the rates are null, not zero; the
    /// queue and the campaign's progress are the store's.
    @Test func theDashboardShowsTheQueueAndTheCampaignsProgress() async throws {
        try await Fixture.run { api in
            try await Self.launchAndSend(api, accepting: 4)
            let answer = try await api.call(.get, "/api/v1/dashboard", token: api.tokens.read)
            #expect(answer.status == 200, "\(answer.text)")
            let record = try #require(try await api.store.campaign(named: "new-dishes"))
            let figures = try await api.store.campaignFigures(campaignId: record.id).values
            let pending = figures.map { $0.byStatus[.pending] ?? 0 }.reduce(0, +)
            let queue = try #require(answer.json["queue"] as? [String: Any])
            let counts = try #require(queue["counts"] as? [[String: Any]])
            let depth = try await api.store.queueDepth()
            #expect(
                counts.map { "\($0["lane"] ?? "") \($0["status"] ?? "") \($0["messages"] ?? "")" }
                    == depth.counts.map { "\($0.lane.rawValue) \($0.status.rawValue) \($0.messages)" }, "\(queue)")
            #expect(depth.messages(lane: .marketing, in: [.queued, .sending]) >= pending && pending > 0, "\(depth)")
            #expect(depth.messages(in: [.submitted]) >= 4, "the accepted ones wait for receipts: \(depth)")
            #expect(answer.json["throughput"] is NSNull || answer.json["throughput"] == nil, "\(answer.text)")
            let campaigns = try #require(answer.json["campaigns"] as? [[String: Any]])
            let campaign = try #require(campaigns.first { $0["name"] as? String == "new-dishes" }, "\(campaigns)")
            #expect(campaign["sent"] as? Int == 4 && campaign["pending"] as? Int == pending, "\(campaign)")
            #expect(campaign["status"] as? String == "running")
        }
    }
}
