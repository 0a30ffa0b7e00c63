import CoreModel
import Foundation
import Testing

/// Receipts and inbound messages as any store must take them: matched, kept
/// once, and the rules' actions executed with the record.
struct ReceiptsContractTests {
    let now = Fixture.now

    /// A sent message whose receipt the test controls: (store, message id).
    func withSubmitted(
        _ kind: StoreKind, _ body: (any Store, Int64) async throws -> Void
    ) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            _ = try await store.enqueue([Fixture.message("a", member: "M1")], now: now)
            let id = try #require(
                try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now + 30, now: now)
                    .first?.id)
            _ = try await store.recordSendResults(
                [SendResult(messageId: id, gateway: "kannel", event: .accepted(providerMessageId: "p-1"))], owner: "w",
                now: now)
            try await body(store, id)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func receiptsMatchOurIdOrTheProvidersAndArriveInAnyOrder(_ kind: StoreKind) async throws {
        try await withSubmitted(kind) { store, id in
            let rules = ScriptedRules()
            let results = try await store.applyReceipts(
                [
                    ReceiptRecord(
                        messageId: nil, gateway: "kannel", providerMessageId: "p-1", outcome: .delivered,
                        receivedAt: now),
                    ReceiptRecord(
                        messageId: id, gateway: "kannel", outcome: .intermediate, detail: "ack", receivedAt: now),
                    ReceiptRecord(
                        messageId: nil, gateway: "other", providerMessageId: "p-1", outcome: .failed, receivedAt: now),
                ], rules: rules)
            #expect(
                results == [
                    .applied(from: .submitted, to: .delivered), .applied(from: .delivered, to: .delivered), .notFound,
                ])
            #expect(try await store.messageState(id: id)?.status == .delivered)
        }
    }

    /// A fast receipt can settle a message before the worker records the
    /// gateway's answer: the answer still leaves the gateway and its id.
    @Test(arguments: StoreKind.allCases)
    func aReceiptBeforeTheAcceptanceKeepsTheGateway(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.enqueue([Fixture.message("a")], now: now)
            let id = try #require(
                try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now + 30, now: now)
                    .first?.id)
            let early = try await store.applyReceipts(
                [ReceiptRecord(messageId: id, gateway: "kannel", outcome: .delivered, receivedAt: now)],
                rules: ScriptedRules())
            #expect(early == [.applied(from: .sending, to: .delivered)])
            _ = try await store.recordSendResults(
                [SendResult(messageId: id, gateway: "kannel", event: .accepted(providerMessageId: "p-9"))], owner: "w",
                now: now)
            let state = try #require(try await store.messageState(id: id))
            #expect(state.status == .delivered && state.gateway == "kannel" && state.providerMessageId == "p-9")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReceiptsActionsRunOnlyAsTheRulesSay(_ kind: StoreKind) async throws {
        try await withSubmitted(kind) { store, id in
            let rules = ScriptedRules(receipt: { receipt, facts in
                receipt.addressInvalid ? [.flagContact(messageId: facts.messageId, reason: "空号")] : []
            })
            _ = try await store.applyReceipts(
                [
                    ReceiptRecord(
                        messageId: id, gateway: "kannel", outcome: .failed, addressInvalid: true, receivedAt: now)
                ],
                rules: rules)
            let member = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 5)?.member)
            #expect(member.phone.status == .bounced && member.phone.reason == "空号")
        }
    }

    /// The store tells the rules who answered and what our message was about,
    /// stores the kind they decided, and executes their actions once.
    @Test(arguments: StoreKind.allCases)
    func inboundIsFiledUnderItsSenderWithTheRulesDecision(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(.orders([Fixture.order("SO1", kind: .reservation, status: .booked)]))
            let call = try await store.enqueue(
                [
                    Fixture.message(
                        "call", purpose: .automation("reservation_call"), member: "M1", orderNo: "SO1", channel: .voice)
                ],
                now: now)[0].id
            let rules = ScriptedRules(inbound: { inbound, facts in
                guard let booking = facts.answered?.order else { return InboundDecision(kind: inbound.kind) }
                return InboundDecision(
                    kind: inbound.kind, actions: [.answerBooking(orderId: booking.orderId, status: .cancelled)])
            })
            // The provider links the key press to our call and does not repeat the caller.
            let press = InboundRecord(
                channel: .voice, kind: .dtmf, from: "", to: nil, body: "2", gateway: "sim", providerMessageId: "g-1",
                inReplyTo: call, receivedAt: now)
            let results = try await store.recordInbound([press, press], rules: rules)
            #expect(results.count == 2 && results[1] == .duplicate)
            guard case .stored(let memberNo, _) = results[0] else { throw ContractFailure.unexpected("\(results)") }
            #expect(memberNo == "M1")
            let facts = try #require(rules.seen.first)
            #expect(facts.sender?.memberNo == "M1")
            #expect(facts.answered?.purpose == .automation("reservation_call"))
            #expect(facts.answered?.channel == .voice)
            #expect(facts.answered?.order?.status == .booked && facts.answered?.order?.stillBooked == true)
            let profile = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 20))
            #expect(profile.recentOrders.first?.status == "cancelled")
            #expect(profile.timeline.contains { $0.kind == "inbound" && $0.text.contains("2") })
        }
    }

    /// A booking answered once is not re-opened by a late second answer.
    @Test(arguments: StoreKind.allCases)
    func aBookingAnswerAppliesOnlyWhileBooked(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(.orders([Fixture.order("SO1", kind: .reservation, status: .cancelled)]))
            let call = try await store.enqueue(
                [Fixture.message("call", member: "M1", orderNo: "SO1", channel: .voice)], now: now)[0].id
            let rules = ScriptedRules(inbound: { inbound, facts in
                InboundDecision(
                    kind: inbound.kind,
                    actions: facts.answered?.order.map {
                        [.answerBooking(orderId: $0.orderId, status: .confirmed)]
                    } ?? [])
            })
            _ = try await store.recordInbound(
                [
                    InboundRecord(
                        channel: .voice, kind: .dtmf, from: "", to: nil, body: "1", gateway: "sim",
                        providerMessageId: "g-2",
                        inReplyTo: call, receivedAt: now)
                ], rules: rules)
            #expect(rules.seen.first?.answered?.order?.stillBooked == false)
            #expect(
                try await store.memberProfile(memberNo: "M1", timelineLimit: 5)?.recentOrders.first?.status
                    == "cancelled")
        }
    }
}

enum ContractFailure: Error { case unexpected(String) }

/// Receipts that tell the truth about a message in any state the provider may
/// hold it in, and the receipt timeout.
struct LateReceiptsContractTests {
    let now = Fixture.now

    /// One leased message (store, id).
    func withLeased(_ kind: StoreKind, _ body: (any Store, Int64) async throws -> Void) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.enqueue([Fixture.message("a")], now: now)
            let id = try #require(
                try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now + 30, now: now)
                    .first?.id)
            try await body(store, id)
        }
    }

    func delivered(_ id: Int64, gateway: String = "kannel", providerId: String? = nil) -> ReceiptRecord {
        ReceiptRecord(messageId: id, gateway: gateway, providerMessageId: providerId, outcome: .delivered, receivedAt: now + 5)
    }

    @Test(arguments: StoreKind.allCases)
    func anUnansweredSendIsPinnedAndItsLateReceiptSettlesIt(_ kind: StoreKind) async throws {
        try await withLeased(kind) { store, id in
            _ = try await store.recordSendResults(
                [SendResult(messageId: id, gateway: "kannel", event: .unanswered(reason: "timed out", retryAt: now + 60))],
                owner: "w", now: now)
            let retrying = try #require(try await store.messageState(id: id))
            #expect(retrying.status == .retrying)
            #expect(retrying.pinnedGateway == "kannel")
            #expect(retrying.lastErrorKind == "unanswered")
            let again = try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now + 90, now: now + 60)
            #expect(again.first?.pinnedGateway == "kannel", "the lease carries the pin to the dispatcher")
            _ = try await store.recordSendResults(
                [SendResult(messageId: id, gateway: "kannel", event: .unanswered(reason: "timed out", retryAt: now + 120))],
                owner: "w", now: now + 61)
            #expect(try await store.applyReceipts([delivered(id)], rules: ScriptedRules()) == [.applied(from: .retrying, to: .delivered)])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReceiptAfterACrashFillsInTheGatewayAndProviderId(_ kind: StoreKind) async throws {
        try await withLeased(kind) { store, id in
            #expect(try await store.reconcileExpiredLeases(now: now + 31) == 1)
            #expect(try await store.messageState(id: id)?.status == .unknown)
            let applied = try await store.applyReceipts([delivered(id, providerId: "p-9")], rules: ScriptedRules())
            #expect(applied == [.applied(from: .unknown, to: .delivered)])
            let state = try #require(try await store.messageState(id: id))
            #expect(state.gateway == "kannel")
            #expect(state.providerMessageId == "p-9")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aFailureTheProviderLaterDeliveredBecomesDelivered(_ kind: StoreKind) async throws {
        try await withLeased(kind) { store, id in
            _ = try await store.recordSendResults(
                [SendResult(messageId: id, gateway: "kannel", event: .permanentFailure(reason: "gave up: no answer"))],
                owner: "w", now: now)
            #expect(try await store.applyReceipts([delivered(id)], rules: ScriptedRules()) == [.applied(from: .failed, to: .delivered)])
            let failedAgain = ReceiptRecord(messageId: id, gateway: "kannel", outcome: .failed, receivedAt: now + 6)
            #expect(try await store.applyReceipts([failedAgain], rules: ScriptedRules()) != [.applied(from: .delivered, to: .failed)])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func noReceiptWithinTheTimeoutExpiresAsUnconfirmedAndALateOneStillCounts(_ kind: StoreKind) async throws {
        try await withLeased(kind) { store, id in
            _ = try await store.recordSendResults(
                [SendResult(messageId: id, gateway: "kannel", event: .accepted(providerMessageId: "p-1"))], owner: "w", now: now)
            let day = 24.0 * 3600
            #expect(try await store.expireUnconfirmed(channel: .sms, submittedBefore: now, waited: 3 * day, limit: 10, now: now) == 0)
            #expect(try await store.expireUnconfirmed(channel: .email, submittedBefore: now + 1, waited: 3 * day, limit: 10, now: now) == 0)
            let expired = try await store.expireUnconfirmed(
                channel: .sms, submittedBefore: now + 1, waited: 3 * day, limit: 10, now: now + 3 * day + 1)
            #expect(expired == 1)
            let state = try #require(try await store.messageState(id: id))
            #expect(state.status == .expired)
            #expect(state.lastErrorKind == "unconfirmed")
            #expect(state.reason == "unconfirmed: no receipt within 72 h")
            #expect(try await store.applyReceipts([delivered(id)], rules: ScriptedRules()) == [.applied(from: .expired, to: .delivered)])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func leasesAreRenewedOnlyForTheirOwner(_ kind: StoreKind) async throws {
        try await withLeased(kind) { store, id async throws in
            #expect(try await store.renewLeases([id], owner: "someone else", until: now + 300) == 0)
            #expect(try await store.renewLeases([id], owner: "w", until: now + 300) == 1)
            #expect(try await store.reconcileExpiredLeases(now: now + 31) == 0, "the renewed lease has not run out")
            #expect(try await store.reconcileExpiredLeases(now: now + 301) == 1)
        }
    }
}
