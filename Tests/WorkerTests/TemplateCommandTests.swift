import Foundation
import Testing

/// `tidings template lint|preview` as an operator runs them.
struct TemplateCommandTests {
    static let members = """
        member_no,name,phone,email,level,points,tags,timezone,joined_on
        A0001,王伟,13812345678,wang.wei@qq.com,gold,1200,,Asia/Shanghai,2023-05-01

        """

    @Test func lintPassesOnTheShippedTemplates() throws {
        try CommandLineTests.withDirectory { directory in
            _ = try CommandLineTests.run(["init", "--templates", CommandLineTests.templates.path], in: directory)
            // The example campaigns give their templates' values (dish, offer, holiday) and categories.
            let campaigns = CommandLineTests.templates.deletingLastPathComponent().appendingPathComponent("campaigns").path
            let lint = try CommandLineTests.run(["template", "lint", "--campaigns", campaigns], in: directory)
            #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
            #expect(lint.stdout.contains(" 0 errors"), "\(lint.stdout)")
            #expect(lint.stdout.contains("promotion/sms.zh-CN.mustache"), "the SMS table lists each SMS")
            let json = try CommandLineTests.run(["template", "lint", "promotion", "--json"], in: directory)
            #expect(json.status == 0)
            let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(report?["templates"] as? [String] == ["promotion"])
            let sms = report?["sms"] as? [[String: Any]]
            #expect(sms?.first?["encoding"] as? String == "ucs2")
            #expect(sms?.first?["segments"] as? Int == 1)
        }
    }

    @Test func lintExitsOneOnAnError() throws {
        try CommandLineTests.withDirectory { directory in
            let templates = directory.appendingPathComponent("mine/offer")
            try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
            try "{{member_name}}您好，{{dish}}上市。\n".write(to: templates.appendingPathComponent("sms.zh-CN.mustache"), atomically: true, encoding: .utf8)
            _ = try CommandLineTests.run(["init", "--templates", "mine"], in: directory)
            let lint = try CommandLineTests.run(["template", "lint", "--category", "marketing"], in: directory)
            #expect(lint.status == 1)
            #expect(lint.stdout.contains("mine/offer/sms.zh-CN.mustache:1:"), "\(lint.stdout)")
            #expect(lint.stdout.contains("error: {{dish}}: no message gives 'dish'"))
            #expect(lint.stdout.contains("[missingSignature]") && lint.stdout.contains("[missingOptOut]"))
            let declared = try CommandLineTests.run(["template", "lint", "--values", "dish"], in: directory)
            #expect(declared.status == 0, "as a service template with dish given, nothing is wrong: \(declared.stdout)")
        }
    }

    /// A template a campaign file sends is linted under its category, with its values: keys known.
    @Test func campaignFilesGiveCategoriesAndValues() throws {
        try CommandLineTests.withDirectory { directory in
            let templates = directory.appendingPathComponent("mine/offer")
            try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
            try "【鸿福楼】{{member_name}}您好，{{dish}}上市。\n"
                .write(to: templates.appendingPathComponent("sms.zh-CN.mustache"), atomically: true, encoding: .utf8)
            _ = try CommandLineTests.run(["init", "--templates", "mine"], in: directory)
            let plain = try CommandLineTests.run(["template", "lint"], in: directory)
            #expect(plain.status == 1 && plain.stdout.contains("[unknownVariable]") && !plain.stdout.contains("[missingOptOut]"))
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("campaigns"), withIntermediateDirectories: true)
            try """
                name: offer
                category: marketing
                audience: "level = 'gold'"
                channels: [sms]
                template: offer
                values:
                  dish: 松鼠桂鱼
                """.write(to: directory.appendingPathComponent("campaigns/offer.yaml"), atomically: true, encoding: .utf8)
            let lint = try CommandLineTests.run(["template", "lint"], in: directory)
            #expect(lint.status == 1, "\(lint.stderr)")
            #expect(!lint.stdout.contains("[unknownVariable]"), "the campaign gives dish: \(lint.stdout)\(lint.stderr)")
            #expect(lint.stdout.contains("mine/offer/sms.zh-CN.mustache: error: a marketing SMS must tell how to opt out: 回T退订"))
        }
    }

    @Test func previewRendersWhatTheMemberWouldReceive() throws {
        try CommandLineTests.withDirectory { directory in
            _ = try CommandLineTests.run(["init", "--templates", CommandLineTests.templates.path], in: directory)
            try Self.members.write(to: directory.appendingPathComponent("members.csv"), atomically: true, encoding: .utf8)
            let imported = try CommandLineTests.run(["import", "members", "members.csv"], in: directory)
            #expect(imported.status == 0, "\(imported.stderr)")
            let arguments = ["template", "preview", "points-expiry", "--member", "A0001", "--channel", "sms", "--value", "expires_on=2026-12-31"]
            let preview = try CommandLineTests.run(arguments, in: directory)
            #expect(preview.status == 0, "\(preview.stderr)")
            #expect(preview.stdout.contains("【鸿福楼】王伟您好，您有1200积分将于2026-12-31到期，请在到期前到店使用。"), "\(preview.stdout)")
            #expect(preview.stdout.contains("UCS-2, 43 characters, 1 segment; estimated cost ¥0.0450 via simulator"), "\(preview.stdout)")
            #expect(!preview.stdout.contains("13812345678"), "the phone is masked")
            let revealed = try CommandLineTests.run(arguments + ["--reveal"], in: directory)
            #expect(revealed.stdout.contains("+8613812345678"))

            let json = try CommandLineTests.run(arguments + ["--json"], in: directory)
            let outputs = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
            #expect(outputs?.count == 1)
            #expect(outputs?.first?["segments"] as? Int == 1)
            #expect((outputs?.first?["content"] as? [String: Any])?["text"] as? String == "【鸿福楼】王伟您好，您有1200积分将于2026-12-31到期，请在到期前到店使用。")

            // Without --channel: every channel the template has in the member's locale.
            let all = try CommandLineTests.run(Array(arguments.prefix(5)) + ["--value", "expires_on=2026-12-31"], in: directory)
            #expect(all.status == 0, "\(all.stderr)")
            #expect(all.stdout.contains("points-expiry · sms · zh-CN") && all.stdout.contains("points-expiry · email · zh-CN"))
            #expect(all.stdout.contains("subject: 【鸿福楼】您的1200积分将于2026-12-31到期"))
            #expect(all.stdout.contains("w***@qq.com"))

            let missing = try CommandLineTests.run(Array(arguments.prefix(7)), in: directory)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no value for {{expires_on}} (give it with --value)"), "\(missing.stderr)")
            let nobody = try CommandLineTests.run(["template", "preview", "promotion", "--member", "NOPE"], in: directory)
            #expect(nobody.status == 1 && nobody.stderr.contains("no member NOPE"))
        }
    }

    @Test func bothCommandsHaveHelpWithExamples() throws {
        try CommandLineTests.withDirectory { directory in
            for command in [["template", "lint"], ["template", "preview"]] {
                let help = try CommandLineTests.run(command + ["--help"], in: directory)
                #expect(help.status == 0)
                #expect(help.stdout.contains("Example"), "\(command) --help has examples")
            }
        }
    }
}
