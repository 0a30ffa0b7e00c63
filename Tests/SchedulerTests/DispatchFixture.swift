import Channels
import CoreModel
import Foundation
import Scheduler
import Synchronization
import TestSupport

/// A gateway whose answers a test scripts, recording what it was asked.
final class ScriptedGateway: Gateway {
    let name: String
    let channels: Set<Channel> = [.sms, .voice, .email, .fax]
    private let answer: @Sendable (OutboundMessage) -> Result<Submission, GatewayError>
    private let calls = Mutex<[OutboundMessage]>([])

    init(_ name: String, answer: @escaping @Sendable (OutboundMessage) -> Result<Submission, GatewayError> = { .success(Submission(providerMessageId: "p-\($0.id)")) }) {
        self.name = name
        self.answer = answer
    }

    func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission {
        calls.withLock { $0.append(message) }
        return try answer(message).get()
    }

    var sent: [OutboundMessage] { calls.withLock { $0 } }
}

/// A temporary store with a branch and members, and a dispatcher over given gateways at a fixed time.
struct DispatchFixture {
    let store: SQLiteStore
    let clock: FixedClock

    static func with<T>(now: Date, members: [Member] = [], _ body: (DispatchFixture) async throws -> T) async throws -> T {
        try await withTemporaryDirectory("tidings-dispatch") { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("t.sqlite").path)
            _ = try await store.apply(.branches([Branch(code: "B01", name: "鸿福楼总店", district: "越秀", address: "北京路1号", phone: nil, fax: nil, seats: 80)]), dryRun: false)
            if !members.isEmpty { _ = try await store.apply(.members(members), dryRun: false) }
            return try await body(DispatchFixture(store: store, clock: FixedClock(now)))
        }
    }

    func dispatcher(
        _ gateways: [any Gateway], settings gatewaySettings: [GatewaySettings] = [],
        configure: (inout DispatchSettings) -> Void = { _ in }
    ) -> Dispatcher {
        var settings = DispatchSettings(owner: "test")
        settings.randomSeed = 42
        configure(&settings)
        let named = gatewaySettings.isEmpty
            ? gateways.map {
                GatewaySettings(
                    name: $0.name, kind: .http, channels: [.sms, .voice, .email, .fax], url: nil, rate: 0,
                    maxInFlight: 1000)
            }
            : gatewaySettings
        return Dispatcher(store: store, registry: GatewayRegistry(gateways: gateways, settings: named), settings: settings, clock: clock)
    }

    @discardableResult
    func enqueue(
        _ key: String, lane: Lane = .transactional, category: ConsentCategory = .service, member: String? = nil, to: String = "+8613812345678",
        expiresAt: Date? = nil, orderNo: String? = nil, boundAt: Date? = nil
    ) async throws -> Int64 {
        let result = try await store.enqueue(
            [NewMessage(
                idempotencyKey: key, purpose: .single, channel: .sms, lane: lane, category: category, memberNo: member, address: to, payload: MessageContent(text: "您好").json(),
                expiresAt: expiresAt, orderNo: orderNo, boundAt: boundAt)],
            now: clock.now())
        switch result[0] {
        case .enqueued(let id), .duplicate(let id): return id
        }
    }

    func state(_ id: Int64) async throws -> MessageState? { try await store.messageState(id: id) }
}

func member(_ number: String, phone: String = "+8613812345678", timezone: String = "Asia/Shanghai") -> Member {
    Member(memberNo: number, name: "会员\(number)", phone: .valid(phone), timezone: timezone, branchCode: "B01")
}
