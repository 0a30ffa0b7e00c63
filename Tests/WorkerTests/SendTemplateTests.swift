import CoreModel
import Foundation
import TestSupport
import Testing

/// `tidings send --template` renders the repository's templates from ./templates.
struct SendTemplateTests {
    @Test func sendRendersATemplateAndReportsItsErrors() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-send-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("templates"), to: directory.appendingPathComponent("templates"))
        #expect(try CommandLineTests.run(["init"], in: directory).status == 0)

        let base = ["send", "--channel", "sms", "--to", "13812345678", "--template", "order-confirmation"]
        let missing = try CommandLineTests.run(base + ["--var", "member_name=李女士"], in: directory)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("templates/order-confirmation/sms.zh-CN.mustache:1: no value for {{branch_name}} (give it with --var)"))

        let values = ["member_name=李女士", "branch_name=天河店", "order_no=SO1", "amount=A&B <88>"].flatMap { ["--var", $0] }
        let sent = try CommandLineTests.run(base + values, in: directory)
        #expect(sent.status == 0, "\(sent.stdout)\(sent.stderr)")
        #expect(sent.stdout.contains("message 1 queued"))

        let store = try SQLiteStore(path: directory.appendingPathComponent("tidings.sqlite").path)
        let now = Date()
        let queued = try await store.leaseDue(lane: .transactional, limit: 10, owner: "test", leaseUntil: now.addingTimeInterval(30), now: now)
        #expect(queued.count == 1)
        #expect(MessageContent.decode(queued.first?.payload ?? "")?.text == "【鸿福楼】李女士您好，您在天河店的订单SO1已确认，金额A&B <88>元。感谢惠顾！")
    }
}
