import Campaigns
import CoreModel
import Foundation
import Testing

/// Template files written into a temporary `templates/` directory. The library is
/// given a relative URL, so error messages read `templates/x/…` as they do for a user.
func withTemplates<T>(_ files: [String: String], _ body: (TemplateLibrary) throws -> T) throws -> T {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-templates-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let directory = URL(fileURLWithPath: "templates", isDirectory: true, relativeTo: root)
    for (path, text) in files {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return try body(TemplateLibrary(directory: directory))
}

/// The error `body` throws, so a test can compare its exact message.
func templateError(_ body: () throws -> Void) -> TemplateError? {
    do { try body() } catch { return error as? TemplateError }
    return nil
}

struct TemplateRenderingTests {
    @Test func chineseTextRendersIntact() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "【鸿福楼】{{member_name}}您好，订单{{order_no}}已确认。\n\n"]) { (library) throws in
            let content = try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["member_name": "李女士", "order_no": "SO1"])
            #expect(content == MessageContent(text: "【鸿福楼】李女士您好，订单SO1已确认。"))
        }
    }

    @Test func textValuesAreNotEscaped() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "{{v}}|{{{v}}}|{{&v}}\n"]) { (library) throws in
            let content = try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["v": #"A&B <x> "q" 'a'"#])
            #expect(content.text == #"A&B <x> "q" 'a'|A&B <x> "q" 'a'|A&B <x> "q" 'a'"#)
        }
    }

    @Test func onlyTheHTMLPartIsEscaped() throws {
        let files = [
            "x/email.zh-CN.subject.mustache": "{{v}} 的订单\n",
            "x/email.zh-CN.text.mustache": "{{v}}\n",
            "x/email.zh-CN.html.mustache": "<p>{{v}}</p><p>{{{v}}}</p>\n",
        ]
        try withTemplates(files) { (library) throws in
            let content = try library.render(name: "x", channel: .email, locale: "zh-CN", values: ["v": #"A&B <x> "q""#])
            #expect(content.subject == #"A&B <x> "q" 的订单"#)
            #expect(content.text == #"A&B <x> "q""#)
            #expect(content.html == #"<p>A&amp;B &lt;x&gt; &quot;q&quot;</p><p>A&B <x> "q"</p>"#)
        }
    }

    @Test func emailWithoutHTMLHasNone() throws {
        let files = [
            "x/email.zh-CN.subject.mustache": "【鸿福楼】\n{{points}}积分即将到期\n",
            "x/email.zh-CN.text.mustache": "{{member_name}}您好：\n\n您有{{points}}积分。\n",
        ]
        try withTemplates(files) { (library) throws in
            let content = try library.render(name: "x", channel: .email, locale: "zh-CN", values: ["member_name": "李女士", "points": "1280"])
            // A subject is one header line: the template's lines are joined.
            #expect(content == MessageContent(text: "李女士您好：\n\n您有1280积分。", subject: "【鸿福楼】 1280积分即将到期"))
        }
    }

    @Test func faxFirstLineIsTheTitle() throws {
        try withTemplates(["x/fax.zh-CN.mustache": "\n  鸿福楼订单确认 \n\n订单号：{{order_no}}\n金额：{{amount}}元\n"]) { (library) throws in
            let content = try library.render(name: "x", channel: .fax, locale: "zh-CN", values: ["order_no": "SO1", "amount": "368.00"])
            #expect(content == MessageContent(fax: .init(title: "鸿福楼订单确认", lines: ["", "订单号：SO1", "金额：368.00元"])))
        }
    }

    @Test func voiceWithAndWithoutAKeypadQuestion() throws {
        let files = [
            "plain/voice.zh-CN.mustache": "您好，{{member_name}}。\n",
            "survey/voice.zh-CN.mustache": "您好，{{member_name}}。\n",
            "survey/voice.zh-CN.gather.mustache": "12345\n{{member_name}}，满意请按5，不满意请按1。\n",
        ]
        try withTemplates(files) { (library) throws in
            let values = ["member_name": "李女士"]
            #expect(
                try library.render(name: "plain", channel: .voice, locale: "zh-CN", values: values)
                    == MessageContent(voice: .init(say: "您好，李女士。", language: "zh-CN")))
            #expect(
                try library.render(name: "survey", channel: .voice, locale: "zh-CN", values: values)
                    == MessageContent(
                        voice: .init(say: "您好，李女士。", language: "zh-CN", gatherDigits: "12345", gatherPrompt: "李女士，满意请按5，不满意请按1。")))
        }
    }

    @Test func sectionsRenderWhenTheirKeyIsGiven() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "{{#member_name}}{{member_name}}您好，{{/member_name}}{{^member_name}}您好，{{/member_name}}八折\n"]) { (library) throws in
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["member_name": "李女士"]).text == "李女士您好，八折")
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: [:]).text == "您好，八折")
        }
    }

    @Test func aStandaloneTagOnTheFirstLineLeavesNoBlankLine() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "{{#vip}}\n尊敬的会员：\n{{/vip}}\n您好\n"]) { (library) throws in
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["vip": "1"]).text == "尊敬的会员：\n您好")
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: [:]).text == "您好")
        }
    }

    @Test func aTemplateIsLoadedOnceAndRenderedMany() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "订单{{order_no}}\n"]) { (library) throws in
            let template = try library.template(named: "x", channel: .sms, locale: "zh-CN")
            #expect(try template.render(["order_no": "1"]).text == "订单1")
            #expect(try template.render(["order_no": "2"]).text == "订单2")
        }
    }

    @Test func aByteOrderMarkIsNotSent() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "\u{FEFF}【鸿福楼】您好\n"]) { (library) throws in
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: [:]).text == "【鸿福楼】您好")
        }
    }
}

struct TemplateErrorTests {
    @Test func missingValueNamesFileLineAndVariable() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "【鸿福楼】您好，\n订单{{order_no}}已确认，金额{{amount}}元\n"]) { (library) throws in
            let error = templateError { _ = try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["amount": "1"]) }
            #expect(error?.code == .missingValue)
            #expect(error?.description == "templates/x/sms.zh-CN.mustache:2: no value for {{order_no}}")
        }
    }

    @Test func missingValueIsFoundWhateverTheTagForm() throws {
        let files = [
            "triple/sms.zh-CN.mustache": "a\nb\n{{{ order_no }}}\n",
            "ampersand/sms.zh-CN.mustache": "a\n{{& order_no}}\n",
            "delimiters/sms.zh-CN.mustache": "{{=<% %>=}}\n<%order_no%>\n",
            "transform/sms.zh-CN.mustache": "{{uppercased(order_no)}}\n",
        ]
        try withTemplates(files) { (library) throws in
            for (name, line) in [("triple", 3), ("ampersand", 2), ("delimiters", 2), ("transform", 1)] {
                let error = templateError { _ = try library.render(name: name, channel: .sms, locale: "zh-CN", values: [:]) }
                #expect(error?.description == "templates/\(name)/sms.zh-CN.mustache:\(line): no value for {{order_no}}")
            }
        }
    }

    @Test func variablesInASectionThatDoesNotRenderAreNotRequired() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "{{#vip}}尊敬的{{member_name}}，{{/vip}}{{^vip}}您好，{{/vip}}订单{{order_no}}\n"]) { (library) throws in
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["order_no": "1"]).text == "您好，订单1")
            let error = templateError { _ = try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["order_no": "1", "vip": "y"]) }
            #expect(error?.description == "templates/x/sms.zh-CN.mustache:1: no value for {{member_name}}")
        }
    }

    @Test func missingValueInTheHTMLPartNamesThatFile() throws {
        let files = [
            "x/email.zh-CN.subject.mustache": "订单\n",
            "x/email.zh-CN.text.mustache": "订单{{order_no}}\n",
            "x/email.zh-CN.html.mustache": "<p>订单{{order_no}}</p>\n<p>{{amount}}</p>\n",
        ]
        try withTemplates(files) { (library) throws in
            let error = templateError { _ = try library.render(name: "x", channel: .email, locale: "zh-CN", values: ["order_no": "1"]) }
            #expect(error?.description == "templates/x/email.zh-CN.html.mustache:2: no value for {{amount}}")
        }
    }

    @Test func unclosedSectionNamesFileLineAndTag() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "您好\n{{#a}}x\n"]) { (library) throws in
            let error = templateError { _ = try library.template(named: "x", channel: .sms, locale: "zh-CN") }
            #expect(error?.code == .syntax)
            #expect(error?.description == "templates/x/sms.zh-CN.mustache:2:1: {{#a}} is never closed (no {{/a}})")
        }
    }

    @Test func syntaxErrorsCarryTheParsersPosition() throws {
        let files = [
            "unfinished/sms.zh-CN.mustache": "您好\n订单{{order_no}\n",
            "mismatched/sms.zh-CN.mustache": "{{#a}}\n  {{/b}}\n",
            "comment/sms.zh-CN.mustache": "您好\n{{! never closed\n",
        ]
        try withTemplates(files) { (library) throws in
            let unfinished = templateError { _ = try library.template(named: "unfinished", channel: .sms, locale: "zh-CN") }
            #expect(
                unfinished?.description
                    == "templates/unfinished/sms.zh-CN.mustache:2:13: unfinished tag: a name may only contain letters, digits and . - _ ? * and must be followed by the closing delimiter"
            )
            let mismatched = templateError { _ = try library.template(named: "mismatched", channel: .sms, locale: "zh-CN") }
            #expect(mismatched?.description == "templates/mismatched/sms.zh-CN.mustache:2:6: {{/b}} does not close {{#a}} opened on line 1")
            let comment = templateError { _ = try library.template(named: "comment", channel: .sms, locale: "zh-CN") }
            #expect(comment?.description == "templates/comment/sms.zh-CN.mustache:2:4: unexpected end of file inside a tag")
        }
    }

    @Test func missingFileNamesThePathAndDoesNotFallBackToAnotherLocale() throws {
        let files = [
            "x/sms.en.mustache": "Hello\n",
            "x/email.zh-CN.subject.mustache": "订单\n",
        ]
        try withTemplates(files) { (library) throws in
            let sms = templateError { _ = try library.render(name: "x", channel: .sms, locale: "zh-CN", values: [:]) }
            #expect(sms?.code == .missingFile)
            #expect(sms?.description == "templates/x/sms.zh-CN.mustache: no such template file")
            let email = templateError { _ = try library.render(name: "x", channel: .email, locale: "zh-CN", values: [:]) }
            #expect(email?.description == "templates/x/email.zh-CN.text.mustache: no such template file")
            let unknown = templateError { _ = try library.render(name: "nope", channel: .fax, locale: "zh-CN", values: [:]) }
            #expect(unknown?.description == "templates/nope/fax.zh-CN.mustache: no such template file")
        }
    }

    @Test func namesCannotLeaveTheDirectory() throws {
        try withTemplates([:]) { (library) throws in
            let error = templateError { _ = try library.render(name: "../x", channel: .sms, locale: "zh-CN", values: [:]) }
            #expect(error?.description == "templates: template name '../x' may only contain letters, digits, '-' and '_'")
        }
    }

    @Test func inheritanceAndPragmasAreRejected() throws {
        let files = [
            "partial/sms.zh-CN.mustache": "您好\n  {{< footer}}{{/footer}}\n",
            "pragma/email.zh-CN.subject.mustache": "订单\n",
            "pragma/email.zh-CN.text.mustache": "订单\n",
            "pragma/email.zh-CN.html.mustache": "{{%CONTENT_TYPE: TEXT}}{{v}}\n",
        ]
        try withTemplates(files) { (library) throws in
            let partial = templateError { _ = try library.template(named: "partial", channel: .sms, locale: "zh-CN") }
            #expect(partial?.description == "templates/partial/sms.zh-CN.mustache:2:3: template inheritance ({{<name}}) is not supported: include a partial with {{>name}}")
            let pragma = templateError { _ = try library.template(named: "pragma", channel: .email, locale: "zh-CN") }
            #expect(pragma?.code == .unsupportedTag)
            #expect(pragma?.line == 1)
        }
    }

    @Test func badKeypadQuestionIsReported() throws {
        let files = [
            "x/voice.zh-CN.mustache": "您好\n",
            "x/voice.zh-CN.gather.mustache": "请按1\n",
        ]
        try withTemplates(files) { (library) throws in
            let error = templateError { _ = try library.render(name: "x", channel: .voice, locale: "zh-CN", values: [:]) }
            #expect(
                error?.description
                    == "templates/x/voice.zh-CN.gather.mustache:1: the first line must list the keys the callee may press, like 12345 (found '请按1')")
        }
    }

    @Test func anEmptySMSIsAnError() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "{{#a}}x{{/a}}\n"]) { (library) throws in
            let error = templateError { _ = try library.render(name: "x", channel: .sms, locale: "zh-CN", values: [:]) }
            #expect(error?.description == "templates/x/sms.zh-CN.mustache: renders empty")
        }
    }
}

/// The templates shipped in the repository's `templates/` directory.
struct ShippedTemplateTests {
    static let library = TemplateLibrary(
        directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("templates", isDirectory: true))

    static let sample = [
        "member_name": "李女士", "order_no": "SO20241221001", "branch_name": "鸿福楼天河店", "amount": "368.00",
        "reserved_at": "12月21日 18:30", "party_size": "6", "points": "1280", "expires_on": "2024-12-31", "problem": "晚到了一个多小时",
        "holiday": "春节", "offer": "新菜八折", "dish": "松鼠桂鱼",
        "complaint_no": "C00000123", "department": "配送部", "description": "外卖送达超时一个多小时", "due_at": "12月21日 22:30",
        "opened_at": "12月21日 18:30", "source": "phone", "member_no": "M00000001", "member_phone": "+8613812345678",
        "resolution": "已致歉并赠送优惠券", "resolved_at": "12月22日 10:00",
        "staff_name": "王建国", "staff_no": "S0001", "brief_day": "12月21日", "booking_count": "12", "vip_count": "3",
        "birthday_count": "5", "dormant_count": "10", "task_count": "4", "hold_days": "7", "birthday_days": "7", "has_email": "1",
        "slot_day": "12月21日", "slot": "18:00–18:30", "slot_start": "18:00", "order_count": "2",
        "order_nos": "SO20241221001、SO20241221002",
        "orders": "1. SO20241221001 外送 18:00 368.00元\n   顾客：李女士 +8613812345678",
    ]

    static let shipped: [String: [Channel]] = [
        "order-confirmation": [.sms, .voice, .email, .fax],
        "reservation-reminder": [.sms, .voice],
        "reservation-call": [.voice],
        "revisit-survey": [.sms, .voice],
        "points-expiry": [.sms, .email],
        "promotion": [.sms, .email],
        "late-delivery-apology": [.sms, .voice, .email],
        "win-back": [.sms, .email],
        "banquet-offer": [.sms, .email],
        "new-dishes": [.sms, .email],
        "new-dishes-b": [.sms, .email],
        "prospect-follow-up": [.sms],
        "complaint-work-order": [.sms, .email, .fax],
        "complaint-resolution": [.sms, .email],
        "complaint-resolution-refund": [.sms, .email],
        "manager-brief": [.sms, .email],
        "branch-ticket": [.fax, .email, .sms],
        "branch-ticket-call": [.voice],
    ]

    @Test func everyShippedTemplateRendersWithSampleValues() throws {
        // `_partials` holds pieces the templates include, not a template.
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.library.directory.path).filter { !$0.hasPrefix("_") }.sorted()
        #expect(names == Self.shipped.keys.sorted())
        for (name, channels) in Self.shipped {
            for channel in channels {
                let content = try Self.library.render(name: name, channel: channel, locale: "zh-CN", values: Self.sample)
                if channel == .sms, let text = content.text {
                    #expect(text.hasPrefix("【鸿福楼】"), "\(name): the signature comes first")
                    #expect(text.count <= 70, "\(name): \(text.count) characters is more than one Chinese SMS")
                }
            }
        }
    }

    /// Members who read English (the seeded group has some abroad) get these; other en-US parts do not exist on purpose.
    @Test func englishSMSFitOneGSMSegmentAndOptOut() throws {
        for name in ["order-confirmation", "reservation-reminder", "revisit-survey", "points-expiry", "win-back"] {
            let text = try #require(try Self.library.render(name: name, channel: .sms, locale: "en-US", values: Self.sample).text)
            #expect(text.hasPrefix("Hongfu Lou: "), "\(name)")
            #expect(text.count <= 160, "\(name): \(text.count) characters")
            #expect(text.hasSuffix("Reply STOP to opt out") == ["revisit-survey", "win-back"].contains(name), "\(name)")
        }
    }

    @Test func marketingAndSurveySMSCarryTheOptOut() throws {
        for name in ["promotion", "revisit-survey", "win-back"] {
            let text = try Self.library.render(name: name, channel: .sms, locale: "zh-CN", values: Self.sample).text
            #expect(text?.hasPrefix("【鸿福楼】") == true, "\(name): the brand signature opens a marketing SMS")
            #expect(text?.hasSuffix("回T退订") == true, "\(name)")
        }
        let service = try Self.library.render(name: "order-confirmation", channel: .sms, locale: "zh-CN", values: Self.sample).text
        #expect(service == "【鸿福楼】李女士您好，您在鸿福楼天河店的订单SO20241221001已确认，金额368.00元。感谢惠顾！")
    }

    @Test func shippedEmailAndFaxHaveTheirParts() throws {
        let order = try Self.library.render(name: "order-confirmation", channel: .email, locale: "zh-CN", values: Self.sample)
        #expect(order.subject == "【鸿福楼】订单SO20241221001已确认")
        #expect(order.html?.contains("<td>SO20241221001</td>") == true)
        #expect(order.text?.hasPrefix("李女士您好：\n\n您在鸿福楼天河店的订单已确认。") == true)
        let points = try Self.library.render(name: "points-expiry", channel: .email, locale: "zh-CN", values: Self.sample)
        #expect(points.html == nil)
        let fax = try Self.library.render(name: "order-confirmation", channel: .fax, locale: "zh-CN", values: Self.sample).fax
        #expect(fax?.title == "鸿福楼订单确认")
        #expect(fax?.lines.contains("订单号：SO20241221001") == true)
        let survey = try Self.library.render(name: "revisit-survey", channel: .voice, locale: "zh-CN", values: Self.sample).voice
        // 9 is the opt-out key (opt_out.keypad) on every marketing or survey call.
        #expect(survey?.gatherDigits == "123459")
        #expect(survey?.gatherPrompt?.hasSuffix("不希望再接到此类电话请按9。") == true)
    }
}
