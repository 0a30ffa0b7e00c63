import Channels
import CoreModel
import Testing

struct GatewayRegistryTests {
    struct Named: Gateway {
        let name: String
        var channels: Set<Channel> { [.sms] }
        func send(_ message: OutboundMessage) async throws(GatewayError) -> Submission { Submission(providerMessageId: name) }
    }

    func registry(weights: [Int]) -> GatewayRegistry {
        let names = weights.indices.map { "g\($0)" }
        return GatewayRegistry(
            gateways: names.map(Named.init),
            settings: zip(names, weights).map { .init(name: $0, kind: .http, channels: [.sms], url: nil, weight: $1) })
    }

    @Test func withoutWeightsConfigOrderIsPreferenceThenFailover() {
        let order = registry(weights: [0, 0, 0]).candidates(for: .sms, messageId: 12345).map(\.name)
        #expect(order == ["g0", "g1", "g2"])
    }

    @Test func weightsSplitTrafficAndKeepTheRestAsFailover() {
        let registry = registry(weights: [3, 1, 0])
        var firsts: [String: Int] = [:]
        for id in Int64(1)...20_000 {
            let order = registry.candidates(for: .sms, messageId: id).map(\.name)
            #expect(Set(order) == ["g0", "g1", "g2"], "every gateway stays available for failover")
            firsts[order[0], default: 0] += 1
        }
        #expect(firsts["g2"] == nil, "weight 0 is failover only")
        let share = Double(firsts["g0"] ?? 0) / 20_000
        #expect(abs(share - 0.75) < 0.02, "g0 took \(share)")
        // The same message keeps its pick on every attempt.
        #expect(registry.candidates(for: .sms, messageId: 77).map(\.name) == registry.candidates(for: .sms, messageId: 77).map(\.name))
    }
}
