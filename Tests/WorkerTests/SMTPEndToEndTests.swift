import Channels
import CoreModel
import Foundation
import Scheduler
import TestSupport
import Testing

@testable import worker

/// Email from the outbox through a real SMTP server (aiosmtpd): a 550
/// recipient fails the message and flags the member's email; a 554 fails it
/// without blaming the address; a 451 retries on the mail schedule, minutes
/// then hours apart. Reasons are the server's words, addresses masked.
@Suite(.serialized, .enabled(if: SMTPPeer.isAvailable, "needs Debian's python3-aiosmtpd (make test installs it)"))
struct SMTPEndToEndTests {
    static func config(_ peer: SMTPPeer, dispatch: String = "") throws -> TidingsConfig {
        try ConfigLoader.parse(
            """
            gateways:
              - name: mail
                kind: smtp
                channels: [email]
                url: \(peer.url)
                options: {from: news@hongfulou.example, from_name: 鸿福楼}
            \(dispatch)
            """, file: "s.yaml", environment: [:]
        ).config
    }

    static func enqueue(_ store: SQLiteStore, member: String, address: String, now: Date) async throws -> Int64 {
        let result = try await store.enqueue(
            [NewMessage(
                idempotencyKey: "order:\(member):confirm:email", purpose: .single, channel: .email, lane: .transactional,
                category: .service, memberNo: member, address: address,
                payload: MessageContent(text: "您的订单已确认", subject: "订单确认").json())],
            now: now)
        guard case .enqueued(let id) = result[0] else { throw PeerError(message: "not enqueued: \(result)") }
        return id
    }

    @Test func bouncesFlagTheMemberRejectionsFailAndBusyServersRetryOnTheMailSchedule() async throws {
        let members = """
            member_no,name,phone,email
            E1,李娜,13900000001,bounce-550@example.com
            E2,张敏,13900000002,busy-451@example.com
            E3,陈静,13900000003,chen@example.com
            E4,王芳,13900000004,reject-554@example.com

            """
        try await withMemberStore(members) { store in
            let peer = try SMTPPeer.start()
            defer { peer.stop() }
            let config = try Self.config(peer)
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let registry = try GatewayRegistry.build(config: config, transport: transport, signer: WebhookSigner(secret: "s"))
            let clock = FixedClock(Date())
            var ids: [String: Int64] = [:]
            for (member, address) in [
                ("E1", "bounce-550@example.com"), ("E2", "busy-451@example.com"), ("E3", "chen@example.com"),
                ("E4", "reject-554@example.com"),
            ] {
                ids[member] = try await Self.enqueue(store, member: member, address: address, now: clock.now())
            }
            var settings = DispatchSettings(owner: "t")
            settings.channelRetry = config.dispatch.retry
            let sender = Dispatcher(store: store, registry: registry, settings: settings, clock: clock)
            #expect(try await sender.sendDue(lanes: [.transactional]) == 4)

            let bounced = try await store.messageState(id: ids["E1"]!)
            #expect(bounced?.status == .failed)
            #expect(bounced?.reason == "invalid address: SMTP 550: 5.1.1 <b***@example.com>: mailbox unavailable")
            let li = try await store.memberProfile(memberNo: "E1", timelineLimit: 5)
            #expect(li?.member.email.status == .bounced)
            #expect(li?.member.email.reason?.contains("550") == true)

            let rejected = try await store.messageState(id: ids["E4"]!)
            #expect(rejected?.status == .failed)
            #expect(rejected?.reason == "permanent: SMTP 554: 5.7.1 <r***@example.com>: rejected by policy")
            #expect(try await store.memberProfile(memberNo: "E4", timelineLimit: 5)?.member.email.status == .valid,
                "a policy rejection says nothing about the address")

            // 451: retried in 5 minutes (plus at most 10 %), not in seconds.
            let sentAt = clock.now()
            let busy = try #require(try await store.messageState(id: ids["E2"]!))
            #expect(busy.status == .retrying)
            #expect(busy.reason == "transient: SMTP 451: 4.3.0 <b***@example.com>: mailbox busy, try again later")
            let firstRetry = try #require(busy.nextAttemptAt).timeIntervalSince(sentAt)
            #expect((300...330.001).contains(firstRetry), "\(firstRetry) s")
            #expect(try await store.memberProfile(memberNo: "E2", timelineLimit: 5)?.member.email.status == .valid)

            // Not due before then; when due, refused again: the next wait is 15 minutes.
            clock.advance(by: 299)
            #expect(try await sender.sendDue(lanes: [.transactional]) == 0)
            clock.advance(by: firstRetry - 299 + 1)
            #expect(try await sender.sendDue(lanes: [.transactional]) == 1)
            let again = try #require(try await store.messageState(id: ids["E2"]!))
            #expect(again.status == .retrying)
            #expect(again.attempts == 2)
            let secondRetry = try #require(again.nextAttemptAt).timeIntervalSince(clock.now())
            #expect((900...990.001).contains(secondRetry), "\(secondRetry) s")

            let accepted = try #require(try await store.messageState(id: ids["E3"]!))
            #expect(accepted.status == .submitted)
            #expect(peer.messages().count == 1)
            let messageId = try #require(accepted.providerMessageId)
            #expect(SMTPGatewayHeader.value("Message-ID", in: peer.messages()[0]) == messageId)
            #expect(messageId.wholeMatch(of: /<tidings\.\d+\.[0-9a-f]{32}@hongfulou\.example>/) != nil, "\(messageId)")
        }
    }

    /// Two databases both have a message 1 with the same key: their Message-IDs still differ.
    @Test func messageIdsDoNotRepeatAcrossDatabases() async throws {
        let peer = try SMTPPeer.start()
        defer { peer.stop() }
        let config = try Self.config(peer)
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let registry = try GatewayRegistry.build(
            config: config, transport: transport, signer: WebhookSigner(secret: "s"))
        var messageIds: [String] = []
        for _ in 0..<2 {
            let state = try await withMemberStore("member_no,name,email\nE1,李娜,li@example.com\n") { store in
                let id = try await Self.enqueue(store, member: "E1", address: "li@example.com", now: Date())
                _ = try await Dispatcher(store: store, registry: registry, settings: DispatchSettings(owner: "t"))
                    .sendDue(lanes: [.transactional])
                return try await store.messageState(id: id)
            }
            #expect(state?.id == 1)
            messageIds.append(try #require(state?.providerMessageId))
        }
        #expect(messageIds[0] != messageIds[1])
        #expect(peer.messages().compactMap { SMTPGatewayHeader.value("Message-ID", in: $0) } == messageIds)
    }
}

@Suite(.serialized, .enabled(if: SMTPPeer.isAvailable, "needs Debian's python3-aiosmtpd (make test installs it)"))
struct OneClickUnsubscribeTests {
    @Test func oneClickPostRevokesEmailMarketingAndAGetDoesNot() async throws {
        try await withMemberStore("member_no,name,email\nU1,周芳,zhou@example.com\n") { store in
            let peer = try SMTPPeer.start()
            defer { peer.stop() }
            let port = LocalPorts.block(1)
            let config = try ConfigLoader.parse(
                """
                server: {bind: "127.0.0.1:\(port)", webhook_secret: "${HOOK}"}
                gateways:
                  - {name: mail, kind: smtp, channels: [email], url: "\(peer.url)", options: {from: news@hongfulou.example}}
                """, file: "u.yaml", environment: ["HOOK": "unsub-secret-0123456789abcdef0123456789abcdef"]
            ).config
            let setup = try WebServer.setup(config: config, store: store)
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let registry = try GatewayRegistry.build(config: config, transport: transport, signer: setup.signer)
            let app = WebServer.application(setup, logger: .init(label: "t"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                _ = try await store.enqueue(
                    [NewMessage(
                        idempotencyKey: "campaign:winter:U1:email", purpose: .single, channel: .email, lane: .marketing, category: .marketing, memberNo: "U1",
                        address: "zhou@example.com", payload: MessageContent(text: "冬至家宴八折", subject: "冬至").json())],
                    now: Date())
                try await store.recordConsent(memberNo: "U1", channel: .email, category: .marketing, granted: true, source: "web", at: Date())
                // Quiet hours off: this test is about the link, not about the hour it runs at (21:00-09:00 in Shanghai).
                var settings = DispatchSettings(owner: "t")
                settings.policy = SendPolicy(rules: SendPolicyRules())
                _ = try await Dispatcher(store: store, registry: registry, settings: settings).sendDue(lanes: [.marketing])
                let mail = try #require(peer.messages().first)
                let header = try #require(SMTPGatewayHeader.value("List-Unsubscribe", in: mail))
                let link = try #require(header.split(separator: ",").first?.trimmingCharacters(in: CharacterSet(charactersIn: " <>")))
                #expect(link.hasPrefix("http://127.0.0.1:\(port)/webhooks/email/mail/unsubscribe?id="))

                #expect(await transport.waitUntilAnswering("http://127.0.0.1:\(port)/health"))
                let page = try await transport.send(OutboundRequest(url: link))
                #expect(page.status == 200)
                #expect(page.text.contains("<form method=\"post\""))
                let granted = try await store.memberProfile(memberNo: "U1", timelineLimit: 5)?.consents.map { "\($0.channel) \($0.category) \($0.granted)" }
                #expect(granted == ["email marketing true"], "a GET changes nothing")

                let forged = try await transport.send(OutboundRequest(
                    method: .post, url: link.replacingOccurrences(of: "token=", with: "token=0"), body: Array("List-Unsubscribe=One-Click".utf8)))
                #expect(forged.status == 403)
                #expect(try await store.memberProfile(memberNo: "U1", timelineLimit: 5)?.consents.map(\.granted) == [true], "a forged POST changes nothing")

                let oneClick = try await transport.send(OutboundRequest(
                    method: .post, url: link, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array("List-Unsubscribe=One-Click".utf8)))
                #expect(oneClick.status == 200)
                let consent = try await store.memberProfile(memberNo: "U1", timelineLimit: 5)?.consents.first
                #expect(consent?.channel == "email")
                #expect(consent?.category == "marketing")
                #expect(consent?.granted == false)
                #expect(consent?.source == "unsubscribe_link")
                group.cancelAll()
            }
        }
    }
}

/// Reads one unfolded header of a raw message.
enum SMTPGatewayHeader {
    static func value(_ name: String, in message: String) -> String? {
        let head = message.components(separatedBy: "\r\n\r\n").first ?? message
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ")
        return unfolded.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }
}
