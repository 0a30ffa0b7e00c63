import CoreModel
import Foundation
import Testing

/// Survey answers and the follow-ups they open, as any store must keep them:
/// the answered survey found (linked by the provider, else the latest within
/// the window), the answer recorded once against it, a low score's task given
/// an owner and a notice, marketing held while it is open, escalated once.
struct SurveyTasksContractTests {
    let now = Fixture.now
    static let phone = "+8613812345678"

    /// Answers like the group's rules, small enough to read: the first
    /// character is the key, the rest the comment, 1–2 open a follow-up.
    let rules = ScriptedRules(inbound: { inbound, facts in
        let linked = facts.answered?.surveyAnswers == nil ? nil : facts.answered
        guard inbound.kind == .reply || inbound.kind == .dtmf, let target = linked ?? facts.latestSurvey,
            let memberId = target.memberId, let first = inbound.body.first
        else { return InboundDecision(kind: inbound.kind) }
        let key = String(first)
        let comment = String(inbound.body.dropFirst()).trimmingCharacters(in: .whitespaces)
        let score = Int(key)
        let followUp =
            (score ?? 9) <= 2
            ? FollowUp(reason: "low_survey_score", dueAt: inbound.receivedAt + 24 * 3600, notice: "【鸿福楼】回访低分") : nil
        return InboundDecision(
            kind: inbound.kind,
            actions: [
                .answerSurvey(
                    SurveyAnswer(
                        messageId: target.messageId, memberId: memberId, key: key, score: score,
                        comment: comment.isEmpty ? nil : comment, followUp: followUp))
            ])
    })

    /// Member M1 with order SO1 and a survey campaign; the body gets the store and the campaign's id.
    func withSurveys(_ kind: StoreKind, _ body: (any Store, any StoreHarness, Int64) async throws -> Void) async throws
    {
        try await kind.withStore { store, harness in
            try await store.load(.members([Fixture.member("M1", phone: Self.phone)]))
            try await store.load(.orders([Fixture.order("SO1", status: .delivered)]))
            let campaign = try await store.saveCampaign(
                name: "revisit-survey-sms", category: .survey,
                definition: #"{"survey":{"question":"评分","answers":{"1":"很差","2":"差","3":"一般","4":"好","5":"很好"}}}"#,
                file: nil, actor: "test", now: now)
            try await body(store, harness, campaign.id)
        }
    }

    /// A survey SMS to M1 about SO1, sent (submitted) at `at`.
    @discardableResult
    func sendSurvey(
        _ store: any Store, key: String, campaignId: Int64?, variant: String? = "A",
        category: ConsentCategory = .survey,
        channel: Channel = .sms, at: Date
    ) async throws -> Int64 {
        let message = NewMessage(
            idempotencyKey: key, purpose: campaignId == nil ? .automation("revisit_survey") : .campaign,
            channel: channel,
            lane: .reminder, category: category, memberNo: "M1", address: Self.phone, payload: #"{"text":"请评分"}"#,
            orderNo: "SO1", campaignId: campaignId, variant: campaignId == nil ? nil : variant)
        let id = try await store.enqueue([message], now: at)[0].id
        let leased = try await store.leaseDue(lane: .reminder, limit: 10, owner: "w", leaseUntil: at + 30, now: at)
        #expect(leased.map(\.id) == [id])
        _ = try await store.recordSendResults(
            [SendResult(messageId: id, gateway: "kannel", event: .accepted(providerMessageId: "p-\(key)"))], owner: "w",
            now: at)
        return id
    }

    func reply(
        _ body: String, id: String, at: Date, inReplyTo: Int64? = nil, kind: InboundRecord.Kind = .reply,
        channel: Channel = .sms
    ) -> InboundRecord {
        InboundRecord(
            channel: channel, kind: kind, from: inReplyTo == nil ? Self.phone : "", to: "1069", body: body,
            gateway: "kannel", providerMessageId: id, inReplyTo: inReplyTo, receivedAt: at)
    }

    @Test(arguments: StoreKind.allCases)
    func aBareDigitAnswersTheLatestSurveyWithinTheWindow(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, _, campaign in
            _ = try await sendSurvey(store, key: "older", campaignId: campaign, at: now)
            let latest = try await sendSurvey(store, key: "latest", campaignId: campaign, variant: "B", at: now + 3600)
            _ = try await store.recordInbound([reply("4 菜很好，上菜慢", id: "mo-1", at: now + 7200)], rules: rules)
            let facts = try #require(rules.seen.last)
            #expect(facts.answered == nil)
            #expect(facts.latestSurvey?.messageId == latest)
            #expect(facts.latestSurvey?.surveyAnswers?["4"] == "好")
            let responses = try await store.surveyResponses(memberNo: "M1", limit: 10)
            #expect(responses.count == 1)
            let response = try #require(responses.first)
            #expect(response.messageId == latest && response.orderNo == "SO1")
            #expect(response.campaignId == campaign && response.variant == "B")
            #expect(response.answer == "4" && response.score == 4 && response.comment == "菜很好，上菜慢")
            let profile = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 50))
            #expect(profile.timeline.contains { $0.kind == "survey" && $0.text.contains("SO1") })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReplyAfterTheWindowAnswersNothing(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, _, campaign in
            _ = try await sendSurvey(store, key: "s", campaignId: campaign, at: now)
            // ScriptedRules's window is 72 h.
            _ = try await store.recordInbound([reply("3", id: "mo-1", at: now + 73 * 3600)], rules: rules)
            #expect(rules.seen.last?.latestSurvey == nil)
            #expect(try await store.surveyResponses(memberNo: "M1", limit: 10).isEmpty)
        }
    }

    /// Marketing is not a survey, however recent; a survey the automation sent has the rules' own scale.
    @Test(arguments: StoreKind.allCases)
    func onlySurveysAreMatchedAndAutomationSurveysHaveNoKeysOfTheirOwn(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, _, _ in
            let survey = try await sendSurvey(store, key: "auto", campaignId: nil, at: now)
            _ = try await store.enqueue(
                [Fixture.message("promo", lane: .marketing, category: .marketing, member: "M1")], now: now + 60)
            _ = try await store.recordInbound([reply("5", id: "mo-1", at: now + 120)], rules: rules)
            let facts = try #require(rules.seen.last)
            #expect(facts.latestSurvey?.messageId == survey && facts.latestSurvey?.surveyAnswers == [:])
            let response = try #require(try await store.surveyResponses(memberNo: "M1", limit: 10).first)
            #expect(response.campaignId == nil && response.variant == nil && response.score == 5)
        }
    }

    /// The provider's link wins over recency, and a key pressed in a survey call is an answer.
    @Test(arguments: StoreKind.allCases)
    func aProviderLinkAndAKeyPressAnswerTheirMessage(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, _, campaign in
            let call = try await sendSurvey(store, key: "call", campaignId: campaign, channel: .voice, at: now)
            _ = try await sendSurvey(store, key: "sms", campaignId: campaign, at: now + 60)
            _ = try await store.recordInbound(
                [reply("5", id: "g-1", at: now + 120, inReplyTo: call, kind: .dtmf, channel: .voice)], rules: rules)
            let facts = try #require(rules.seen.last)
            #expect(facts.answered?.messageId == call && facts.answered?.surveyAnswers?.count == 5)
            let responses = try await store.surveyResponses(memberNo: "M1", limit: 10)
            #expect(responses.map(\.messageId) == [call] && responses.first?.score == 5)
        }
    }

    /// The same inbound delivered twice, and a second answer to the same survey: the first answer stays, alone.
    @Test(arguments: StoreKind.allCases)
    func theFirstAnswerIsKeptAndNothingIsRecordedTwice(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, _, campaign in
            let survey = try await sendSurvey(store, key: "s", campaignId: campaign, at: now)
            let first = reply("1 太咸", id: "mo-1", at: now + 60)
            let results = try await store.recordInbound([first, first], rules: rules)
            #expect(results.last == .duplicate)
            _ = try await store.recordInbound([reply("5", id: "mo-2", at: now + 120)], rules: rules)
            let responses = try await store.surveyResponses(memberNo: "M1", limit: 10)
            #expect(responses.count == 1)
            #expect(
                responses.first?.messageId == survey && responses.first?.score == 1 && responses.first?.comment == "太咸")
            // One answer, one task, one notice.
            let tasks = try await store.tasks(TaskFilter(), now: now)
            #expect(tasks.count == 1)
        }
    }

    /// The rules said stop: the store records no answer, whatever the text.
    @Test(arguments: StoreKind.allCases)
    func anOptOutIsNotAnAnswer(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, _, campaign in
            _ = try await sendSurvey(store, key: "s", campaignId: campaign, at: now)
            let optOutRules = ScriptedRules(inbound: { inbound, facts in
                InboundDecision(
                    kind: .optout,
                    actions: [
                        .optOut(
                            OptOut(
                                address: inbound.from, memberId: facts.sender?.memberId, channels: [.sms],
                                categories: [.survey], source: "sms_reply"))
                    ])
            })
            _ = try await store.recordInbound([reply("1退订", id: "mo-1", at: now + 60)], rules: optOutRules)
            #expect(try await store.surveyResponses(memberNo: "M1", limit: 10).isEmpty)
            #expect(try await store.tasks(TaskFilter(), now: now).isEmpty)
        }
    }

    /// A low score: a task for the member's manager, notified by SMS in the same transaction.
    @Test(arguments: StoreKind.allCases)
    func aLowScoreOpensATaskForTheMembersManagerAndTellsThem(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, harness, campaign in
            try await harness.insertStaff(
                "S0009", role: "branch_manager", phone: "+8613900000009", email: nil, manages: nil)
            try await harness.insertStaff("S0001", role: "manager", phone: "+8613900000001", email: nil, manages: "M1")
            _ = try await sendSurvey(store, key: "s", campaignId: campaign, at: now)
            _ = try await store.recordInbound([reply("2 等太久", id: "mo-1", at: now + 60)], rules: rules)
            let task = try #require(try await store.tasks(TaskFilter(), now: now + 60).first)
            #expect(task.staffNo == "S0001" && task.reason == "low_survey_score" && task.status == .open)
            #expect(task.dueAt == now + 60 + 24 * 3600 && task.score == 2 && task.comment == "等太久")
            let notice = try #require(
                try await store.messageStates(idempotencyKeys: ["task:\(task.id):notify"]).values.first)
            #expect(notice.status == .queued)
            let profile = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 50))
            #expect(profile.timeline.contains { $0.kind == "task" && $0.text.contains("S0001") })
            // A good score opens nothing.
            _ = try await sendSurvey(store, key: "s2", campaignId: campaign, at: now + 3600)
            _ = try await store.recordInbound([reply("5", id: "mo-2", at: now + 3660)], rules: rules)
            #expect(try await store.tasks(TaskFilter(), now: now).count == 1)
        }
    }

    /// No manager of their own: the branch's manager, by email when they have no phone.
    @Test(arguments: StoreKind.allCases)
    func withoutAManagerTheBranchManagerIsToldByEmail(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, harness, campaign in
            try await harness.insertStaff("S0002", role: "manager", phone: "+8613900000002", email: nil, manages: nil)
            try await harness.insertStaff(
                "S0009", role: "branch_manager", phone: nil, email: "bm@hfl.example", manages: nil)
            _ = try await sendSurvey(store, key: "s", campaignId: campaign, at: now)
            _ = try await store.recordInbound([reply("1", id: "mo-1", at: now + 60)], rules: rules)
            let task = try #require(try await store.tasks(TaskFilter(branchCode: "B1"), now: now).first)
            #expect(task.staffNo == "S0009")
            let notice = try #require(
                try await store.leaseDue(
                    lane: .transactional, limit: 10, owner: "w", leaseUntil: now + 90, now: now + 60
                )
                .first)
            #expect(notice.channel == .email && notice.address == "bm@hfl.example" && notice.category == .service)
            #expect(try await store.tasks(TaskFilter(staffNo: "S0002"), now: now).isEmpty)
        }
    }

    /// Marketing to the member is held while the task is open, and goes again once it is closed.
    @Test(arguments: StoreKind.allCases)
    func marketingIsHeldWhileTheTaskIsOpen(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, harness, campaign in
            try await harness.insertStaff("S0001", role: "manager", phone: "+8613900000001", email: nil, manages: "M1")
            _ = try await sendSurvey(store, key: "s", campaignId: campaign, at: now)
            _ = try await store.recordInbound([reply("1", id: "mo-1", at: now + 60)], rules: rules)
            _ = try await store.enqueue(
                [Fixture.message("promo", lane: .marketing, category: .marketing, member: "M1")], now: now + 120)
            let promo = try await store.leaseDue(
                lane: .marketing, limit: 1, owner: "w", leaseUntil: now + 200, now: now + 120)
            #expect(promo.count == 1)
            let held = try await store.sendContexts(for: promo, recentSince: [:])
            #expect(held[promo[0].id]?.hasOpenFollowUp == true)
            let task = try #require(try await store.tasks(TaskFilter(), now: now).first)
            guard case .closed(let closed) = try await store.closeTask(id: task.id, note: "已回电", at: now + 300) else {
                throw ContractFailure.unexpected("not closed")
            }
            #expect(closed.status == .done && closed.note == "已回电" && closed.closedAt == now + 300)
            guard case .alreadyClosed = try await store.closeTask(id: task.id, note: "again", at: now + 400) else {
                throw ContractFailure.unexpected("closed twice")
            }
            #expect(try await store.closeTask(id: 999, note: nil, at: now) == .notFound)
            let released = try await store.sendContexts(for: promo, recentSince: [:])
            #expect(released[promo[0].id]?.hasOpenFollowUp == false)
            #expect(try await store.task(id: task.id)?.note == "已回电")
        }
    }

    /// Overdue open tasks are escalated to the branch manager once; closed ones and ones not yet due are not.
    @Test(arguments: StoreKind.allCases)
    func anOverdueTaskIsEscalatedOnce(_ kind: StoreKind) async throws {
        try await withSurveys(kind) { store, harness, campaign in
            try await harness.insertStaff("S0001", role: "manager", phone: "+8613900000001", email: nil, manages: "M1")
            try await harness.insertStaff(
                "S0009", role: "branch_manager", phone: "+8613900000009", email: nil, manages: nil)
            _ = try await sendSurvey(store, key: "s", campaignId: campaign, at: now)
            _ = try await store.recordInbound([reply("1", id: "mo-1", at: now + 60)], rules: rules)
            let due = now + 60 + 24 * 3600
            let notice: @Sendable (FollowUpTask) -> String = { "逾期 #\($0.id)" }
            #expect(try await store.escalateOverdueTasks(now: due, limit: 10, notice: notice).isEmpty)
            #expect(try await store.tasks(TaskFilter(overdue: true), now: due).isEmpty)
            let escalated = try await store.escalateOverdueTasks(now: due + 1, limit: 10, notice: notice)
            #expect(escalated.count == 1 && escalated.first?.escalatedAt == due + 1)
            #expect(try await store.tasks(TaskFilter(overdue: true), now: due + 1).map(\.id) == escalated.map(\.id))
            #expect(try await store.escalateOverdueTasks(now: due + 3600, limit: 10, notice: notice).isEmpty)
            let id = try #require(escalated.first?.id)
            let states = try await store.messageStates(idempotencyKeys: ["task:\(id):escalate"])
            #expect(states.count == 1)
            let messages = try await store.leaseDue(
                lane: .transactional, limit: 10, owner: "w", leaseUntil: due + 100, now: due + 2)
            #expect(messages.filter { $0.address == "+8613900000009" }.count == 1)
        }
    }
}
