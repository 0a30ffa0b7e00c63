import CoreModel
import Foundation
import Scheduler
import Testing

struct SendPolicyTests {
    let policy: SendPolicy
    let shanghai: TimeZone
    /// 12:00 and 22:00 in Shanghai.
    let noon: Date
    let evening: Date

    init() throws {
        policy = SendPolicy(rules: SendPolicyRules(quietHours: try QuietHours(start: "21:00", end: "08:00")))
        shanghai = try zone("Asia/Shanghai")
        noon = try instant("2026-03-10T04:00:00Z")
        evening = try instant("2026-03-10T14:00:00Z")
    }

    func facts(
        lane: Lane = .marketing, category: ConsentCategory = .marketing, consent: Bool? = true, blacklisted: Bool = false,
        contact: ContactStatus = .valid, complaint: Bool = false, recent: [Date] = []
    ) -> RecipientFacts {
        RecipientFacts(
            channel: .sms, lane: lane, category: category, consentGranted: consent, blacklisted: blacklisted, contactStatus: contact,
            hasOpenComplaint: complaint, timeZone: shanghai, recentSendTimes: recent)
    }

    @Test func aConsentingMemberAtNoonIsSent() {
        #expect(policy.decide(facts(), now: noon) == .send)
    }

    @Test func checksRunInTheDocumentedOrder() throws {
        let twoRecent = [noon - 3600, noon - 7200]
        var f = facts(consent: nil, blacklisted: true, contact: .bounced, complaint: true, recent: twoRecent)
        #expect(policy.decide(f, now: evening) == .suppress(reason: "blacklisted"))
        f.blacklisted = false
        #expect(policy.decide(f, now: evening) == .suppress(reason: "contact_invalid"))
        f.contactStatus = .valid
        #expect(policy.decide(f, now: evening) == .suppress(reason: "no_consent"))
        f.consentGranted = false
        #expect(policy.decide(f, now: evening) == .suppress(reason: "opted_out"))
        f.consentGranted = true
        #expect(policy.decide(f, now: evening) == .suppress(reason: "open_complaint"))
        f.hasOpenComplaint = false
        #expect(policy.decide(f, now: evening) == .suppress(reason: "frequency_cap"))
        f.recentSendTimes = []
        f.hasOpenFollowUp = true
        #expect(policy.decide(f, now: evening) == .deferUntil(evening + 3600, reason: "follow_up_open"))
        f.hasOpenFollowUp = false
        // A manager calls first: held to the hold's end, which is in the past by tomorrow.
        f.personalCallUntil = noon + 86400
        #expect(policy.decide(f, now: evening) == .deferUntil(noon + 86400, reason: "personal_call_first"))
        #expect(policy.decide(f, now: noon + 86400) == .send)
        f.category = .service
        #expect(policy.decide(f, now: noon) == .send)
        f.category = .marketing
        f.personalCallUntil = nil
        #expect(policy.decide(f, now: evening) == .deferUntil(try instant("2026-03-11T00:00:00Z"), reason: "quiet_hours"))
        #expect(policy.decide(f, now: noon) == .send)
    }

    @Test(arguments: [ContactStatus.invalid, .bounced, .missing])
    func anUnusableContactIsSuppressed(status: ContactStatus) {
        #expect(policy.decide(facts(category: .service, contact: status), now: noon) == .suppress(reason: "contact_invalid"))
    }

    @Test func serviceConsentIsImplicitButARevocationHolds() {
        #expect(policy.decide(facts(lane: .transactional, category: .service, consent: nil), now: noon) == .send)
        #expect(policy.decide(facts(lane: .transactional, category: .service, consent: false), now: noon) == .suppress(reason: "opted_out"))
        #expect(policy.decide(facts(lane: .reminder, category: .survey, consent: nil), now: noon) == .suppress(reason: "no_consent"))
        #expect(policy.decide(facts(lane: .reminder, category: .survey, consent: true), now: noon) == .send)
    }

    @Test func anOpenComplaintHoldsMarketingOnly() {
        #expect(policy.decide(facts(complaint: true), now: noon) == .suppress(reason: "open_complaint"))
        #expect(policy.decide(facts(lane: .transactional, category: .service, complaint: true), now: noon) == .send)
        #expect(policy.decide(facts(lane: .reminder, category: .survey, complaint: true), now: noon) == .send)
    }

    @Test func onlyCappedCategoriesAreCapped() {
        let many = (1...10).map { noon - Double($0) * 3600 }
        #expect(policy.decide(facts(recent: Array(many.prefix(1))), now: noon) == .send)
        #expect(policy.decide(facts(recent: Array(many.prefix(2))), now: noon) == .suppress(reason: "frequency_cap"))
        #expect(policy.decide(facts(lane: .transactional, category: .service, recent: many), now: noon) == .send)
    }

    @Test func quietHoursHoldOnlyTheConfiguredLanes() throws {
        let morning = try instant("2026-03-11T00:00:00Z")
        #expect(policy.decide(facts(), now: evening) == .deferUntil(morning, reason: "quiet_hours"))
        #expect(policy.decide(facts(lane: .transactional, category: .service), now: evening) == .send)
        // The default holds reminders too, as tidings.yaml's default does.
        #expect(policy.decide(facts(lane: .reminder, category: .service), now: evening) == .deferUntil(morning, reason: "quiet_hours"))

        let marketingOnly = SendPolicy(
            rules: SendPolicyRules(quietHours: try QuietHours(start: "21:00", end: "08:00"), quietHoursLanes: [.marketing]))
        #expect(marketingOnly.decide(facts(lane: .reminder, category: .service), now: evening) == .send)
        #expect(marketingOnly.decide(facts(), now: evening) == .deferUntil(morning, reason: "quiet_hours"))
        #expect(SendPolicy().decide(facts(), now: evening) == .send)
    }

    @Test func rulesFromTheConfigFile() throws {
        let rules = try SendPolicyRules(quietHours: QuietHoursSettings.defaults)
        #expect(rules.quietHoursLanes == [.marketing, .reminder])
        #expect(rules.frequencyCaps == [.marketing: FrequencyCap(limit: 2, days: 7)])
        let decision = SendPolicy(rules: rules).decide(facts(lane: .reminder, category: .service), now: evening)
        #expect(decision == .deferUntil(try instant("2026-03-11T01:00:00Z"), reason: "quiet_hours"))  // 09:00 local

        let bad = QuietHoursSettings(start: "9pm", end: "08:00", lanes: [.marketing])
        #expect(throws: QuietHours.ParseError.self) { try SendPolicyRules(quietHours: bad) }
    }
}
