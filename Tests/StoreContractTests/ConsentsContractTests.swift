import CoreModel
import Foundation
import Testing

/// The consent ledger, opt-outs and the blacklist as any store must keep them.
struct ConsentsContractTests {
    let now = Fixture.now
    static let shared = "+8613812345678"

    /// Rules that opt out whoever writes, confirming by SMS: the store decides
    /// who that is and whether anything changed.
    static let optOutRules = ScriptedRules(inbound: { inbound, facts in
        let confirmation = NewMessage(
            idempotencyKey: "confirm:\(inbound.providerMessageId ?? "-")", purpose: .automation("opt_out_confirmation"),
            channel: .sms, lane: .transactional, category: .service, address: inbound.from,
            payload: #"{"text":"【鸿福楼】您已成功退订"}"#)
        return InboundDecision(
            kind: .optout,
            actions: [
                .optOut(
                    OptOut(
                        address: inbound.from, memberId: facts.sender?.memberId, channels: [.sms, .voice],
                        categories: [.marketing, .survey], source: "sms_reply", confirmation: confirmation))
            ])
    })

    func reply(_ from: String, _ id: String, at: Date) -> InboundRecord {
        InboundRecord(
            channel: .sms, kind: .reply, from: from, to: nil, body: "退订", gateway: "k", providerMessageId: id, receivedAt: at)
    }

    /// What sending reads for a marketing SMS to `address` (as `member`, or to no member).
    func consentAtSend(_ store: any Store, member: String?, address: String, category: ConsentCategory = .marketing)
        async throws -> Bool?
    {
        let key = "probe-\(UUID().uuidString)"
        _ = try await store.enqueue(
            [Fixture.message(key, lane: .marketing, category: category, member: member, address: address)], now: now)
        let leased = try await store.leaseDue(lane: .marketing, limit: 100, owner: "w", leaseUntil: now + 30, now: now)
        let id = try #require(leased.first { $0.idempotencyKey == key }?.id)
        let granted = try await store.sendContexts(for: leased, recentSince: [:])[id]?.consentGranted
        _ = try await store.record(leased.map { MessageEventRequest(messageId: $0.id, event: .released) }, now: now)
        return granted
    }

    func grant(
        _ store: any Store, _ member: String, _ category: ConsentCategory, at: Date,
        expect expected: ConsentChangeResult = .changed
    ) async throws {
        let change = ConsentChange(
            subject: .member(member), channel: .sms, category: category, granted: true, source: "signup", at: at)
        #expect(try await store.recordConsent(change, now: at) == expected)
    }

    @Test(arguments: StoreKind.allCases)
    func anOptOutRevokesEveryMemberWithTheNumberAndIsConfirmedOnce(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(
                .members([
                    Fixture.member("M1"), Fixture.member("M2"), Fixture.member("M3", phone: "+8613900000003"),
                ]))
            for member in ["M1", "M2", "M3"] {
                for category in [ConsentCategory.marketing, .survey] { try await grant(store, member, category, at: now - 86_400) }
            }
            _ = try await store.recordInbound([reply(Self.shared, "mo-1", at: now)], rules: Self.optOutRules)
            _ = try await store.recordInbound([reply(Self.shared, "mo-2", at: now + 60)], rules: Self.optOutRules)

            for member in ["M1", "M2"] {
                let state = try await store.consentState(.member(member))
                for channel in [Channel.sms, .voice] {
                    for category in [ConsentCategory.marketing, .survey] {
                        #expect(
                            state.contains { $0.channel == channel && $0.category == category && !$0.granted },
                            "\(member) \(channel) \(category): \(state)")
                    }
                }
                #expect(try await consentAtSend(store, member: member, address: Self.shared) == false)
                #expect(try await consentAtSend(store, member: member, address: Self.shared, category: .survey) == false)
            }
            #expect(try await consentAtSend(store, member: "M3", address: "+8613900000003") == true, "another number")

            // Each 退订 is evidence (4 entries each); only the first changed anything, so only it was confirmed.
            let history = try await store.consentHistory(.member("M1"), limit: 50)
            let revocations = history.filter { !$0.granted }
            #expect(revocations.count == 8)
            #expect(revocations.allSatisfy { $0.source == "sms_reply" && ($0.evidence ?? "").hasPrefix("inbound #") })
            let confirmations = try await store.leaseDue(
                lane: .transactional, limit: 100, owner: "w", leaseUntil: now + 30, now: now + 120
            ).filter { $0.idempotencyKey.hasPrefix("confirm:") }
            #expect(confirmations.map(\.idempotencyKey) == ["confirm:mo-1"])
        }
    }

    /// Nobody has the number: the opt-out is kept for the number itself, sending
    /// checks it, and a member who later has that number is held to it unless
    /// they grant again afterwards.
    @Test(arguments: StoreKind.allCases)
    func anOptOutFromANumberNoMemberHasIsKeptForTheNumber(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let stranger = "+8613700000001"
            let address = ConsentChange(
                subject: .address(stranger), channel: .sms, category: .marketing, granted: true, source: "enquiry",
                at: now - 86_400)
            #expect(try await store.recordConsent(address, now: now) == .changed)
            #expect(try await consentAtSend(store, member: nil, address: stranger) == true, "a prospect who agreed")

            _ = try await store.recordInbound([reply(stranger, "mo-9", at: now)], rules: Self.optOutRules)
            let state = try await store.consentState(.address(stranger))
            #expect(state.contains { $0.channel == .sms && $0.category == .marketing && !$0.granted })
            #expect(state.contains { $0.channel == .voice && $0.category == .survey && !$0.granted })
            #expect(try await consentAtSend(store, member: nil, address: stranger) == false)

            // A member with that number whose signup grant is older than the opt-out stays opted out.
            try await store.load(.members([Fixture.member("M9", phone: stranger)]))
            try await grant(store, "M9", .marketing, at: now - 3600)
            #expect(try await consentAtSend(store, member: "M9", address: stranger) == false)
            try await grant(store, "M9", .marketing, at: now + 3600, expect: .unchanged)
            #expect(try await consentAtSend(store, member: "M9", address: stranger) == true, "granted again later")
        }
    }

    /// The state is the latest entry by the time it was given, whatever the
    /// order they were recorded in; every entry stays in the ledger.
    @Test(arguments: StoreKind.allCases)
    func theStateIsTheLatestEntryOfTheLedger(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            func change(_ granted: Bool, _ at: Date, key: String? = nil) -> ConsentChange {
                ConsentChange(
                    subject: .member("M1"), channel: .email, category: .marketing, granted: granted, source: "agent",
                    evidence: "call", actor: "li.na", at: at, dedupeKey: key)
            }
            #expect(try await store.recordConsent(change(true, now), now: now) == .changed)
            #expect(try await store.recordConsent(change(false, now + 60), now: now) == .changed)
            #expect(try await store.recordConsent(change(true, now + 30), now: now) == .unchanged, "older than the revocation")
            #expect(try await store.recordConsent(change(false, now + 90), now: now) == .unchanged, "already revoked")
            #expect(try await store.recordConsent(change(true, now + 75), now: now) == .unchanged, "older than the latest")
            #expect(try await store.recordConsent(change(true, now + 120, key: "k1"), now: now) == .changed)
            #expect(try await store.recordConsent(change(true, now + 120, key: "k1"), now: now) == .duplicate)
            let unknown = ConsentChange(
                subject: .member("NOPE"), channel: .sms, category: .marketing, granted: true, source: "x", at: now)
            #expect(try await store.recordConsent(unknown, now: now) == .unknownMember)

            let state = try await store.consentState(.member("M1"))
            #expect(state == [ConsentState(channel: .email, category: .marketing, granted: true, source: "agent", since: now + 120)])
            let history = try await store.consentHistory(.member("M1"), limit: 10)
            #expect(history.map(\.granted) == [true, false, true, false, true, true])
            #expect(history.allSatisfy { $0.actor == "li.na" && $0.memberNo == "M1" })
            let timeline = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 20)?.timeline)
            #expect(timeline.filter { $0.kind == "consent" }.count == 6)
            #expect(timeline.contains { $0.kind == "consent" && $0.text == "email marketing revoked via agent (call) by li.na" })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theBlacklistStopsEverythingAndKeepsItsHistory(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let entry = BlacklistEntry(address: Self.shared, reason: "complained to 12321", addedBy: "li.na", addedAt: now)
            #expect(try await store.addToBlacklist(entry))
            #expect(!(try await store.addToBlacklist(entry)), "already there")
            #expect(try await store.blacklist(limit: 10, offset: 0) == [entry])
            _ = try await store.enqueue([Fixture.message("service", address: Self.shared)], now: now)
            let leased = try await store.leaseDue(lane: .transactional, limit: 10, owner: "w", leaseUntil: now + 30, now: now)
            let context = try await store.sendContexts(for: leased, recentSince: [:])
            #expect(context.values.allSatisfy(\.blacklisted) && context.count == 1)
            #expect(try await store.removeFromBlacklist(address: Self.shared, reason: "restored", by: "wang", at: now + 60))
            #expect(!(try await store.removeFromBlacklist(address: Self.shared, reason: "again", by: "wang", at: now + 90)))
            #expect(try await store.blacklist(limit: 10, offset: 0).isEmpty)
        }
    }
}
