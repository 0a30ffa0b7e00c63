import Campaigns
import CoreModel
import Foundation
import Testing

struct RecipientValuesTests {
    /// 2026-12-21 17:30 UTC: already the 22nd in Shanghai, still the 21st in Los Angeles.
    static let now = Date(timeIntervalSince1970: 1_797_874_200)

    @Test func memberKeysWinOverCampaignValues() {
        let member = Member(memberNo: "M00000007", name: "李娜", level: .gold, points: 1280, locale: "zh-CN")
        let values = RecipientValues.values(
            member: member, branchName: "天河店",
            campaignValues: ["member_name": "贵宾", "points": "0", "dish": "盐焗鸡"], now: Self.now)
        #expect(values["member_name"] == "李娜")
        #expect(values["points"] == "1280")
        #expect(values["dish"] == "盐焗鸡")
        #expect(values["level"] == "gold")
        #expect(values["level_name"] == "金卡会员")
        #expect(values["branch_name"] == "天河店")
        #expect(values["member_no"] == "M00000007")
        #expect(Set(values.keys) == RecipientValues.memberKeys.union(["dish"]))
    }

    @Test func aCampaignFillsABranchTheMemberHasNot() {
        let member = Member(memberNo: "M1", name: "Ann", locale: "en-US")
        let without = RecipientValues.values(member: member, branchName: nil, campaignValues: [:], now: Self.now)
        #expect(without["branch_name"] == nil)
        #expect(without["level_name"] == "Regular member")
        let fallback = RecipientValues.values(member: member, branchName: nil, campaignValues: ["branch_name": "各门店"], now: Self.now)
        #expect(fallback["branch_name"] == "各门店")
    }

    @Test func todayIsTheDateInTheMembersZone() {
        let shanghai = Member(memberNo: "M1", name: "a", timezone: "Asia/Shanghai")
        let losAngeles = Member(memberNo: "M2", name: "b", timezone: "America/Los_Angeles")
        #expect(RecipientValues.values(member: shanghai, branchName: nil, campaignValues: [:], now: Self.now)["today"] == "2026-12-22")
        #expect(RecipientValues.values(member: losAngeles, branchName: nil, campaignValues: [:], now: Self.now)["today"] == "2026-12-21")
    }
}

struct RecipientFormatTests {
    let chinese = RecipientFormat(locale: "zh-CN", timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    let english = RecipientFormat(locale: "en-US", timeZone: TimeZone(identifier: "America/New_York")!)

    @Test(arguments: [
        ("368", "¥368"), ("368.00", "¥368"), ("368.5", "¥368.50"), ("1280.05", "¥1,280.05"), ("12800", "¥12,800"),
        ("1234567.89", "¥1,234,567.89"), ("0", "¥0"), ("0.5", "¥0.50"), ("-20", "-¥20"), ("007", "¥7"),
    ])
    func yuan(input: String, expected: String) {
        #expect(chinese.apply(.yuan, to: input) == expected)
        #expect(english.apply(.yuan, to: input) == expected)
    }

    @Test(arguments: ["12元", "", "1.234", "1.", "abc", "1,000"])
    func notAnAmount(input: String) {
        #expect(chinese.yuan(input) == nil)
    }

    @Test func datesInTheLocale() {
        #expect(chinese.apply(.date, to: "2026-12-22") == "2026年12月22日")
        #expect(chinese.apply(.monthday, to: "2026-12-22") == "12月22日")
        #expect(english.apply(.date, to: "2026-12-22") == "Dec 22, 2026")
        #expect(english.apply(.monthday, to: "2026-01-05") == "Jan 5")
        #expect(RecipientFormat(locale: "fr-FR", timeZone: .gmt).apply(.date, to: "2026-12-22") == "2026-12-22")
        #expect(chinese.apply(.date, to: "2026-02-30") == nil)
        #expect(chinese.apply(.time, to: "2026-12-22") == nil, "a date has no time of day")
    }

    @Test func timesInTheMembersZone() {
        // 18:30 in Shanghai is 05:30 the same day in New York.
        let instant = "2026-12-21T18:30:00+08:00"
        #expect(chinese.apply(.time, to: instant) == "18:30")
        #expect(chinese.apply(.datetime, to: instant) == "12月21日 18:30")
        #expect(english.apply(.time, to: instant) == "05:30")
        #expect(english.apply(.datetime, to: instant) == "Dec 21, 05:30")
        #expect(english.apply(.datetime, to: "2026-12-22T02:00Z") == "Dec 21, 21:00")
        #expect(chinese.apply(.date, to: "2026-12-21T20:00:00-08:00") == "2026年12月22日")
        #expect(chinese.apply(.time, to: "2026-12-21T18:30:00") == nil, "whose 18:30 is unknown without an offset")
    }

    @Test func templatesFormatWithTheMembersLocaleAndZone() throws {
        let files = [
            "x/sms.zh-CN.mustache": "{{yuan(amount)}}，{{monthday(expires_on)}}前，{{datetime(starts_at)}}\n",
            "x/sms.en-US.mustache": "{{yuan(amount)}}, by {{monthday(expires_on)}}, {{datetime(starts_at)}}\n",
        ]
        try withTemplates(files) { (library) throws in
            var values = ["amount": "1280", "expires_on": "2026-12-31", "starts_at": "2026-12-21T18:30:00+08:00"]
            values["time_zone"] = "Asia/Shanghai"
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: values).text == "¥1,280，12月31日前，12月21日 18:30")
            values["time_zone"] = "America/Los_Angeles"
            #expect(try library.render(name: "x", channel: .sms, locale: "en-US", values: values).text == "¥1,280, by Dec 31, Dec 21, 02:30")
        }
    }

    @Test func aValueTheHelperCannotFormatIsAnErrorNotAHole() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "满\n{{yuan(amount)}}减20\n"]) { (library) throws in
            let error = templateError { _ = try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["amount": "100元"]) }
            #expect(error?.code == .invalidValue)
            #expect(error?.description == "templates/x/sms.zh-CN.mustache:2: {{yuan(amount)}}: '100元' is not an amount in yuan like 368 or 368.50")
        }
    }

    @Test func anUnknownHelperIsRefusedWhenLoading() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "{{money(amount)}}\n"]) { (library) throws in
            let error = templateError { _ = try library.template(named: "x", channel: .sms, locale: "zh-CN") }
            #expect(error?.code == .unsupportedTag)
            #expect(error?.reason.hasPrefix("{{money(amount)}}: no helper 'money'") == true)
        }
    }

    @Test func sectionValuesDoNotExposeTheirInsides() throws {
        // Inside {{#vip}} a name is looked up in the values, never in the value's own fields.
        try withTemplates(["x/sms.zh-CN.mustache": "{{#vip}}[{{text}}{{format}}{{.}}]{{/vip}}\n"]) { (library) throws in
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["vip": "y", "text": "T", "format": "F"]).text == "[TFy]")
        }
    }
}

struct TemplatePartialTests {
    @Test func aPartialIsIncludedAndEscapedLikeItsFile() throws {
        let files = [
            "_partials/optout.mustache": "{{brand_note}}回T退订\n",
            "x/sms.zh-CN.mustache": "【鸿福楼】{{member_name}}您好，新菜上市。{{> optout}}\n",
            "x/email.zh-CN.subject.mustache": "新菜\n",
            "x/email.zh-CN.text.mustache": "{{> optout}}\n",
            "x/email.zh-CN.html.mustache": "<p>{{> optout}}</p>\n",
        ]
        try withTemplates(files) { (library) throws in
            let values = ["member_name": "李娜", "brand_note": "A&B "]
            #expect(try library.render(name: "x", channel: .sms, locale: "zh-CN", values: values).text == "【鸿福楼】李娜您好，新菜上市。A&B 回T退订")
            let email = try library.render(name: "x", channel: .email, locale: "zh-CN", values: values)
            #expect(email.text == "A&B 回T退订")
            #expect(email.html == "<p>A&amp;B 回T退订</p>")
            let missing = templateError { _ = try library.render(name: "x", channel: .sms, locale: "zh-CN", values: ["member_name": "李娜"]) }
            #expect(missing?.description == "templates/_partials/optout.mustache:1: no value for {{brand_note}}")
        }
    }

    @Test func aMissingPartialIsNamedWhereItIsIncluded() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "您好\n  {{> footer}}\n"]) { (library) throws in
            let error = templateError { _ = try library.template(named: "x", channel: .sms, locale: "zh-CN") }
            #expect(error?.code == .missingFile)
            #expect(error?.description == "templates/x/sms.zh-CN.mustache:2:3: no partial 'footer' (_partials/footer.mustache)")
        }
    }

    @Test func partialsThatIncludeEachOtherAreRefused() throws {
        let files = ["_partials/a.mustache": "{{> b}}\n", "_partials/b.mustache": "{{> a}}\n", "x/sms.zh-CN.mustache": "{{> a}}\n"]
        try withTemplates(files) { (library) throws in
            let error = templateError { _ = try library.template(named: "x", channel: .sms, locale: "zh-CN") }
            #expect(error?.code == .unsupportedTag)
        }
    }

    @Test func aCacheParsesOnce() throws {
        try withTemplates(["x/sms.zh-CN.mustache": "{{member_name}}\n"]) { (library) throws in
            let cache = TemplateCache(library: library)
            #expect(try cache.render(name: "x", channel: .sms, locale: "zh-CN", values: ["member_name": "a"]).text == "a")
            try FileManager.default.removeItem(at: library.directory.appendingPathComponent("x/sms.zh-CN.mustache"))
            #expect(try cache.render(name: "x", channel: .sms, locale: "zh-CN", values: ["member_name": "b"]).text == "b")
            #expect(templateError { _ = try library.template(named: "x", channel: .sms, locale: "zh-CN") }?.code == .missingFile)
        }
    }
}
