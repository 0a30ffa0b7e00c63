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
    /// A store with these members, a real Kannel whose MO goes to the
    /// worker's webhook, and the worker's web application running; `body`
    /// gets a dispatcher that sends through Kannel. `body` must wait for the
    /// receipts of what it sent: stopped while Kannel's DLR requests were
    /// still in flight, NIO traps ("Deinited NIOAsyncWriter without calling finish()").
    func withKannelWorker(
        _ members: String, _ body: (SQLiteStore, KannelPeer, Dispatcher) async throws -> Void
    ) async throws {
        try await withMemberStore(members) { store in
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
                try await body(store, kannel, Dispatcher(store: store, registry: registry, settings: DispatchSettings(owner: "test")))
                group.cancelAll()
            }
        }
    }

    /// Polls `check` every 100 ms for up to 10 s.
    func eventually(_ check: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await check()
    }

    @Test func smsIsDeliveredAndAnOptOutIsStored() async throws {
        try await withKannelWorker("member_no,name,phone\nA1,王伟,13812345678\n") { store, kannel, sender in
            let text = "【鸿福楼】王先生，您预订的12月24日18:30四位包间已确认。回T退订"
            let enqueued = try await store.enqueue(
                [NewMessage(
                    idempotencyKey: "reservation:R1:confirm:sms", purpose: .single, channel: .sms, lane: .transactional, category: .service, memberNo: "A1",
                    address: "+8613812345678", payload: MessageContent(text: text).json())],
                now: Date())
            guard case .enqueued(let id) = enqueued[0] else { throw PeerError(message: "not enqueued") }
            #expect(try await sender.sendDue(lanes: [.transactional]) == 1)

            #expect(try await eventually { try await store.messageState(id: id)?.status == .delivered })
            let state = try await store.messageState(id: id)
            #expect(state?.status == .delivered, "message is \(String(describing: state))")
            #expect(state?.gateway == "sms-cn")
            #expect(kannel.receivedTexts().contains { $0.text == text })

            let consentsBefore = try await store.memberProfile(memberNo: "A1", timelineLimit: 50)
            #expect(consentsBefore?.consents.isEmpty == true)
            try kannel.injectMO(from: "8613812345678", to: "10690000", text: "退订")
            #expect(try await eventually { try await store.memberProfile(memberNo: "A1", timelineLimit: 50)?.consents.isEmpty == false })
            let profile = try await store.memberProfile(memberNo: "A1", timelineLimit: 50)
            let revoked = profile?.consents.first { $0.channel == "sms" && $0.category == "marketing" }
            #expect(revoked?.granted == false)
            #expect(revoked?.source == "sms_reply")
            #expect(profile?.timeline.contains { $0.kind == "inbound" && $0.text.contains("退订") } == true)
            #expect(profile?.timeline.contains { $0.kind == "message" && $0.text.contains("delivered") } == true)
        }
    }

    /// The ways people really write 退订, through Kannel's MO path: with
    /// punctuation, full width, inside a short sentence, from a number two
    /// members share, from a number no member has; and a bare N, which is an
    /// answer. Each opt-out is confirmed once, through Kannel.
    @Test func optOutsAsPeopleWriteThemHold() async throws {
        let members = "member_no,name,phone\nA1,王伟,13812345678\nA2,王太太,13812345678\nA3,李娜,13900000003\nA4,张敏,13900000004\n"
        try await withKannelWorker(members) { store, kannel, sender in
            let signup = Date().addingTimeInterval(-86_400)
            for member in ["A1", "A2", "A3", "A4"] {
                for category in [ConsentCategory.marketing, .survey] {
                    _ = try await store.recordConsent(
                        ConsentChange(subject: .member(member), channel: .sms, category: category, granted: true, source: "signup", at: signup),
                        now: signup)
                }
            }
            let replies = [
                ("8613812345678", "退订！"), ("8613900000003", "ＴＤ"), ("8613900000004", "N"), ("8613700000005", "退订，谢谢"),
                ("8613812345678", "退订"),
            ]
            for (from, text) in replies { try kannel.injectMO(from: from, to: "10690000", text: text) }
            #expect(try await eventually { try await store.statistics().tables["inbound_messages"] == replies.count })

            func granted(_ subject: ConsentChange.Subject, _ category: ConsentCategory) async throws -> Bool? {
                try await store.consentState(subject).first { $0.channel == .sms && $0.category == category }?.granted
            }
            for member in ["A1", "A2", "A3"] {
                #expect(try await granted(.member(member), .marketing) == false, "\(member) marketing")
                #expect(try await granted(.member(member), .survey) == false, "\(member) survey")
            }
            #expect(try await granted(.member("A4"), .marketing) == true, "N is not an opt-out")
            #expect(try await granted(.address("+8613700000005"), .marketing) == false, "kept for the number")
            let a4 = try await store.memberProfile(memberNo: "A4", timelineLimit: 10)
            #expect(a4?.timeline.contains { $0.kind == "inbound" && $0.text == "sms reply: N" } == true)

            // Three numbers opted out: three confirmations (the repeated 退订 got none), sent through Kannel.
            #expect(try await sender.sendDue(lanes: [.transactional]) == 3)
            #expect(try await eventually { kannel.receivedTexts().filter { $0.text.contains("您已成功退订") }.count == 3 })
            let confirmed = Set(kannel.receivedTexts().filter { $0.text.contains("您已成功退订") }.map(\.to))
            #expect(confirmed.count == 3 && confirmed.allSatisfy { ["8613812345678", "8613900000003", "8613700000005"].contains($0.filter(\.isNumber)) }, "\(confirmed)")
            // Their receipts come back too; the server stops only once they have (see withKannelWorker).
            #expect(try await eventually { try await store.statistics().messagesByStatus["delivered"] == 3 })
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
