@testable import CoreModel
import Foundation
import GRDB
import TestSupport
import Testing

/// A survey campaign end to end: `tidings run` sends it through `tidings
/// simulator`, whose recipients all answer 1–5 by SMS; every answer becomes a
/// survey response of the campaign, and each low score exactly one task with
/// one notice (the demo's managers all have phones). Seen: 32 delivered, 32
/// answers, 6 low scores, 6 tasks, 6 notices.
struct SurveyEndToEndTests {
    typealias CLI = CommandLineTests

    @Test func recipientsAnswersBecomeResponsesAndLowScoresTasks() throws {
        try CLI.withDirectory { directory in
            let simulatorPort = LocalPorts.block(1)
            let serverPort = LocalPorts.block(1)
            let simulator = try CLI.startSimulator(port: simulatorPort, extra: ["--answer-rate", "1"])
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
            try FileManager.default.createSymbolicLink(
                at: directory.appendingPathComponent("templates"), withDestinationURL: CLI.templates)
            #expect(try CLI.run(["init"], in: directory).status == 0)
            let seed = try CLI.run(["demo", "seed", "--members", "60", "--anchor", "2026-11-20"], in: directory)
            #expect(seed.status == 0, "\(seed.stderr)")
            let environment = ["HOOK": "cli-secret-0123456789abcdef0123456789abcdef"]
            let launch = try CLI.run(
                ["campaign", "launch", "survey-now.yaml", "--yes"], in: directory, environment: environment)
            #expect(launch.status == 0, "\(launch.stdout)\(launch.stderr)")
            let run = try CLI.run(["run", "--lifetime", "8"], in: directory, environment: environment)
            #expect(run.status == 0, "\(run.stderr)")

            let store = try SQLiteStore(path: directory.appendingPathComponent("tidings.sqlite").path)
            let counts = try store.pool.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT
                          (SELECT COUNT(*) FROM messages x JOIN campaigns c ON c.id = x.campaign_id
                            WHERE c.name = 'survey-now' AND x.status = 'delivered') AS delivered,
                          (SELECT COUNT(*) FROM survey_responses r JOIN campaigns c ON c.id = r.campaign_id
                            JOIN messages x ON x.id = r.message_id AND x.campaign_id = c.id
                            WHERE c.name = 'survey-now' AND r.variant IS NOT NULL) AS answers,
                          (SELECT COUNT(*) FROM survey_responses WHERE score <= 2) AS low,
                          (SELECT COUNT(*) FROM tasks WHERE reason = 'low_survey_score') AS tasks,
                          (SELECT COUNT(*) FROM messages WHERE idempotency_key LIKE 'task:%:notify') AS notices
                        """)
            }
            let delivered: Int = try #require(counts)["delivered"]
            let answers: Int = try #require(counts)["answers"]
            let low: Int = try #require(counts)["low"]
            #expect(delivered > 0, "\(run.stderr)")
            // Every recipient answers; the last answers may come after the worker stopped.
            #expect(answers > 0 && answers <= delivered, "\(answers) answers to \(delivered) surveys")
            let tasks: Int = try #require(counts)["tasks"]
            let notices: Int = try #require(counts)["notices"]
            #expect(tasks == low && notices == tasks, "\(tasks) tasks, \(notices) notices for \(low) low scores")
        }
    }
}
