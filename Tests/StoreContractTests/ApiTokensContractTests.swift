import CoreModel
import Foundation
import Testing

/// The admin API's tokens and message search, as any store must keep them.
struct ApiTokensContractTests {
    let now = Fixture.now
    static let hash = String(repeating: "ab", count: 32)
    static let other = String(repeating: "cd", count: 32)

    @Test(arguments: StoreKind.allCases)
    func aTokenIsFoundByItsHashUntilRevokedAndItsNameIsFreeAgainAfter(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let created = try await store.createApiToken(
                name: "crm", tokenHash: Self.hash, scopes: [.write, .reveal], createdBy: "cli:ops", now: now)
            #expect(created.scopes == [.write, .reveal] && created.allows(.read) && created.revokedAt == nil)
            #expect(try await store.apiToken(hash: Self.hash) == created)
            #expect(try await store.apiToken(hash: Self.other) == nil)
            await #expect(throws: StoreError.self) {
                try await store.createApiToken(
                    name: "crm", tokenHash: Self.other, scopes: [.read], createdBy: "x", now: now)
            }
            try await store.markApiTokenUsed(id: created.id, at: now + 5)
            #expect(try await store.apiToken(hash: Self.hash)?.lastUsedAt == now + 5)

            guard case .revoked(let revoked) = try await store.revokeApiToken(id: created.id, now: now + 10) else {
                Issue.record("not revoked")
                return
            }
            #expect(revoked.revokedAt == now + 10)
            #expect(try await store.apiToken(hash: Self.hash)?.isRevoked == true, "still found, as revoked")
            guard case .alreadyRevoked = try await store.revokeApiToken(id: created.id, now: now + 20) else {
                Issue.record("revoked twice")
                return
            }
            #expect(try await store.revokeApiToken(id: 999, now: now) == .notFound)
            let again = try await store.createApiToken(
                name: "crm", tokenHash: Self.other, scopes: [.read], createdBy: "cli:ops", now: now + 30)
            #expect(try await store.apiTokens().map(\.id) == [created.id, again.id])
            await #expect(throws: (any Error).self, "a hash is stored once") {
                try await store.createApiToken(
                    name: "dup", tokenHash: Self.other, scopes: [.read], createdBy: "x", now: now)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func messagesAreFoundByMemberNumberAndCampaignNewestFirst(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            let phone = "+8613812345678"
            try await store.load(
                .members([Fixture.member("M1", phone: phone), Fixture.member("M2", phone: "+8613900000000")]))
            let campaign = try await harness.insertCampaign(name: "spring")
            var messages = (1...5).map { Fixture.message("m1-\($0)", member: "M1", address: phone) }
            messages.append(Fixture.message("m1-email", member: "M1", address: "li@example.com", channel: .email))
            messages.append(Fixture.message("walk-in", address: phone))
            messages.append(Fixture.message("other-number", address: "+8613700000000"))
            messages.append(
                NewMessage(
                    idempotencyKey: "campaign", purpose: .campaign, channel: .sms, lane: .marketing,
                    category: .marketing,
                    memberNo: "M2", address: "+8613900000000", payload: "{}", campaignId: campaign, variant: "A"))
            _ = try await store.enqueue(messages, now: now)

            let member = try await store.messages(MessageQuery(.member("M1")))
            #expect(member.count == 6 && member.allSatisfy { $0.memberNo == "M1" })
            #expect(member.map(\.id) == member.map(\.id).sorted(by: >), "newest first")
            let page = try await store.messages(MessageQuery(.member("M1"), limit: 4))
            let rest = try await store.messages(MessageQuery(.member("M1"), limit: 4, beforeId: page.last?.id))
            #expect((page + rest).map(\.id) == member.map(\.id))

            // The number's own messages that belong to no member, and every message of its member.
            let byPhone = try await store.messages(MessageQuery(.phone(phone)))
            #expect(byPhone.count == 7)
            #expect(Set(byPhone.map(\.address)) == [phone, "li@example.com"])
            let second = try await store.messages(MessageQuery(.phone(phone), limit: 3, beforeId: byPhone[2].id))
            #expect(second.map(\.id) == Array(byPhone[3...5]).map(\.id))

            let inCampaign = try await store.messages(MessageQuery(.campaign("spring")))
            #expect(inCampaign.count == 1)
            let found = try #require(inCampaign.first)
            #expect(
                found.campaign == "spring" && found.variant == "A" && found.purpose == "campaign"
                    && found.status == .queued)
            #expect(found.memberNo == "M2" && found.lane == .marketing && found.category == .marketing)
            #expect(try await store.messages(MessageQuery(.campaign("nope"))).isEmpty)
            #expect(try await store.messages(MessageQuery(.member("NOPE"))).isEmpty)
        }
    }
}
