import Campaigns
import CoreModel
import Foundation
import Testing

struct TemplateLintTests {
    static let cleanSMS = "【鸿福楼】{{member_name}}您好，{{branch_name}}新菜上市，{{monthday(expires_on)}}前八折。回T退订\n"
    static let cleanEmail = [
        "x/email.zh-CN.subject.mustache": "【鸿福楼】新菜上市\n",
        "x/email.zh-CN.text.mustache": "{{member_name}}您好：新菜上市。\n\n不想再收到？点击邮件末尾的“退订”链接。\n",
        "x/email.zh-CN.html.mustache": "<p>{{member_name}}您好：新菜上市。</p><p>Unsubscribe: see the link below</p>\n",
    ]

    func lint(_ files: [String: String], category: ConsentCategory, extraKeys: Set<String> = [], signature: String? = nil) throws -> TemplateLint.Report {
        try withTemplates(files) { library in
            TemplateLint(library: library, extraKeys: extraKeys, signature: signature).lint(template: "x", category: category)
        }
    }

    @Test func aCleanMarketingTemplateHasNoFindings() throws {
        var files = Self.cleanEmail
        files["x/sms.zh-CN.mustache"] = Self.cleanSMS
        let report = try lint(files, category: .marketing, signature: "【鸿福楼】")
        #expect(report.findings == [])
        #expect(!report.hasErrors)
        #expect(report.sms.count == 1)
        #expect(report.sms.first?.encoding == "ucs2")
        #expect(report.sms.first?.segments == 1)
        #expect(report.sms.first?.sample.hasPrefix("【鸿福楼】欧阳晓明您好，天河店新菜上市，12月31日前八折。") == true)
    }

    @Test func anUnknownVariableIsAnErrorWithItsPlace() throws {
        let files = ["x/sms.zh-CN.mustache": "【鸿福楼】{{member_name}}您好，\n新菜{{dish}}上市。回T退订\n"]
        let report = try lint(files, category: .marketing)
        #expect(report.findings.map(\.code) == [.unknownVariable])
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding.description.hasPrefix("templates/x/sms.zh-CN.mustache:2:3: error: {{dish}}: no message gives 'dish'"))
        #expect(report.hasErrors)
        // A campaign that gives `dish` in its values may use it.
        #expect(try lint(files, category: .marketing, extraKeys: ["dish"]).findings == [])
    }

    @Test func aLocaleOneChannelLacksIsAWarning() throws {
        var files = Self.cleanEmail
        files["x/sms.zh-CN.mustache"] = Self.cleanSMS
        files["x/sms.en-US.mustache"] = "Hongfu Lou: Hi {{member_name}}, new dishes at {{branch_name}}. Reply STOP to opt out\n"
        let report = try lint(files, category: .marketing)
        #expect(report.findings.map(\.code) == [.missingLocale])
        #expect(report.findings.first?.severity == .warning)
        #expect(report.findings.first?.message == "email has no en-US (sms has): en-US members get no email")
        #expect(!report.hasErrors)
    }

    @Test(arguments: [(70, 1), (71, 2), (134, 2), (135, 3)])
    func chineseSMSSegmentsOf67(characters: Int, segments: Int) throws {
        let text = String(repeating: "鸿", count: characters)
        let report = try lint(["x/sms.zh-CN.mustache": text + "\n"], category: .service)
        let sms = try #require(report.sms.first)
        #expect(sms.encoding == "ucs2")
        #expect(sms.units == characters)
        #expect(sms.segments == segments)
        #expect(report.findings.map(\.code) == (segments > 1 ? [.smsSegments] : []))
        if segments > 1 {
            #expect(report.findings.first?.message == "the sample is \(characters) UCS-2 characters: \(segments) segments of 67, each message costs \(segments)")
        }
    }

    @Test func plainASCIIIsGSM7() throws {
        let report = try lint(["x/sms.en-US.mustache": String(repeating: "a", count: 161) + "\n"], category: .service)
        #expect(report.sms.first?.encoding == "gsm7")
        #expect(report.sms.first?.segments == 2)
    }

    @Test func aMarketingSMSWithoutSignatureIsAnError() throws {
        let files = ["x/sms.zh-CN.mustache": "{{member_name}}您好，新菜上市。回T退订\n"]
        let marketing = try lint(files, category: .marketing)
        #expect(marketing.findings.map(\.code) == [.missingSignature])
        #expect(marketing.findings.first?.severity == .error)
        #expect(marketing.findings.first?.path == "templates/x/sms.zh-CN.mustache")
        #expect(try lint(files, category: .survey).findings.map(\.severity) == [.warning])
        #expect(try lint(files, category: .service).findings == [])
        // At the end is as good as at the start; an empty 【】 is no signature.
        #expect(try lint(["x/sms.zh-CN.mustache": "新菜上市。回T退订【鸿福楼】\n"], category: .marketing).findings == [])
        #expect(try lint(["x/sms.zh-CN.mustache": "【】新菜上市。回T退订\n"], category: .marketing).findings.map(\.code) == [.missingSignature])
        // With the config's signature, another brand's does not do.
        let other = try lint(["x/sms.zh-CN.mustache": "【别家】新菜上市。回T退订\n"], category: .marketing, signature: "【鸿福楼】")
        #expect(other.findings.map(\.message) == ["a marketing SMS must start or end with the signature 【鸿福楼】"])
    }

    @Test func aMarketingSMSWithoutOptOutIsAnError() throws {
        let report = try lint(["x/sms.zh-CN.mustache": "【鸿福楼】{{member_name}}您好，新菜上市。\n"], category: .marketing)
        #expect(report.findings.map(\.code) == [.missingOptOut])
        #expect(report.findings.first?.message == "a marketing SMS must tell how to opt out: 回T退订")
        #expect(report.hasErrors)
    }

    @Test func aMarketingEmailThatDoesNotMentionUnsubscribingIsAnError() throws {
        var files = Self.cleanEmail
        files["x/email.zh-CN.html.mustache"] = "<p>{{member_name}}您好：新菜上市。</p>\n"
        let report = try lint(files, category: .marketing)
        #expect(report.findings.map(\.code) == [.missingUnsubscribe])
        #expect(report.findings.first?.path == "templates/x/email.zh-CN.html.mustache")
        files["x/email.zh-CN.text.mustache"] = "{{member_name}}您好：新菜上市。\n"
        #expect(try lint(files, category: .marketing).findings.map(\.path) == [
            "templates/x/email.zh-CN.text.mustache", "templates/x/email.zh-CN.html.mustache",
        ])
        #expect(try lint(files, category: .service).findings == [])
    }

    @Test func brokenFilesAndStrayNamesAreReported() throws {
        let files = [
            "x/email.zh-CN.subject.mustache": "新菜\n",
            "x/sms.zh-CN.body.mustache": "hi\n",
            "x/sms.zh-CN.mustache": "{{#vip}}您好\n",
        ]
        let report = try lint(files, category: .service)
        #expect(report.findings.map(\.code) == [.unknownFile, .invalidTemplate, .invalidTemplate])
        #expect(report.findings.map(\.path) == [
            "templates/x/sms.zh-CN.body.mustache", "templates/x/sms.zh-CN.mustache", "templates/x/email.zh-CN.text.mustache",
        ])
        let missing = try withTemplates([:]) { library in TemplateLint(library: library).lint(template: "nope", category: .marketing) }
        #expect(missing.findings.map(\.code) == [.noSuchTemplate])
    }

    @Test func aPartialsProblemIsReportedOnceInThePartial() throws {
        let files = [
            "_partials/footer.mustache": "{{hotline}}回T退订\n",
            "x/sms.zh-CN.mustache": "【鸿福楼】新菜上市。{{> footer}}\n",
            "x/voice.zh-CN.mustache": "新菜上市。{{> footer}}\n",
        ]
        let report = try lint(files, category: .marketing)
        #expect(report.findings.map(\.description) == [
            "templates/_partials/footer.mustache:1:1: error: {{hotline}}: no message gives 'hotline' (known: "
                + "\(RecipientValues.memberKeys.union(TemplateLint.automationKeys).sorted().joined(separator: ", ")); "
                + "a campaign's own values with --values) [unknownVariable]"
        ])
    }

    @Test func defaultCategoriesMakePromotionMarketing() throws {
        let files = ["promotion/sms.zh-CN.mustache": "新菜上市\n", "reminder/sms.zh-CN.mustache": "新菜上市\n"]
        let report = try withTemplates(files) { library in TemplateLint(library: library).lint() }
        #expect(report.templates == ["promotion", "reminder"])
        #expect(report.findings.map(\.template) == ["promotion", "promotion"])
        let asService = try withTemplates(files) { library in TemplateLint(library: library).lint(["promotion"], category: .service) }
        #expect(asService.findings == [])
    }

    /// The templates the project ships pass their own lint.
    @Test func shippedTemplatesHaveNoErrors() {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates")
        // The example campaigns' `values:` keys (`tidings template lint` reads them from campaigns/).
        let lint = TemplateLint(
            library: TemplateLibrary(directory: directory), extraKeys: ["holiday", "offer", "dish"], signature: "【鸿福楼】")
        let report = lint.lint(categories: TemplateLint.defaultCategories.merging([
            "banquet-offer": .marketing, "new-dishes": .marketing, "new-dishes-b": .marketing, "prospect-follow-up": .marketing,
        ]) { $1 })
        #expect(report.templates.contains("promotion") && report.templates.contains("win-back"))
        #expect(report.findings.filter { $0.severity == .error }.map(\.description) == [])
    }
}

struct TemplateLintEnglishTests {
    /// English SMS stay one GSM-7 segment: no 【…】, and "Reply STOP" is their opt-out.
    @Test func englishMarketingSMSNeedReplySTOPNotASignature() throws {
        let good = ["x/sms.en-US.mustache": "Hongfu Lou: Hi {{member_name}}, new dishes! Reply STOP to opt out\n"]
        let bad = ["x/sms.en-US.mustache": "Hongfu Lou: Hi {{member_name}}, new dishes!\n"]
        try withTemplates(good) { library in
            #expect(TemplateLint(library: library).lint(template: "x", category: .marketing).findings == [])
        }
        try withTemplates(bad) { library in
            let findings = TemplateLint(library: library).lint(template: "x", category: .marketing).findings
            #expect(findings.map(\.message) == ["a marketing SMS must tell how to opt out: Reply STOP"])
        }
    }
}
