import Channels
import CoreModel
import Foundation
import Hummingbird
import Logging
import Scheduler
import TestSupport
import Testing

@testable import worker

/// The whole SMS path against a real Kannel: outbox row → sending loop →
/// Kannel → fake SMSC, DLR → webhook → receipt applier → message delivered;
/// an MO "退订" → webhook → inbound_messages and marketing consent revoked.
@Suite(.serialized, .enabled(if: FileManager.default.fileExists(atPath: "/usr/sbin/bearerbox"), "needs kannel (make test installs it)"))
struct KannelEndToEndTests {
    @Test func smsIsDeliveredAndAnOptOutIsStored() async throws {
        try await withMemberStore("member_no,name,phone\nA1,王伟,13812345678\n") { store in
            let port = LocalPorts.block(1)
            let secret = "e2e-secret-0123456789abcdef0123456789abcdef"
            let signer = WebhookSigner(secret: secret)
            let mo = "http://127.0.0.1:\(port)/webhooks/kannel/sms-cn/mo?token=\(signer.inboundToken(gateway: "sms-cn"))&from=%p&to=%P&text=%b"
            let kannel = try KannelPeer.start(moURL: mo)
            defer { kannel.stop() }
            let yaml = """
                server:
                  bind: 127.0.0.1:\(port)
                  webhook_secret: ${HOOK}
                gateways:
                  - name: sms-cn
                    kind: kannel
                    channels: [sms]
                    url: \(kannel.sendsmsURL)
                    credentials: {username: "${KU}", password: "${KP}"}
                    options: {from: "10690000", smsc: fake}
                """
            let config = try ConfigLoader.parse(yaml, file: "e2e.yaml", environment: ["HOOK": secret, "KU": "tidings", "KP": KannelPeer.password]).config
            let setup = try WebServer.setup(config: config, store: store)
            let transport = CurlTransport()
            defer { transport.shutdown() }
            let registry = try GatewayRegistry.build(config: config, transport: transport, signer: setup.signer)
            let app = WebServer.application(setup, logger: Logger(label: "test"))

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                // Kannel does not retry a DLR it could not deliver: wait until the webhook server listens.
                #expect(await transport.waitUntilAnswering("http://127.0.0.1:\(port)/health"))
                let text = "【鸿福楼】王先生，您预订的12月24日18:30四位包间已确认。回T退订"
                let enqueued = try await store.enqueue(
                    [NewMessage(
                        idempotencyKey: "reservation:R1:confirm:sms", purpose: .single, channel: .sms, lane: .transactional, category: .service, memberNo: "A1",
                        address: "+8613812345678", payload: MessageContent(text: text).json())],
                    now: Date())
                guard case .enqueued(let id) = enqueued[0] else { throw PeerError(message: "not enqueued") }
                let sender = Dispatcher(store: store, registry: registry, settings: DispatchSettings(owner: "test"))
                #expect(try await sender.sendDue(lanes: [.transactional]) == 1)

                var state = try await store.messageState(id: id)
                for _ in 0..<100 where state?.status != .delivered {
                    try await Task.sleep(for: .milliseconds(100))
                    state = try await store.messageState(id: id)
                }
                #expect(state?.status == .delivered, "message is \(String(describing: state))")
                #expect(state?.gateway == "sms-cn")
                #expect(kannel.receivedTexts().contains { $0.text == text })

                let consentsBefore = try await store.memberProfile(memberNo: "A1", timelineLimit: 50)
                #expect(consentsBefore?.consents.isEmpty == true)
                try kannel.injectMO(from: "8613812345678", to: "10690000", text: "退订")
                var profile = try await store.memberProfile(memberNo: "A1", timelineLimit: 50)
                for _ in 0..<100 where profile?.consents.isEmpty != false {
                    try await Task.sleep(for: .milliseconds(100))
                    profile = try await store.memberProfile(memberNo: "A1", timelineLimit: 50)
                }
                let revoked = profile?.consents.first { $0.channel == "sms" && $0.category == "marketing" }
                #expect(revoked?.granted == false)
                #expect(revoked?.source == "sms_reply")
                #expect(profile?.timeline.contains { $0.kind == "inbound" && $0.text.contains("退订") } == true)
                #expect(profile?.timeline.contains { $0.kind == "message" && $0.text.contains("delivered") } == true)
                group.cancelAll()
            }
        }
    }

    @Test func forgedDLRChangesNothing() async throws {
        try await withMemberStore { store in
            _ = try await store.enqueue(
                [NewMessage(idempotencyKey: "k", purpose: .single, channel: .sms, lane: .transactional, category: .service, address: "+8613800000000", payload: "{}")],
                now: Date())
            _ = try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: Date().addingTimeInterval(60), now: Date())
            let port = LocalPorts.block(1)
            let config = try ConfigLoader.parse(
                """
                gateways:
                  - {name: sms-cn, kind: kannel, channels: [sms], url: "http://127.0.0.1:9/cgi-bin/sendsms"}
                server:
                  bind: 127.0.0.1:\(port)
                  webhook_secret: ${HOOK}
                """, file: "f.yaml", environment: ["HOOK": "real-secret-0123456789abcdef0123456789abcdef"]
            ).config
            let setup = try WebServer.setup(config: config, store: store)
            let app = WebServer.application(setup, logger: Logger(label: "test"))
            let forger = WebhookSigner(secret: "guessed-secret")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                let transport = CurlTransport()
                defer { transport.shutdown() }
                let base = "http://127.0.0.1:\(port)/webhooks/kannel/sms-cn/dlr"
                #expect(await transport.waitUntilAnswering("http://127.0.0.1:\(port)/health"))
                let forged = try await transport.send(OutboundRequest(url: "\(base)?id=1&token=\(forger.token(gateway: "sms-cn", messageId: 1))&type=1"))
                #expect(forged.status == 403)
                let unsigned = try await transport.send(OutboundRequest(url: "\(base)?id=1&type=1"))
                #expect(unsigned.status == 401)
                let malformed = try await transport.send(OutboundRequest(url: "\(base)?id=abc&token=x&type=1"))
                #expect(malformed.status == 400)
                let huge = try await transport.send(OutboundRequest(url: "\(base)?id=1&type=1&pad=\(String(repeating: "x", count: 20_000))"))
                #expect(huge.status == 413)
                // Another adapter's route under this gateway's name: refused whatever the token.
                let token = WebhookSigner(secret: "real-secret-0123456789abcdef0123456789abcdef")
                    .token(gateway: "sms-cn", messageId: 1)
                let elsewhere = try await transport.send(OutboundRequest(
                    method: .post, url: "http://127.0.0.1:\(port)/webhooks/simulator/sms-cn/status?id=1&token=\(token)",
                    body: Array(#"{"status":"failed"}"#.utf8)))
                #expect(elsewhere.status == 403)
                let state = try await store.messageState(id: 1)
                #expect(state?.status == .sending, "no forged receipt was applied")
                let events = try await store.statistics().tables["message_events"]
                #expect(events == 1)  // enqueued (leasing writes no event row)
                group.cancelAll()
            }
        }
    }
}
