import Channels
import CoreModel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Synchronization

/// A provider inside the worker, for the demo, tests and benchmarks: accepts
/// messages over HTTP like an SMS/voice/fax/email API, honours idempotency
/// keys (a repeated key returns the first answer and is not counted again;
/// with `deduplicate` off it plays a provider that ignores them), fails on
/// purpose at configured rates, and reports delivery to the message's
/// callback URL after a delay, answers surveys (keypad digits on a
/// call with a question, a 1–5 reply to a survey SMS) and opts out of
/// marketing SMS at configured rates. `GET /sim/stats` counts unique messages
/// and, per key and per address, what was sent or delivered twice.
public final class ProviderSimulator: Sendable {
    public struct Behaviour: Sendable {
        /// Added to every answer.
        public var latencyMs: Int = 0
        /// Share of requests answered 503.
        public var serverErrorRate: Double = 0
        /// Share answered 429 with Retry-After.
        public var throttleRate: Double = 0
        public var retryAfterSeconds: Int = 1
        /// Share of accepted messages reported failed instead of delivered.
        public var undeliveredRate: Double = 0
        /// Delay before the delivery callback; nil sends none.
        public var callbackDelayMs: Int? = 200
        /// How long a callback that is not taken is tried again.
        public var callbackRetryFor: Duration = .seconds(600)
        /// Share of messages accepted but answered only after `hangMs` — the
        /// answer a client gives up on: a resend with the same key must be
        /// recognised as a duplicate, not delivered twice.
        public var lostAnswerRate: Double = 0
        public var hangMs: Int = 30_000
        /// Share of requests whose connection is dropped before any answer
        /// (a provider's front end refusing work): nothing is taken.
        public var refuseRate: Double = 0
        /// Share of delivered survey messages answered (voice: a key from the
        /// question's digits; SMS: a score 1–5), sent after the delivery callback.
        public var answerRate: Double = 0
        /// Share of delivered marketing and survey SMS answered "退订"; a
        /// survey SMS not answered so is answered a score at `answerRate`.
        public var optOutRate: Double = 0
        /// Whether a repeated Idempotency-Key gets the first answer. Off, every
        /// taken request is a new message with its own id and callback: what a
        /// client's resends would do to recipients at a provider without idempotency.
        public var deduplicate = true

        public init() {}
    }

    public struct Stats: Sendable, Codable, Equatable {
        public var requests = 0
        /// Requests taken as new messages, each with its own id (all taken requests when not deduplicating).
        public var unique = 0
        /// Requests answered with an earlier request's id (their key was known).
        public var duplicates = 0
        public var rejected = 0
        public var callbacksSent = 0
        /// Accepted, but the answer held back past the client's patience.
        public var lostAnswers = 0
        /// Requests whose connection was dropped unanswered.
        public var refused = 0
        /// Survey answers and opt-outs sent back.
        public var answersSent = 0
        /// Of those, how many of each text ("1"…"5", "退订") or key: what a
        /// test checks the worker's records against.
        public var answersByText: [String: Int] = [:]
        /// Callbacks not taken at once (the worker was down), retried.
        public var callbacksRetried = 0
        /// Callbacks given up after about a minute of retries.
        public var callbacksAbandoned = 0
        /// Distinct keys taken (answered or not) in two or more requests: each
        /// would be a message sent twice by a provider without idempotency.
        public var keysSentMoreThanOnce = 0
        /// Distinct keys delivered twice or more; only a provider that does not deduplicate does that.
        public var keysDeliveredTwice = 0
        /// Distinct addresses delivered to twice or more: double sends, unless
        /// different messages were meant for the address (`recipientsWithTwoKeys`).
        public var recipientsDeliveredTwice = 0
        /// Distinct addresses taken under two or more keys: two messages for one person.
        public var recipientsWithTwoKeys = 0
    }

    private struct State {
        var stats = Stats()
        var answers: [String: String] = [:]
        var ledger = DeliveryLedger()
        var random = SeededGenerator(seed: 7)
    }

    private let state = Mutex(State())
    public let behaviour: Behaviour
    private let transport: CurlTransport?

    /// `transport` sends the delivery callbacks (none without it).
    public init(behaviour: Behaviour = Behaviour(), transport: CurlTransport?) {
        self.behaviour = behaviour
        self.transport = transport
    }

    public var stats: Stats {
        state.withLock { state in
            var stats = state.stats
            stats.keysSentMoreThanOnce = state.ledger.keysSentMoreThanOnce
            stats.keysDeliveredTwice = state.ledger.keysDeliveredTwice
            stats.recipientsDeliveredTwice = state.ledger.recipientsDeliveredTwice
            stats.recipientsWithTwoKeys = state.ledger.recipientsWithTwoKeys
            return stats
        }
    }

    struct Submitted: Decodable {
        var channel: String
        var to: String
        var text: String?
        var callback: String?
        var category: String?
        /// Keys the callee may press, for a call with a question.
        var gather: String?
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.post("/sim/messages") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 256 * 1024)
            return await self.submit(body: body, key: request.headers[HTTPField.Name("Idempotency-Key")!])
        }
        router.get("/sim/stats") { _, _ -> Response in
            let data = try JSONEncoder().encode(self.stats)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    private func submit(body: ByteBuffer, key: String?) async -> Response {
        if behaviour.latencyMs > 0 { try? await Task.sleep(for: .milliseconds(behaviour.latencyMs)) }
        let message = try? JSONDecoder().decode(Submitted.self, from: Data(buffer: body))
        guard let message, !message.to.isEmpty else {
            state.withLock { $0.stats.rejected += 1 }
            return Self.json(.badRequest, #"{"error":"malformed message"}"#)
        }
        enum Decision {
            case fail503, throttle
            case answer(id: String, new: Bool, delivered: Bool, hang: Bool, reply: Reply?)
        }
        let decision: Decision = state.withLock { state in
            state.stats.requests += 1
            if behaviour.deduplicate, let key, let id = state.answers[key] {
                state.stats.duplicates += 1
                state.ledger.take(key: key, to: message.to, delivers: false)
                return .answer(id: id, new: false, delivered: true, hang: false, reply: nil)
            }
            let roll = state.random.unit()
            if roll < behaviour.serverErrorRate { return .fail503 }
            if roll < behaviour.serverErrorRate + behaviour.throttleRate { return .throttle }
            state.stats.unique += 1
            let id = "sim-\(state.stats.unique)"
            if behaviour.deduplicate, let key { state.answers[key] = id }
            state.ledger.take(key: key, to: message.to, delivers: true)
            let delivered = state.random.unit() >= behaviour.undeliveredRate
            let hang = state.random.unit() < behaviour.lostAnswerRate
            if hang { state.stats.lostAnswers += 1 }
            let reply = delivered ? Self.reply(to: message, behaviour: behaviour, random: &state.random) : nil
            return .answer(id: id, new: true, delivered: delivered, hang: hang, reply: reply)
        }
        switch decision {
        case .fail503:
            return Self.json(.serviceUnavailable, #"{"error":"simulated outage"}"#)
        case .throttle:
            var headers = HTTPFields()
            headers[.retryAfter] = String(behaviour.retryAfterSeconds)
            headers[.contentType] = "application/json"
            return Response(
                status: .tooManyRequests, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"error":"slow down"}"#)))
        case .answer(let id, let new, let delivered, let hang, let reply):
            if new, let callback = message.callback, let delay = behaviour.callbackDelayMs, let transport {
                Task {
                    try? await Task.sleep(for: .milliseconds(delay))
                    let status = delivered ? "delivered" : "failed"
                    let receipt = Self.callback(callback, #"{"id":"\#(id)","status":"\#(status)"}"#)
                    if await self.deliver(receipt, with: transport) {
                        self.state.withLock { $0.stats.callbacksSent += 1 }
                    }
                    guard let reply else { return }
                    try? await Task.sleep(for: .milliseconds(delay))
                    let body = JSONText.object(["id": id, "event": reply.event, "text": reply.text])
                    if await self.deliver(Self.callback(callback, body), with: transport) {
                        self.state.withLock {
                            $0.stats.answersSent += 1
                            $0.stats.answersByText[reply.text, default: 0] += 1
                        }
                    }
                }
            }
            if hang { try? await Task.sleep(for: .milliseconds(behaviour.hangMs)) }
            return Self.json(.ok, #"{"id":"\#(id)"}"#)
        }
    }

    /// What the recipient sends back after delivery: `dtmf` (keys pressed
    /// during the call) or `reply` (an SMS).
    struct Reply: Sendable {
        var event: String
        var text: String
    }

    private static func reply(to message: Submitted, behaviour: Behaviour, random: inout SeededGenerator) -> Reply? {
        let roll = random.unit()
        switch (message.channel, message.category) {
        case ("voice", _):
            guard let keys = message.gather.map(Array.init), !keys.isEmpty, roll < behaviour.answerRate else {
                return nil
            }
            return Reply(event: "dtmf", text: String(random.pick(keys)))
        case ("sms", "survey"):
            if roll < behaviour.optOutRate { return Reply(event: "reply", text: "退订") }
            guard random.unit() < behaviour.answerRate else { return nil }
            // Most guests are content: scores lean towards 4 and 5.
            let scores = ["5", "5", "5", "4", "4", "4", "3", "2", "1"]
            return Reply(event: "reply", text: random.pick(scores))
        case ("sms", "marketing"):
            return roll < behaviour.optOutRate ? Reply(event: "reply", text: "退订") : nil
        default:
            return nil
        }
    }

    /// Posts a callback until it is taken (2xx), as providers do: from 250 ms
    /// apart, doubling up to 5 s, for `Behaviour.callbackRetryFor` (10
    /// minutes) — a worker restarting after a crash, or slow to answer under a
    /// burst, still gets its receipts.
    private func deliver(_ request: OutboundRequest, with transport: CurlTransport) async -> Bool {
        let deadline = ContinuousClock.now + behaviour.callbackRetryFor
        var pause = 250
        var attempt = 0
        while true {
            if let answer = try? await transport.send(request), (200..<300).contains(answer.status) { return true }
            if attempt == 0 { state.withLock { $0.stats.callbacksRetried += 1 } }
            attempt += 1
            guard ContinuousClock.now + .milliseconds(pause) < deadline else { break }
            try? await Task.sleep(for: .milliseconds(pause))
            pause = min(pause * 2, 5_000)
        }
        state.withLock { $0.stats.callbacksAbandoned += 1 }
        return false
    }

    private static func callback(_ url: String, _ body: String) -> OutboundRequest {
        OutboundRequest(
            method: .post, url: url, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    /// An HTTP/1 server that drops `refuseRate` of requests' connections
    /// before Hummingbird sees them; the simulator's `Application` runs on it.
    var server: HTTPServerBuilder {
        .http1(configuration: .init(additionalChannelHandlers: [ConnectionDropper(simulator: self)]))
    }

    /// Rolls for one request; true means drop its connection unanswered.
    func refusesNextRequest() -> Bool {
        guard behaviour.refuseRate > 0 else { return false }
        return state.withLock { state in
            guard state.random.unit() < behaviour.refuseRate else { return false }
            state.stats.refused += 1
            return true
        }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
