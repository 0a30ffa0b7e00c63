@testable import Channels
import CoreModel
import Foundation
import TestSupport
import Testing

/// The simulator gateway and its webhook on their own; the provider
/// simulator behind them is tested in SimulatorTests.
struct SimulatorGatewayTests {
    let signer = WebhookSigner(secret: "sim")

    func message(_ id: Int64, key: String) -> OutboundMessage {
        OutboundMessage(
            id: id, idempotencyKey: key, channel: .sms, to: "+8613812345678", content: MessageContent(text: "您好"),
            category: .service)
    }

    @Test func refusedConnectionsAreTransient() async throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let gateway = SimulatorGateway(
            name: "sim", channels: [.sms], baseURL: "http://127.0.0.1:\(LocalPorts.block(1))", callbackURL: nil,
            transport: transport, signer: signer)
        do {
            _ = try await gateway.send(message(1, key: "a"))
            Issue.record("a refused connection was accepted")
        } catch {
            guard case .transient = error else { Issue.record("got \(error)"); return }
            #expect(error.allowsFailover, "nothing was sent: the next gateway may take it")
        }
    }

    @Test func aSuccessWithoutAnIdMayHaveBeenTaken() throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let gateway = SimulatorGateway(
            name: "sim", channels: [.sms], baseURL: "http://127.0.0.1:9", callbackURL: nil, transport: transport,
            signer: signer)
        let answer = OutboundResponse(status: 200, body: Array(#"{"status":"queued"}"#.utf8))
        #expect(throws: GatewayError.unanswered(reason: "sim answered 200 without id: it may have taken the message")) {
            try gateway.submission(for: message(1, key: "a"), response: answer)
        }
    }

    @Test func answerCallbacksAreAuthenticatedAndChecked() throws {
        let token = signer.token(gateway: "sim", messageId: 4)
        func parse(_ body: String, token: String? = nil) throws(WebhookRejection) -> SimulatorWebhooks.Callback {
            var query = ["id": "4"]
            query["token"] = token
            return try SimulatorWebhooks.callback(query: query, body: Array(body.utf8), gateway: "sim", signer: signer)
        }
        guard case .inbound(let answer) = try parse(#"{"id":"sim-1","event":"dtmf","text":"2"}"#, token: token) else {
            Issue.record("an answer was not read as inbound")
            return
        }
        #expect(answer.inReplyTo == 4 && answer.body == "2" && answer.providerMessageId == "sim-1:dtmf")
        func refusal(_ body: String, token: String?) -> WebhookRejection.Status? {
            do { _ = try parse(body, token: token) } catch { return error.status }
            return nil
        }
        let dtmf = #"{"id":"sim-1","event":"dtmf","text":"2"}"#
        #expect(refusal(dtmf, token: nil) == .unauthenticated)
        #expect(refusal(dtmf, token: signer.token(gateway: "sim", messageId: 5)) == .forbidden)
        #expect(refusal(#"{"id":"sim-1","event":"dtmf","text":"x"}"#, token: token) == .malformed)
        #expect(refusal(#"{"id":"sim-1","event":"fax","text":"2"}"#, token: token) == .malformed)
        #expect(refusal(#"{"id":"sim-1","status":"delivered","event":"reply","text":"2"}"#, token: token) == .malformed)
    }

    @Test func answersAreReadWithOrWithoutTheFastPath() {
        #expect(SimulatorGateway.answerId(Array(#"{"id":"sim-42"}"#.utf8)) == "sim-42")
        #expect(SimulatorGateway.answerId(Array(#"{ "id" : "sim-43", "x": 1 }"#.utf8)) == "sim-43")
        #expect(SimulatorGateway.answerId(Array(#"{"id":"a\"b"}"#.utf8)) == "a\"b")
        #expect(SimulatorGateway.answerId(Array(#"{"id":""}"#.utf8)) == "")
        #expect(SimulatorGateway.answerId(Array(#"{"error":"x"}"#.utf8)) == nil)
    }
}
