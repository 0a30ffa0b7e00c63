import Channels
@testable import CoreModel
import Foundation
import GRDB
import TestSupport
import Testing

/// A survey campaign end to end: `tidings run` sends it through `tidings
/// simulator`, whose recipients answer 1–5 by SMS, or 退订 (a quarter of
/// them). Every figure is checked against what the simulator says it sent
/// back: each score is a survey response of the campaign linked to its
/// message, each 退订 a member whose marketing and survey consents are
/// revoked, each low score exactly one task with one notice to its owner's
/// phone. A marketing campaign launched afterwards, through a simulator that
/// answers nothing, skips those who opted out and holds those with a task.
/// Seen (80 members): the simulator said 1×2, 2×2, 3×4, 4×10, 5×17 and
/// 退订×8; stored the same, 8 members revoked, 4 tasks and 4 notices, 3
/// offers held for members with a task, 45 delivered to the others.
struct SurveyEndToEndTests {
    typealias CLI = CommandLineTests

    /// What the simulator counted: the answers our webhook took, by text.
    struct SimulatorStats: Decodable {
        var answersByText: [String: Int]
    }

    static func simulatorStats(port: Int) async throws -> SimulatorStats {
        let transport = CurlTransport()
        let answer = try await transport.send(OutboundRequest(url: "http://127.0.0.1:\(port)/sim/stats"))
        return try JSONDecoder().decode(SimulatorStats.self, from: Data(answer.body))
    }

    @Test func answersOptOutsTasksAndHeldMarketingEqualTheSimulatorsCounts() async throws {
        try await CLI.withDirectory { directory in
            let simulatorPort = LocalPorts.block(1)
            let serverPort = LocalPorts.block(1)
            let simulator = try CLI.startSimulator(port: simulatorPort, extra: ["--answer-rate", "1", "--opt-out-rate", "0.25"])
            defer { simulator.terminate() }
            try """
            server: {bind: "127.0.0.1:\(serverPort)", webhook_secret: "${HOOK}"}
            quiet_hours: {start: "21:00", end: "09:00", lanes: []}
            gateways:
              - {name: sim, kind: simulator, channels: [sms], url: "http://127.0.0.1:\(simulatorPort)", rate: 500}
            """.write(to: directory.appendingPathComponent("tidings.yaml"), atomically: true, encoding: .utf8)
            try """
            name: survey-now
            title: 用餐满意度回访
            category: survey
            audience: "consent(sms, survey)"
            channels: [sms]
            template: revisit-survey
            survey:
              question: 请为本次用餐评分
              answers: {1: 非常不满意, 2: 不满意, 3: 一般, 4: 满意, 5: 非常满意}
            expires: 1d
            """.write(to: directory.appendingPathComponent("survey-now.yaml"), atomically: true, encoding: .utf8)
            try """
            name: offer-now
            title: 新菜上市
            category: marketing
            audience: "consent(sms, marketing)"
            channels: [sms]
            template: new-dishes
            values: {dish: 松鼠桂鱼, offer: 新菜八折, expires_on: 12月31日}
            expires: 1d
            """.write(to: directory.appendingPathComponent("offer-now.yaml"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(
                at: directory.appendingPathComponent("templates"), withDestinationURL: CLI.templates)
            #expect(try CLI.run(["init"], in: directory).status == 0)
            let seed = try CLI.run(["demo", "seed", "--members", "80", "--anchor", "2026-11-20"], in: directory)
            #expect(seed.status == 0, "\(seed.stderr)")
            let environment = ["HOOK": "cli-secret-0123456789abcdef0123456789abcdef"]
            let launch = try CLI.run(["campaign", "launch", "survey-now.yaml", "--yes"], in: directory, environment: environment)
            #expect(launch.status == 0, "\(launch.stdout)\(launch.stderr)")
            let run = try CLI.run(["run", "--lifetime", "8"], in: directory, environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            // The worker is down: no further answer can be taken, so these are the simulator's final counts.
            let said = try await Self.simulatorStats(port: simulatorPort).answersByText
            simulator.terminate()
            simulator.waitUntilExit()

            // A second simulator that answers nothing takes the marketing campaign;
            // this run also applies any answer the first left in the inbox.
            let quiet = try CLI.startSimulator(port: simulatorPort)
            defer { quiet.terminate() }
            let offer = try CLI.run(["campaign", "launch", "offer-now.yaml", "--yes"], in: directory, environment: environment)
            #expect(offer.status == 0, "\(offer.stdout)\(offer.stderr)")
            let second = try CLI.run(["run", "--lifetime", "5"], in: directory, environment: environment)
            #expect(second.status == 0, "\(second.stderr)")

            // The campaign's report (rolled-up counts) says what the messages table says.
            let report = try CLI.run(["report", "campaign", "survey-now", "--csv"], in: directory, environment: environment)
            #expect(report.status == 0, "\(report.stderr)")
            let lines = report.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let header = try #require(lines.first)
            let figures = Dictionary(uniqueKeysWithValues: zip(header, try #require(lines.dropFirst().first)))
            func csvRows(_ arguments: [String]) throws -> [[String: String]] {
                let run = try CLI.run(arguments + ["--csv"], in: directory, environment: environment)
                #expect(run.status == 0, "\(run.stderr)")
                let lines = run.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                guard let header = lines.first else { return [] }
                return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            }
            let gateways = try csvRows(["report", "gateways"])
            let volumes = try csvRows(["report", "volumes", "--days", "2"])

            let scores = (1...5).map { said[String($0), default: 0] }
            let optOuts = said["退订", default: 0]
            #expect(scores.reduce(0, +) > 10 && optOuts > 3, "the simulator said \(said)")
            #expect(Set(said.keys).isSubset(of: ["1", "2", "3", "4", "5", "退订"]), "\(said)")
            // The campaign report's answers and opt-outs are the simulator's, and so is its mean score.
            #expect(figures["survey answers"] == String(scores.reduce(0, +)), "\(report.stdout)")
            #expect(figures["opt-outs"] == String(optOuts), "\(report.stdout)")
            let mean = Double(scores.enumerated().map { ($0.offset + 1) * $0.element }.reduce(0, +)) / Double(scores.reduce(0, +))
            #expect(figures["mean score"] == String(format: "%.2f", mean), "\(report.stdout)")
            // The HTML report carries the same figures, in its table and its funnel.
            let html = try CLI.run(["report", "campaign", "survey-now", "--html", "survey.html"], in: directory, environment: environment)
            #expect(html.status == 0, "\(html.stderr)")
            let page = try String(contentsOf: directory.appendingPathComponent("survey.html"), encoding: .utf8)
            for column in ["sent", "delivered", "survey answers", "opt-outs", "mean score"] {
                #expect(page.contains("<td class=\"n\">\(figures[column] ?? "?")</td>"), "\(column)")
            }
            #expect(page.contains(">\(figures["sent"] ?? "?")</text>"), "the funnel's first step")

            let store = try SQLiteStore(path: directory.appendingPathComponent("tidings.sqlite").path)
            try await store.pool.read { db in
                func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? -1 }
                // Responses by score, each linked to the campaign's survey message to that member.
                let stored = try (1...5).map { score in
                    try count(
                        """
                        SELECT COUNT(*) FROM survey_responses r JOIN messages x ON x.id = r.message_id
                          JOIN campaigns c ON c.id = x.campaign_id AND c.id = r.campaign_id
                          WHERE c.name = 'survey-now' AND r.score = \(score) AND r.member_id = x.member_id
                            AND r.variant IS NOT DISTINCT FROM x.variant
                        """)
                }
                #expect(stored == scores, "responses by score \(stored), the simulator's \(scores)")
                #expect(try count("SELECT COUNT(*) FROM survey_responses") == scores.reduce(0, +))
                // 退订: survey and marketing revoked by that reply, for SMS and voice, once per member.
                let revoked = try count(
                    """
                    SELECT COUNT(DISTINCT member_id) FROM consents
                      WHERE channel = 'sms' AND category = 'survey' AND granted = 0 AND source = 'sms_reply'
                    """)
                #expect(revoked == optOuts, "\(revoked) members opted out, the simulator sent \(optOuts) 退订")
                let alsoMarketing = try count(
                    """
                    SELECT COUNT(*) FROM consents s JOIN consents m ON m.member_id = s.member_id
                      WHERE s.channel = 'sms' AND s.category = 'survey' AND s.granted = 0 AND s.source = 'sms_reply'
                        AND m.channel = 'voice' AND m.category = 'marketing' AND m.granted = 0
                    """)
                #expect(alsoMarketing == optOuts)
                #expect(try count("SELECT COUNT(*) FROM inbound_messages WHERE kind = 'optout'") == optOuts)
                // A task for each low score, owned by the member's manager or branch manager, its notice to that phone.
                let low = scores[0] + scores[1]
                #expect(try count("SELECT COUNT(*) FROM tasks WHERE reason = 'low_survey_score' AND status = 'open'") == low)
                let noticed = try count(
                    """
                    SELECT COUNT(*) FROM tasks t JOIN staff s ON s.id = t.staff_id
                      JOIN messages n ON n.idempotency_key = 'task:' || t.id || ':notify' AND n.address = s.phone
                      WHERE t.reason = 'low_survey_score'
                    """)
                #expect(noticed == low, "\(noticed) notices to owners for \(low) low scores")
                // The marketing campaign: nobody who opted out, and every member with a task held.
                let offered = """
                    SELECT x.member_id, x.status, x.status_reason FROM messages x JOIN campaigns c ON c.id = x.campaign_id
                      WHERE c.name = 'offer-now'
                    """
                #expect(
                    try count(
                        """
                        SELECT COUNT(*) FROM (\(offered)) o JOIN consents s ON s.member_id = o.member_id
                          AND s.channel = 'sms' AND s.category = 'marketing' AND s.granted = 0 AND s.source = 'sms_reply'
                        """) == 0)
                let withTasks = try count(
                    """
                    SELECT COUNT(*) FROM (\(offered)) o
                      WHERE o.member_id IN (SELECT member_id FROM tasks WHERE status = 'open')
                    """)
                let held = try count(
                    """
                    SELECT COUNT(*) FROM (\(offered)) o
                      WHERE o.member_id IN (SELECT member_id FROM tasks WHERE status = 'open')
                        AND o.status = 'deferred' AND o.status_reason = 'follow_up_open'
                    """)
                #expect(withTasks > 0 && held == withTasks, "\(held) of \(withTasks) offers to members with a task held")
                let survey = "SELECT x.* FROM messages x JOIN campaigns c ON c.id = x.campaign_id WHERE c.name = 'survey-now'"
                #expect(figures["messages"] == String(try count("SELECT COUNT(*) FROM (\(survey))")), "\(report.stdout)")
                #expect(figures["delivered"] == String(try count("SELECT COUNT(*) FROM (\(survey)) WHERE status = 'delivered'")))
                #expect(figures["sent"] == String(try count("SELECT COUNT(submitted_at) FROM (\(survey))")))
                // Everything the gateway took, by the gateway report and by the daily volumes.
                let accepted = try count("SELECT COUNT(*) FROM message_events WHERE event = 'accepted'")
                #expect(gateways.map { $0["gateway"] } == ["sim"] && gateways.first?["accepted"] == String(accepted), "\(gateways)")
                #expect(volumes.compactMap { Int($0["sent"] ?? "") }.reduce(0, +) == accepted, "\(volumes)")
                // What came back: every inbound row (the simulator's answers and 退订), and every receipt.
                let received = try count("SELECT COUNT(*) FROM inbound_messages")
                #expect(received >= scores.reduce(0, +) + optOuts, "the simulator said \(said)")
                #expect(volumes.compactMap { Int($0["received"] ?? "") }.reduce(0, +) == received, "\(volumes)")
                let receipts = try count("SELECT COUNT(*) FROM message_events WHERE event = 'receipt'")
                #expect(receipts > 0 && volumes.compactMap { Int($0["receipts"] ?? "") }.reduce(0, +) == receipts, "\(volumes)")
                let sentToOthers = try count("SELECT COUNT(*) FROM (\(offered)) o WHERE o.status = 'delivered'")
                #expect(sentToOthers > 0, "\(second.stderr)")
            }
        }
    }
}
