import Channels
import CoreModel
import Testing

struct GatewaySettingsTests {
    @Test func anEntryWithOnlyTheRequiredValuesIsValid() {
        let entry = GatewaySettings(name: "k", kind: .kannel, channels: [.sms], url: "http://127.0.0.1:13013/sendsms")
        #expect(entry.rate == 100 && entry.burst == 50 && entry.maxInFlight == 32)
        #expect(entry.timeoutMs == 10_000 && entry.weight == 0)
        #expect(GatewaySettings.issues([entry], path: ["gateways"]).isEmpty)
    }

    @Test func badValuesAreIssuesByKeyPath() {
        let bad = GatewaySettings(
            name: "g", kind: .http, channels: [], url: "nope", rate: 0, burst: 0, maxInFlight: 0, timeoutMs: 50,
            weight: -1)
        let twin = GatewaySettings(name: "g", kind: .simulator, channels: [.sms], url: nil)
        let issues = GatewaySettings.issues([bad, twin], path: ["gateways"])
        #expect(issues.map(\.keyPath) == [
            "gateways[0].channels", "gateways[0].rate", "gateways[0].burst", "gateways[0].max_in_flight",
            "gateways[0].weight", "gateways[0].timeout_ms", "gateways[0].url", "gateways[1].name",
        ])
        #expect(issues.allSatisfy { $0.severity == .error })
    }
}
