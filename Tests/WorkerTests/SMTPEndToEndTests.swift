import Channels
import CoreModel
import Foundation
import Scheduler
import TestSupport
import Testing

@testable import worker

/// Email from the outbox through a real SMTP server (aiosmtpd): a 550
/// recipient fails the message and flags the member's email; a 451 retries.
@Suite(.serialized, .enabled(if: SMTPPeer.isAvailable, "needs Debian's python3-aiosmtpd (make test installs it)"))
struct SMTPEndToEndTests {
    @Test func bouncesFlagTheMemberAndBusyServersRetry() async throws {
        let members = "member_no,name,phone,email\nE1,李娜,13900000001,bounce-550@example.com\nE2,张敏,13900000002,busy-451@example.com\nE3,陈静,13900000003,chen@example.com\n"
        try await withMemberStore(members) { store in
            let peer = try SMTPPeer.start()
            defer { peer.stop() }
            let config = try ConfigLoader.parse(
                """
                gateways:
                  - name: mail
                    kind: smtp
                    channels: [email]
                    url: \(peer.url)
                    options: {from: news@hongfulou.example, from_name: 鸿福楼}
                """, file: "s.yaml", environment: [:]
            ).config
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let registry = try GatewayRegistry.build(config: config, transport: transport, signer: WebhookSigner(secret: "s"))
            var ids: [String: Int64] = [:]
            for (member, address) in [("E1", "bounce-550@example.com"), ("E2", "busy-451@example.com"), ("E3", "chen@example.com")] {
                let result = try await store.enqueue(
                    [NewMessage(
                        idempotencyKey: "order:\(member):confirm:email", purpose: .single, channel: .email, lane: .transactional, category: .service, memberNo: member,
                        address: address, payload: MessageContent(text: "您的订单已确认", subject: "订单确认").json())],
                    now: Date())
                if case .enqueued(let id) = result[0] { ids[member] = id }
            }
            let sender = Dispatcher(store: store, registry: registry, settings: DispatchSettings(owner: "t"))
            #expect(try await sender.sendDue(lanes: [.transactional]) == 3)

            let bounced = try await store.messageState(id: ids["E1"]!)
            #expect(bounced?.status == .failed)
            #expect(bounced?.reason?.contains("550") == true)
            let li = try await store.memberProfile(memberNo: "E1", timelineLimit: 5)
            #expect(li?.member.email.status == .bounced)
            #expect(li?.member.email.reason?.contains("550") == true)

            let busy = try await store.messageState(id: ids["E2"]!)
            #expect(busy?.status == .retrying)
            #expect(busy?.reason?.contains("451") == true)
            let zhang = try await store.memberProfile(memberNo: "E2", timelineLimit: 5)
            #expect(zhang?.member.email.status == .valid)

            #expect(try await store.messageState(id: ids["E3"]!)?.status == .submitted)
            #expect(peer.messages().count == 1)
        }
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
