import CoreModel
import Foundation
import Scheduler
import Testing

/// Which replies and key presses are survey answers, read without a
/// database: the key, the comment, the follow-up, and opt-outs first.
struct SurveyAnswerDecisionsTests {
    static let sender = InboundFacts.Sender(memberId: 7, memberNo: "M7")
    static let at = Date(timeIntervalSince1970: 1_800_000_000)
    static let campaignAnswers = ["1": "非常不满意", "2": "不满意", "3": "一般", "4": "满意", "5": "非常满意", "9": "退订"]

    static func survey(_ answers: [String: String] = campaignAnswers, channel: Channel = .sms) -> InboundFacts.Answered
    {
        InboundFacts.Answered(
            messageId: 44, channel: channel, purpose: .campaign, category: .survey, order: nil, memberId: 7,
            surveyAnswers: answers)
    }

    static func decide(
        _ body: String, kind: InboundRecord.Kind = .reply, channel: Channel = .sms,
        linked: InboundFacts.Answered? = nil,
        latest: InboundFacts.Answered? = survey(), rules: FeedbackDecisions = FeedbackDecisions()
    ) -> InboundDecision {
        let inbound = InboundRecord(
            channel: channel, kind: kind, from: "+8613800000007", to: nil, body: body, gateway: "kannel",
            providerMessageId: "mo-1", receivedAt: at)
        return rules.decide(inbound, facts: InboundFacts(sender: sender, answered: linked, latestSurvey: latest))
    }

    static func answer(_ decision: InboundDecision) -> SurveyAnswer? {
        decision.actions.lazy.compactMap { if case .answerSurvey(let answer) = $0 { answer } else { nil } }.first
    }

    @Test(
        arguments: [
            ("4", "4", nil), ("4 菜很好，上菜慢", "4", "菜很好，上菜慢"), ("５", "5", nil), (" 3。一般般", "3", "一般般"),
        ] as [(String, String, String?)])
    func aReplyStartingWithAKeyIsAnAnswer(_ body: String, key: String, comment: String?) throws {
        let decision = Self.decide(body)
        #expect(decision.kind == .reply)
        let answer = try #require(Self.answer(decision))
        #expect(answer.messageId == 44 && answer.memberId == 7)
        #expect(answer.key == key && answer.score == Int(key) && answer.comment == comment)
    }

    @Test(arguments: ["12", "6", "谢谢", "", "好吃 5"])
    func otherRepliesAreNotAnswers(_ body: String) {
        #expect(Self.answer(Self.decide(body)) == nil)
    }

    @Test func withoutASurveyNothingIsAnAnswer() {
        #expect(Self.answer(Self.decide("4", latest: nil)) == nil)
    }

    /// A survey of the automation names no keys: the configured scale is its keys.
    @Test func anAutomationSurveyUsesTheScale() throws {
        let automation = Self.survey([:])
        #expect(Self.answer(Self.decide("5", latest: automation))?.score == 5)
        #expect(Self.answer(Self.decide("6", latest: automation)) == nil)
        let rules = FeedbackDecisions(
            survey: SurveySettings(windowHours: 24, scale: 7, lowScore: 3, taskDueHours: 8, escalationCheckMinutes: 5))
        #expect(Self.answer(Self.decide("6", latest: automation, rules: rules))?.score == 6)
        #expect(rules.surveyWindow == 24 * 3600)
    }

    /// The provider's link decides; a key pressed in the survey call is an answer, whole keys only.
    @Test func aKeyPressOnASurveyCallIsAnAnswer() throws {
        let call = Self.survey(channel: .voice)
        let answer = try #require(
            Self.answer(Self.decide("4", kind: .dtmf, channel: .voice, linked: call, latest: nil)))
        #expect(answer.score == 4 && answer.comment == nil)
        #expect(Self.answer(Self.decide("44", kind: .dtmf, channel: .voice, linked: call, latest: nil)) == nil)
        // A key press is never matched by recency.
        #expect(Self.answer(Self.decide("4", kind: .dtmf, channel: .voice, linked: nil, latest: call)) == nil)
    }

    /// Stop wins: 退订 to a survey, the keypad's 9, and an answer key that means 退订.
    @Test func anOptOutIsNotAnAnswer() {
        for decision in [
            Self.decide("退订"), Self.decide("T"),
            Self.decide("9", kind: .dtmf, channel: .voice, linked: Self.survey(channel: .voice), latest: nil),
            Self.decide(
                "9", kind: .dtmf, channel: .voice, linked: Self.survey(channel: .voice), latest: nil,
                rules: FeedbackDecisions(
                    optOut: OptOutSettings(
                        keywords: ["退订"], containing: [], shortReply: 12, keypad: nil, confirmation: nil))),
        ] {
            #expect(decision.kind == .optout)
            #expect(Self.answer(decision) == nil)
            #expect(decision.actions.contains { if case .optOut = $0 { true } else { false } })
        }
    }

    @Test(arguments: [(1, true), (2, true), (3, false), (5, false)])
    func aLowScoreAsksForAFollowUp(_ score: Int, followUp: Bool) throws {
        let answer = try #require(Self.answer(Self.decide("\(score) 太慢了")))
        #expect((answer.followUp != nil) == followUp)
        if let task = answer.followUp {
            #expect(task.reason == "low_survey_score" && task.dueAt == Self.at + 24 * 3600)
            #expect(task.notice.hasPrefix("【鸿福楼】") && task.notice.contains("M7") && task.notice.contains("太慢了"))
            #expect(!task.notice.contains("13800000007"))
        }
    }

    @Test func theThresholdAndDueTimeAreConfigured() throws {
        let rules = FeedbackDecisions(
            survey: SurveySettings(windowHours: 72, scale: 5, lowScore: 3, taskDueHours: 4, escalationCheckMinutes: 10))
        let task = try #require(Self.answer(Self.decide("3", rules: rules))?.followUp)
        #expect(task.dueAt == Self.at + 4 * 3600)
        let never = FeedbackDecisions(
            survey: SurveySettings(windowHours: 72, scale: 5, lowScore: 0, taskDueHours: 4, escalationCheckMinutes: 10))
        #expect(Self.answer(Self.decide("1", rules: never))?.followUp == nil)
    }

    @Test func settingsOutOfRangeAreNamedByKeyPath() {
        #expect(SurveySettings.defaults.issues(path: ["survey"]).isEmpty)
        let bad = SurveySettings(windowHours: 0, scale: 5, lowScore: 5, taskDueHours: 1000, escalationCheckMinutes: 0)
        #expect(
            bad.issues(path: ["survey"]).map { $0.path.joined(separator: ".") } == [
                "survey.window_hours", "survey.low_score", "survey.task_due_hours", "survey.escalation_check_minutes",
            ])
    }

    /// Marketing waits while a follow-up is open; service and surveys do not.
    @Test func anOpenFollowUpHoldsMarketingOnly() {
        let policy = SendPolicy()
        func facts(_ category: ConsentCategory) -> RecipientFacts {
            RecipientFacts(
                channel: .sms, lane: category == .marketing ? .marketing : .transactional, category: category,
                consentGranted: true, hasOpenFollowUp: true, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        }
        #expect(policy.decide(facts(.marketing), now: Self.at) == .deferUntil(Self.at + 3600, reason: "follow_up_open"))
        #expect(policy.decide(facts(.service), now: Self.at) == .send)
    }
}
