import CoreModel
import Foundation
import Testing

/// The receipt inbox as any store must keep it: appended durably without a
/// lookup, applied oldest first, each pass applied and removed as one.
struct ReceiptInboxContractTests {
    let now = Fixture.now

    /// Messages sent through "kannel" to member M1, accepted as p-1, p-2, …: (store, ids).
    func withSubmitted(
        _ kind: StoreKind, count: Int, _ body: (any Store, [Int64]) async throws -> Void
    ) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            _ = try await store.enqueue((1...count).map { Fixture.message("m\($0)", member: "M1") }, now: now)
            let ids = try await store.leaseDue(
                lane: .transactional, limit: count, owner: "w", leaseUntil: now + 30, now: now
            ).map(\.id).sorted()
            _ = try await store.recordSendResults(
                ids.enumerated().map { index, id in
                    SendResult(messageId: id, gateway: "kannel", event: .accepted(providerMessageId: "p-\(index + 1)"))
                }, owner: "w", now: now)
            try await body(store, ids)
        }
    }

    func receipt(_ id: Int64?, _ outcome: ReceiptOutcome, detail: String? = nil) -> ReceiptRecord {
        ReceiptRecord(messageId: id, gateway: "kannel", outcome: outcome, detail: detail, receivedAt: now + 5)
    }

    /// Later receipts for a message land on what earlier ones did: a failure
    /// after the delivery is refused, the other way round it would settle it as failed.
    @Test(arguments: StoreKind.allCases)
    func receiptsAreAppliedInArrivalOrderAndRemovedOnceApplied(_ kind: StoreKind) async throws {
        try await withSubmitted(kind, count: 2) { store, ids in
            try await store.appendReceipts([receipt(ids[0], .intermediate, detail: "ack"), receipt(ids[1], .delivered)])
            try await store.appendReceipts([receipt(ids[0], .delivered)])
            try await store.appendReceipts([receipt(ids[0], .failed)])
            #expect(try await store.receiptInboxDepth() == 4)

            let first = try await store.applyReceiptInbox(limit: 3, rules: ScriptedRules())
            #expect(
                first.results == [
                    .applied(from: .submitted, to: .submitted), .applied(from: .submitted, to: .delivered),
                    .applied(from: .submitted, to: .delivered),
                ])
            #expect(try await store.receiptInboxDepth() == 1)
            let second = try await store.applyReceiptInbox(limit: 3, rules: ScriptedRules())
            #expect(second.count == 1)
            guard case .refused = second.results.first else { throw ContractFailure.unexpected("\(second)") }
            #expect(try await store.receiptInboxDepth() == 0)
            #expect(try await store.applyReceiptInbox(limit: 3, rules: ScriptedRules()).count == 0)
            #expect(try await store.messageState(id: ids[0])?.status == .delivered)
            #expect(try await store.messageState(id: ids[1])?.status == .delivered)
        }
    }

    /// The inbox keeps all the rules read: the provider's id to match by, the
    /// provider's words and whether the address does not exist.
    @Test(arguments: StoreKind.allCases)
    func anInboxReceiptCarriesWhatTheRulesRead(_ kind: StoreKind) async throws {
        try await withSubmitted(kind, count: 1) { store, ids in
            let rules = ScriptedRules(receipt: { receipt, facts in
                receipt.addressInvalid ? [.flagContact(messageId: facts.messageId, reason: receipt.detail ?? "")] : []
            })
            try await store.appendReceipts([
                ReceiptRecord(
                    messageId: nil, gateway: "kannel", providerMessageId: "p-1", outcome: .failed, detail: "空号",
                    addressInvalid: true, receivedAt: now + 5)
            ])
            let pass = try await store.applyReceiptInbox(limit: 10, rules: rules)
            #expect(pass.results == [.applied(from: .submitted, to: .failed)])
            let member = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 5)?.member)
            #expect(member.phone.status == .bounced && member.phone.reason == "空号")
            #expect(try await store.messageState(id: ids[0])?.status == .failed)
        }
    }

    /// A pass is one transaction: when the second receipt's action fails (it
    /// names a member that does not exist), the first one's delivery is
    /// undone with it and both stay in the inbox for the next pass.
    @Test(arguments: StoreKind.allCases)
    func aPassThatThrowsLeavesTheInboxAndTheMessagesAsTheyWere(_ kind: StoreKind) async throws {
        try await withSubmitted(kind, count: 2) { store, ids in
            try await store.appendReceipts([receipt(ids[0], .delivered), receipt(ids[1], .delivered)])
            let failing = ScriptedRules(receipt: { _, facts in
                facts.messageId == ids[1]
                    ? [
                        .optOut(
                            OptOut(
                                address: "+8613900000000", memberId: 9_999_999, channels: [.sms], categories: [.marketing],
                                source: "test"))
                    ] : []
            })
            await #expect(throws: (any Error).self) {
                try await store.applyReceiptInbox(limit: 10, rules: failing)
            }
            #expect(try await store.receiptInboxDepth() == 2)
            #expect(try await store.messageState(id: ids[0])?.status == .submitted)

            let retried = try await store.applyReceiptInbox(limit: 10, rules: ScriptedRules())
            #expect(retried.results == Array(repeating: .applied(from: .submitted, to: .delivered), count: 2))
            #expect(try await store.receiptInboxDepth() == 0)
        }
    }

    /// A receipt for no message we know (a wrong id, another gateway's
    /// provider id) is counted as not found and removed, not tried forever;
    /// it does not hold up the receipts behind it.
    @Test(arguments: StoreKind.allCases)
    func receiptsForUnknownMessagesAreNotFoundAndRemoved(_ kind: StoreKind) async throws {
        try await withSubmitted(kind, count: 1) { store, ids in
            try await store.appendReceipts([
                receipt(ids[0] + 1000, .delivered),
                ReceiptRecord(
                    messageId: nil, gateway: "other", providerMessageId: "p-1", outcome: .delivered, receivedAt: now),
                receipt(ids[0], .delivered),
            ])
            let pass = try await store.applyReceiptInbox(limit: 10, rules: ScriptedRules())
            #expect(pass.results == [.notFound, .notFound, .applied(from: .submitted, to: .delivered)])
            #expect(try await store.receiptInboxDepth() == 0)
        }
    }
}
